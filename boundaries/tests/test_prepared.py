"""Prepared queries (boundaries/prepared.py): compiled once, they return what the queryset returns,
for every value, and refuse a value the ORM would not use as a plain parameter."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from boundaries.prepared import Prepared
from boundaries.tenancy import ScopedQuery
from scenarios.models import ContactRequest
from scenarios.tests.factories import ContactRequestFactory
from tests.factories import MembershipFactory

FIELDS = [field.attname for field in ContactRequest._meta.concrete_fields]


def same(found: list, expected) -> None:
    """The same rows, in the same order, with the same values in every column and related row."""
    expected = list(expected)
    assert [row.pk for row in found] == [row.pk for row in expected]
    for mine, theirs in zip(found, expected):
        assert [getattr(mine, name) for name in FIELDS] == [getattr(theirs, name) for name in FIELDS]


@pytest.fixture
def rows(agency_a):
    membership = MembershipFactory(agency=agency_a, user__full_name="Robin Rivers")
    other = MembershipFactory(agency=agency_a, user__full_name="Sam Stone")
    now = timezone.now()
    made = [ContactRequestFactory(membership=membership, client_reference="AB-100%", received_at=now),
            ContactRequestFactory(membership=membership, client_reference="AB_100",
                                  received_at=now - dt.timedelta(hours=5), medium="text"),
            ContactRequestFactory(membership=other, client_reference="CD-200", received_at=now - dt.timedelta(days=3),
                                  follow_up_on=dt.date(2026, 1, 5)),
            ContactRequestFactory(membership=other, client_reference="", received_at=now - dt.timedelta(days=40),
                                  closed=True)]
    return made


def counted_build(build):
    calls = []

    def counting(*shape, **values):
        calls.append(values)
        return build(*shape, **values)

    return counting, calls


def test_one_compilation_serves_every_value_and_agrees_with_the_queryset(rows, agency_a):
    def build(*, agency, practitioner):
        return (ContactRequest.objects.select_related("practitioner").annotate(who=F("practitioner__full_name"))
                .filter(agency=agency, practitioner=practitioner).order_by("-received_at", "-pk"))

    counting, calls = counted_build(build)
    prepared = Prepared(counting)
    for practitioner in {row.practitioner_id for row in rows}:
        found = prepared.run(agency=agency_a.pk, practitioner=practitioner)
        same(found, build(agency=agency_a.pk, practitioner=practitioner))
        assert {row.who for row in found} == {row.practitioner.full_name for row in found}
    assert len(calls) == 1  # built once, with stand-ins; every later call only ran the SQL


def test_times_dates_and_like_patterns_take_their_values(rows, agency_a):
    prepared = Prepared(lambda *, agency, before, due, part: ContactRequest.objects.filter(
        agency=agency, received_at__lt=before, follow_up_on__lte=due, client_reference__icontains=part))
    for before, due, part in [(timezone.now(), dt.date(2026, 1, 5), "cd-"),
                              (timezone.now() - dt.timedelta(days=4), dt.date(2026, 1, 5), "cd-"),
                              (timezone.now(), dt.date(2026, 1, 4), "cd")]:
        same(prepared.run(agency=agency_a.pk, before=before, due=due, part=part),
             ContactRequest.objects.filter(agency=agency_a, received_at__lt=before, follow_up_on__lte=due,
                                           client_reference__icontains=part))


def test_percent_and_underscore_are_matched_as_themselves(rows, agency_a):
    prepared = Prepared(lambda *, agency, part: ContactRequest.objects.filter(
        agency=agency, client_reference__contains=part).order_by("pk"))
    assert [row.client_reference for row in prepared.run(agency=agency_a.pk, part="100%")] == ["AB-100%"]
    assert [row.client_reference for row in prepared.run(agency=agency_a.pk, part="_1")] == ["AB_100"]


def test_the_shape_is_compiled_once_for_each_of_its_values(rows, agency_a):
    def build(closed, *, agency):
        found = ContactRequest.objects.filter(agency=agency)
        return found.filter(status="closed") if closed else found.exclude(status="closed")

    counting, calls = counted_build(build)
    prepared = Prepared(counting)
    for _ in range(2):
        assert len(prepared.run(True, agency=agency_a.pk)) == 1
        assert len(prepared.run(False, agency=agency_a.pk)) == 3
    assert len(calls) == 2


def test_counting_caps_like_count_of_a_slice(rows, agency_a):
    counted = Prepared(lambda *, agency: ContactRequest.objects.filter(agency=agency).order_by().values("pk")[:3],
                       count=True)
    assert counted.run(agency=agency_a.pk) == 3  # four rows, counted no further than three
    assert counted.run(agency=agency_a.pk + 1000) == 0


def test_a_number_too_large_for_any_column_finds_nothing_instead_of_failing(rows, agency_a):
    prepared = Prepared(lambda *, agency, pk: ContactRequest.objects.filter(agency=agency, pk=pk))
    assert prepared.run(agency=agency_a.pk, pk=10**30) == []
    assert [row.pk for row in prepared.run(agency=agency_a.pk, pk=rows[0].pk)] == [rows[0].pk]


def test_a_date_lookup_follows_the_active_time_zone(agency_a):
    # 23:30 UTC on 1 March is already 2 March in Auckland and still 1 March in Los Angeles.
    at = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.timezone.utc)
    row = ContactRequestFactory(membership=MembershipFactory(agency=agency_a), received_at=at)
    prepared = Prepared(lambda *, agency, day: ContactRequest.objects.filter(agency=agency, received_at__date=day))
    for zone, day in [("Pacific/Auckland", dt.date(2026, 3, 2)), ("America/Los_Angeles", dt.date(2026, 3, 1))]:
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            assert [found.pk for found in prepared.run(agency=agency_a.pk, day=day)] == [row.pk]
            assert prepared.run(agency=agency_a.pk, day=day + dt.timedelta(days=1)) == []


def test_a_value_the_query_does_not_use_as_a_parameter_is_refused(rows, agency_a):
    unused = Prepared(lambda *, agency, reference: ContactRequest.objects.filter(agency=agency))
    with pytest.raises(ImproperlyConfigured, match="reference"):
        unused.run(agency=agency_a.pk, reference="AB_100")
    changed = Prepared(lambda *, agency, reference: ContactRequest.objects.filter(
        agency=agency, client_reference=reference.upper()))
    with pytest.raises(ImproperlyConfigured, match="reference"):
        changed.run(agency=agency_a.pk, reference="ab_100")


def test_a_scoped_query_finds_only_the_signed_in_agencys_rows(rows, agency_a, agency_b):
    query = ScopedQuery(ContactRequest, lambda found, *, pk: found.filter(pk=pk))
    request = RequestFactory().get("/")
    request.agency = agency_a
    assert query.get_or_404(request, pk=rows[0].pk).pk == rows[0].pk
    request.agency = agency_b
    with pytest.raises(Http404):
        query.get_or_404(request, pk=rows[0].pk)
    request.agency = None
    assert query.run(request, pk=rows[0].pk) == []


def test_a_flag_given_as_a_value_compiles_a_query_of_its_own(rows, agency_a):
    """A value that takes no stand-in (a flag, None) is part of the key: False never reuses True's SQL."""
    prepared = Prepared(lambda *, agency, closed: ContactRequest.objects.filter(
        agency=agency, **({"status": "closed"} if closed else {})))
    assert len(prepared.run(agency=agency_a.pk, closed=True)) == 1
    assert len(prepared.run(agency=agency_a.pk, closed=False)) == 4


