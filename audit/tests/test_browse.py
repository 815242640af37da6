"""Admins browse their agency's audit trail; nobody else does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditChainHead, AuditEvent
from audit.services import record

from .conftest import triggers_lifted

URL = reverse("audit:event_list")


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def rows(body: str) -> int:
    return body.split("<tbody>")[1].count("<tr>") if "<tbody>" in body else 0


def test_an_admin_sees_who_did_what_to_what(client_for, admin, five_events):
    body = page(client_for(admin))  # signing the test client in adds a sixth event
    assert "<title>Audit trail · Boundaries</title>" in body
    assert rows(body) == 6
    assert "Alex Admin" in body and "Pat Practitioner" in body
    assert "Role changed" in body and "Staff added" in body and "Signed out" in body
    assert f"Staff member {five_events[2].target_id}" in body
    assert '<code class="audit-chip">from=practitioner</code>' in body
    assert '<code class="audit-chip">to=supervisor</code>' in body
    local = timezone.localtime(five_events[0].occurred_at)
    assert local.strftime("%H:%M:%S") in body, "times are shown in the agency's local time"
    table = body.split("<tbody>")[1]
    assert table.index("Signed out") < table.index("Staff added"), "newest first"


def test_the_navigation_and_home_page_lead_here(client_for, admin):
    body = client_for(admin).get(reverse("home")).content.decode()
    assert body.count(f'href="{URL}"') == 2


@pytest.mark.parametrize("persona", ["practitioner", "supervisor"])
def test_practitioners_and_supervisors_are_refused(request, client_for, persona, five_events):
    membership = request.getfixturevalue(persona)
    client = client_for(membership)
    assert client.get(URL).status_code == 403
    assert client.post(reverse("audit:export", args=["csv"])).status_code == 403
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=membership.user)
    # One refusal a minute reaches the trail: the export refused straight after adds none.
    assert list(denied.values_list("data", flat=True)) == [{"view": "audit:event_list"}]


def test_another_agency_sees_nothing_of_agency_a(client_for, outsider, five_events, admin):
    client = client_for(outsider)
    body = page(client)
    assert "Alex Admin" not in body and "Pat Practitioner" not in body and "Role changed</td>" not in body
    assert rows(body) == 1 and "Olive Outsider" in body.split("<tbody>")[1], "only their own sign-in"
    # Agency A's people aren't offered as a filter, and naming one by id finds nothing.
    assert f'value="{admin.user.pk}"' not in body
    filtered = client.get(URL, {"actor": admin.user.pk}).content.decode()
    assert "Select a valid choice" in filtered and rows(filtered) == 0


def test_filters_by_action_and_by_actor(client_for, admin, practitioner, five_events):
    client = client_for(admin)
    body = page(client, action=AuditAction.SIGN_IN)
    assert rows(body) == 3 and "Role changed" not in body.split("<tbody>")[1]
    body = page(client, actor=practitioner.user.pk)
    assert rows(body) == 1 and "Pat Practitioner" in body.split("<tbody>")[1]
    body = page(client, actor=practitioner.user.pk, action=AuditAction.SIGN_OUT)
    assert rows(body) == 0 and "No entries match." in body and "Clear the filters" in body


def test_filters_by_date_range_in_local_days(client_for, admin, five_events):
    client = client_for(admin)
    today = timezone.localdate()
    assert rows(page(client, since=today.isoformat(), until=today.isoformat())) == 6
    assert rows(page(client, until=(today - timedelta(days=1)).isoformat())) == 0
    assert rows(page(client, since=(today + timedelta(days=1)).isoformat())) == 0
    body = page(client, since=today.isoformat(), until=(today - timedelta(days=3)).isoformat())
    assert "The end date is before the start date." in body and rows(body) == 0


def test_a_date_range_finds_exactly_the_events_of_those_days(client_for, admin, agency_a):
    client = client_for(admin)  # today: the sign-in, then two more
    for _ in range(2):
        record(agency=agency_a, actor=admin.user, action=AuditAction.REQUEST_VIEWED)
    # Times never run backwards along a chain, so moving the head's time ahead dates what follows
    # (the head's trigger refuses any change that doesn't advance it, so it is lifted for this).
    later = timezone.now() + timedelta(days=3)
    with triggers_lifted():
        AuditChainHead.objects.filter(agency=agency_a).update(occurred_at=later)
    for _ in range(4):
        record(agency=agency_a, actor=admin.user, action=AuditAction.REQUEST_VIEWED)
    today, that_day = timezone.localdate(), timezone.localdate(later)
    assert rows(page(client, until=today.isoformat())) == 3
    assert rows(page(client, since=that_day.isoformat())) == 4
    assert rows(page(client, since=(today + timedelta(days=1)).isoformat(),
                     until=(that_day - timedelta(days=1)).isoformat())) == 0
    both = page(client, since=today.isoformat(), until=that_day.isoformat(), action=AuditAction.REQUEST_VIEWED)
    assert rows(both) == 6


def test_keyset_pages_go_older_and_newer_keeping_the_filters(client_for, admin, agency_a):
    client = client_for(admin)  # sequence 1: the sign-in
    for _ in range(120):  # sequences 2-121
        record(agency=agency_a, actor=admin.user, action=AuditAction.REQUEST_VIEWED)
    record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_OUT)
    viewed = AuditAction.REQUEST_VIEWED
    first = page(client, action=viewed)
    assert rows(first) == 50 and ">121</td>" in first and ">72</td>" in first and ">71</td>" not in first
    assert "action=request.viewed&amp;before=72" in first and "after=" not in first
    second = page(client, action=viewed, before=72)
    assert rows(second) == 50 and ">71</td>" in second and ">22</td>" in second
    assert "action=request.viewed&amp;after=71" in second and "action=request.viewed&amp;before=22" in second
    last = page(client, action=viewed, before=22)
    assert rows(last) == 20 and ">2</td>" in last and "before=" not in last and "after=21" in last
    back = page(client, action=viewed, after=71)
    assert rows(back) == 50 and ">121</td>" in back and ">72</td>" in back
    assert "after=" not in back and "before=72" in back


def test_the_page_runs_a_fixed_number_of_queries_and_never_counts(client_for, admin, agency_a,
                                                                  django_assert_num_queries):
    client = client_for(admin)  # its sign-in is the first event
    page(client)  # the first page reads the agency's staff for the "Who" list; later ones keep it
    for total in (5, 50):
        while AuditEvent.objects.count() < total:
            record(agency=agency_a, actor=admin.user, action=AuditAction.SIGN_IN)
        # session, user, membership, one page of events
        with django_assert_num_queries(4) as queries:
            body = page(client)
        assert rows(body) == total
        assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_when_nothing_matches_the_page_says_so(client_for, admin):
    body = page(client_for(admin), action=AuditAction.REVIEW_DECIDED)
    assert rows(body) == 0 and "No entries match." in body and "Clear the filters" in body


def test_an_event_no_person_caused_names_the_product_and_a_nameless_actor_shows_their_email(
        client_for, admin, agency_a, practitioner):
    record(agency=agency_a, actor=None, action=AuditAction.SIGN_IN)
    practitioner.user.full_name = ""
    practitioner.user.save()
    record(agency=agency_a, actor=practitioner.user, action=AuditAction.SIGN_OUT)
    table = page(client_for(admin)).split("<tbody>")[1]
    assert '<td data-label="Who"><span class="text-body-secondary">Boundaries</span></td>' in table
    assert f'<td data-label="Who">{practitioner.user.email}</td>' in table


def test_the_first_page_offers_every_filter_empty_and_a_filter_keeps_its_choice(client_for, admin, practitioner):
    """The first page builds no filter set (its fields are memoised); a filtered page shows its choices."""
    client = client_for(admin)

    def fields(body: str) -> str:
        return body.split('id="filter-heading"')[1].split("</form>")[0]

    blank = fields(page(client))
    for name in ("since", "until"):
        assert f'<input type="date" name="{name}" class="dateinput form-control" id="id_{name}">' in blank
    assert '<option value="" selected>Anyone</option>' in blank
    assert '<option value="" selected>Any action</option>' in blank
    chosen = fields(page(client, actor=practitioner.user.pk, since="2026-01-02"))
    assert f'<option value="{practitioner.user.pk}" selected>Pat Practitioner</option>' in chosen
    assert 'name="since" value="2026-01-02"' in chosen
    assert fields(page(client)) == blank
    assert f'<option value="{practitioner.user.pk}">Pat Practitioner</option>' in blank
    # Someone who joins shows at once: the staff list is part of the memo's key.
    from tests.factories import MembershipFactory
    newcomer = MembershipFactory(agency=admin.agency, user__full_name="Nia Newcomer")
    assert f'<option value="{newcomer.user.pk}">Nia Newcomer</option>' in fields(page(client))
