"""The supervisor's dashboard: its figures against a factory-built dataset, its CSV, its refusals."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from policies.models import PolicyStatus
from scenarios.dashboard import dashboard_for
from scenarios.models import ContactRequest
from scenarios.tests.factories import ContactRequestFactory
from tests.factories import AcknowledgementFactory, MembershipFactory, PolicyVersionFactory

TODAY = dt.date(2026, 4, 1)
RANGE = "?since=2026-01-01&until=2026-03-31"


def noon(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day + "T12:00"))


def closed_after(days: float, **facts):
    received = noon(facts.pop("day"))
    return ContactRequestFactory(status="closed", received_at=received,
                                 closed_at=received + dt.timedelta(days=days), **facts)


@pytest.fixture
def dataset(practitioner, supervisor, agency_a, agency_b):
    """Six requests in the first quarter of 2026, one before it, and one of another agency."""
    quinn = MembershipFactory(agency=agency_a, role=Role.PRACTITIONER, user__full_name="Quinn Practitioner")
    pat = practitioner
    closed_after(3, membership=pat, day="2026-01-10", outcome="declined", chosen_option="decline")
    closed_after(20, membership=pat, day="2026-01-20", medium="instagram", relationship="current_client",
                 outcome="declined", chosen_option="discuss")
    closed_after(40, membership=quinn, day="2026-02-05", medium="linkedin", relationship="colleague",
                 outcome="accepted", chosen_option="accept", recommended=["accept"])
    ContactRequestFactory(membership=quinn, received_at=noon("2026-02-14"), medium="personal_phone",
                          kind="text_message", status="in_progress", chosen_option="discuss",
                          follow_up_on=dt.date(2026, 2, 20))
    ContactRequestFactory(membership=pat, received_at=noon("2026-03-01"), follow_up_on=dt.date(2026, 3, 25))
    # Seven days and two hours: not within a week, but within a month.
    closed_after(7 + 2 / 24, membership=pat, day="2026-03-10", outcome="left_unanswered", chosen_option="ignore")
    # Outside the range, and outside the agency: counted nowhere (but the first one's follow-up is overdue).
    ContactRequestFactory(membership=pat, received_at=noon("2025-12-15"), follow_up_on=dt.date(2026, 1, 5))
    ContactRequestFactory(membership=MembershipFactory(agency=agency_b), received_at=noon("2026-02-01"),
                          follow_up_on=dt.date(2026, 2, 2))
    # Coverage: three active staff; someone who left acknowledged version 1 and is not counted.
    gone = MembershipFactory(agency=agency_a, is_active=False)
    one = PolicyVersionFactory(agency=agency_a, number=1, status=PolicyStatus.PUBLISHED,
                               effective_from=dt.date(2026, 1, 5), published_at=timezone.now())
    two = PolicyVersionFactory(agency=agency_a, number=2, status=PolicyStatus.PUBLISHED,
                               effective_from=dt.date(2026, 3, 1), published_at=timezone.now())
    for member in (pat, quinn, gone):
        AcknowledgementFactory(version=one, user=member.user)
    AcknowledgementFactory(version=two, user=supervisor.user)
    return {"quinn": quinn}


def table(dashboard, key):
    chart = dashboard.chart(key)
    return [chart.headers, *chart.rows]


def test_its_figures_match_the_dataset(dataset, agency_a):
    dashboard = dashboard_for(agency=agency_a, since=dt.date(2026, 1, 1), until=dt.date(2026, 3, 31), today=TODAY)

    assert dashboard.total == 6
    assert table(dashboard, "platforms") == [
        ("Month", "Facebook", "Instagram", "LinkedIn", "Personal phone and text", "Total"),
        ("Jan 2026", 1, 1, 0, 0, 2), ("Feb 2026", 0, 0, 1, 1, 2), ("Mar 2026", 2, 0, 0, 0, 2)]
    assert table(dashboard, "relationships")[0] == ("Month", "Client's family member", "Colleague (peer)",
                                                    "Current client", "Total")
    assert table(dashboard, "relationships")[2] == ("Feb 2026", 1, 1, 0, 2)
    outcomes = dict((row[0], row[1:]) for row in table(dashboard, "outcomes"))
    assert outcomes["Month"] == ("Declined or removed on the platform", "Not closed yet", "Accepted",
                                 "Left unanswered", "Total")
    assert outcomes["Mar 2026"] == (0, 1, 0, 1, 2)
    assert table(dashboard, "resolved")[1:] == [("Closed within 7 days", 1), ("Closed within 30 days", 3),
                                                 ("Closed after more than 30 days", 1), ("Not closed yet", 2)]
    assert table(dashboard, "options")[1:] == [("Accept", 1, 1), ("Ignore", 0, 1), ("Discuss", 4, 2),
                                                ("Decline", 0, 1)]
    assert "5 requests where an option was chosen, 3 followed" in dashboard.chart("options").description
    assert table(dashboard, "acknowledgements")[1:] == [("Version 2", "1 Mar 2026", 1, 3, 33),
                                                         ("Version 1", "5 Jan 2026", 2, 3, 67)]
    assert table(dashboard, "overdue")[1:] == [("Pat Practitioner", 2, "5 Jan 2026"),
                                                ("Quinn Practitioner", 1, "20 Feb 2026")]


def test_the_page_shows_each_chart_with_its_table_and_csv_link(dataset, supervisor, client_for):
    response = client_for(supervisor).get(reverse("scenarios:dashboard") + RANGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert "6 requests received from 1 Jan 2026 to 31 Mar 2026" in page
    for key in ("platforms", "relationships", "outcomes", "resolved", "options", "acknowledgements", "overdue"):
        assert f'data-chart="{key}"' in page and f'id="chart-{key}-caption"' in page
        assert reverse("scenarios:dashboard_csv", args=[key]) + RANGE.replace("&", "&amp;") in page
    assert "<th scope=\"row\">Closed within 30 days</th><td class=\"text-end\">3</td>" in page
    assert 'style=' not in page and "<script>" not in page


def test_the_csv_holds_the_table_with_every_cell_made_safe(dataset, supervisor, client_for):
    quinn = dataset["quinn"].user
    quinn.full_name = '=HYPERLINK("http://x.example","click")'
    quinn.save(update_fields=["full_name"])

    response = client_for(supervisor).get(reverse("scenarios:dashboard_csv", args=["overdue"]) + RANGE)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Practitioner", "Overdue follow-ups", "Oldest due on"]
    assert ["'=HYPERLINK(\"http://x.example\",\"click\")", "1", "20 Feb 2026"] in rows


def test_a_csv_of_a_chart_that_does_not_exist_is_not_found(supervisor, client_for):
    assert client_for(supervisor).get(reverse("scenarios:dashboard_csv", args=["salaries"])).status_code == 404


def test_a_reversed_range_is_refused_next_to_the_end_date(dataset, supervisor, client_for):
    response = client_for(supervisor).get(reverse("scenarios:dashboard") + "?since=2026-03-31&until=2026-01-01")

    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error_1_id_until"' in page and "The end date is before the start date." in page
    assert 'value="2026-03-31"' in page and 'value="2026-01-01"' in page
    assert "data-chart" not in page
    csv_response = client_for(supervisor).get(reverse("scenarios:dashboard_csv", args=["platforms"])
                                              + "?since=2026-03-31&until=2026-01-01")
    assert csv_response.status_code == 400


def test_an_agency_with_no_requests_gets_a_helpful_empty_state(supervisor, client_for):
    response = client_for(supervisor).get(reverse("scenarios:dashboard"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing logged yet" in page and "data-chart" not in page


def test_a_range_reaching_from_year_one_to_9000_draws_years_not_millennia(dataset, agency_a):
    dashboard = dashboard_for(agency=agency_a, since=dt.date(1, 1, 1), until=dt.date(9000, 12, 31), today=TODAY)

    years = [row[0] for row in dashboard.chart("platforms").rows]
    assert dashboard.total == 7
    assert years[0] == "2000" and years[-1] == "2026" and len(years) == 27


def test_other_agencies_see_none_of_it(dataset, agency_b, client_for):
    hilltop_supervisor = MembershipFactory(agency=agency_b, role=Role.SUPERVISOR)

    response = client_for(hilltop_supervisor).get(reverse("scenarios:dashboard") + RANGE)

    assert "1 request received" in response.content.decode()
    assert "Pat Practitioner" not in response.content.decode()


def test_practitioners_may_not_open_it(practitioner, client_for):
    assert client_for(practitioner).get(reverse("scenarios:dashboard")).status_code == 403


def _grow(agency, membership, count: int) -> None:
    for n in range(count):
        closed_after(n % 40, membership=membership, day=f"2026-0{1 + n % 3}-{1 + n % 28:02d}",
                     medium=("facebook", "instagram", "tiktok")[n % 3], outcome="declined",
                     chosen_option="decline")
        ContactRequestFactory(membership=membership, received_at=noon(f"2026-0{1 + n % 3}-{1 + n % 28:02d}"),
                              follow_up_on=dt.date(2026, 1, 1 + n % 28))


@pytest.mark.parametrize("size", [3, 60])
def test_the_query_count_is_the_same_whatever_the_volume(size, supervisor, agency_a, client_for,
                                                         django_assert_num_queries):
    staff = [MembershipFactory(agency=agency_a) for _ in range(3)]
    for member in staff:
        _grow(agency_a, member, size)
    PolicyVersionFactory(agency=agency_a, published=True)
    client = client_for(supervisor)

    # Session, user, membership; the range's requests; staff count, versions; overdue by practitioner.
    with django_assert_num_queries(7):
        response = client.get(reverse("scenarios:dashboard") + RANGE)
    assert response.status_code == 200
    assert f"{size * 2 * 3} requests received" in response.content.decode()


def test_without_dates_it_shows_the_last_twelve_months_with_the_dates_filled_in(supervisor, practitioner,
                                                                                 client_for):
    ContactRequestFactory(membership=practitioner)
    today = timezone.localdate(timezone=supervisor.agency.zone)

    page = client_for(supervisor).get(reverse("scenarios:dashboard")).content.decode()

    assert f'value="{today:%Y-%m-%d}"' in page
    assert "1 request received" in page


DATE_TEXT = st.one_of(st.dates().map(dt.date.isoformat), st.text(max_size=12), st.just("9999-12-31"))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(since=DATE_TEXT, until=DATE_TEXT)
def test_any_dates_give_the_dashboard_or_a_message_never_an_error(since, until, dataset, supervisor, client_for):
    client = client_for(supervisor)  # signing in is recorded; reading the dashboard writes nothing
    rows = (ContactRequest.objects.count(), AuditEvent.objects.count())

    response = client.get(reverse("scenarios:dashboard"), {"since": since, "until": until})

    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "Traceback" not in page
    if response.status_code == 400:
        assert 'class="invalid-feedback"' in page and "data-chart" not in page
    else:
        assert "data-chart" in page
    assert (ContactRequest.objects.count(), AuditEvent.objects.count()) == rows