def test_a_stand_in_too_large_for_a_small_column_leaves_the_query_to_the_orm(agency_a, supervisor):
    """The ORM finds that no row can match a stand-in too large for a small column; that shape then runs
    through the ORM with the real values, every time, instead of answering "nothing" for all of them."""
    from training.models import TrainingScenario

    made = TrainingScenario.objects.create(
        agency=agency_a, title="Six months on", situation="A situation.", kind="friend_request", medium="facebook",
        relationship="former_client", considerations="One.", reflective_questions="One?",
        discharged_months_ago=6, created_by=supervisor.user)
    prepared = Prepared(lambda *, agency, months: TrainingScenario.objects.filter(
        agency=agency, discharged_months_ago=months))
    assert [row.pk for row in prepared.run(agency=agency_a.pk, months=6)] == [made.pk]
    assert prepared.run(agency=agency_a.pk, months=7) == []


def test_a_query_made_after_another_is_gone_never_gets_its_sql(rows, agency_a):
    """Prepared queries made and dropped one after another (Python may give a new one the old one's
    id) each run their own SQL."""
    for turn in range(40):
        closed = turn % 2 == 0
        prepared = Prepared(lambda *, agency, closed=closed: ContactRequest.objects.filter(agency=agency).filter(
            **({"status": "closed"} if closed else {"status": "open"})))
        assert len(prepared.run(agency=agency_a.pk)) == (1 if closed else 3)
        del prepared
