"""The supervisor's review list: what waits first, the client reference, the overdue filter, date ranges."""

import datetime as dt

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.utils import timezone

from accounts.models import Role
from boundaries.dates import REVERSED_RANGE
from scenarios.models import ContactRequest
from tests.factories import MembershipFactory

URL = reverse("scenarios:review")


def rows(client, query: str = "") -> list[ContactRequest]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_requests_waiting_for_my_decision_come_first(client_for, practitioner, supervisor, log_request):
    waiting = log_request(received_at=timezone.make_aware(dt.datetime(2026, 2, 1, 10, 0)))
    client_for(practitioner).post(reverse("scenarios:choose", args=[waiting.pk]),
                                  {"option": "ignore", "reason": "Waiting to see if she asks."})
    newer = log_request(client_reference="CD-7")
    own = log_request(supervisor, client_reference="SUP-1")
    client_for(supervisor).post(reverse("scenarios:choose", args=[own.pk]),
                                {"option": "ignore", "reason": "Waiting to see."})
    client = client_for(supervisor)
    # Their own request needs a review too, but never by them: it stays in date order, newest first.
    assert rows(client) == [waiting, own, newer]
    body = client.get(URL).content.decode()
    assert body.index("RB-1042") < body.index("CD-7"), "the waiting row is shown first"


def test_the_list_shows_and_searches_the_client_reference(client_for, supervisor, log_request):
    log_request()
    other = log_request(client_reference="TK-88")
    client = client_for(supervisor)
    body = client.get(URL).content.decode()
    assert '<th scope="col">Client</th>' in body
    assert '<td data-label="Client">RB-1042</td>' in body and '<td data-label="Client">TK-88</td>' in body
    assert rows(client, "?reference=tk-8") == [other]
    assert rows(client, "?reference=ZZ") == []


def test_a_reversed_date_range_gets_the_audit_pages_message(client_for, supervisor, admin, log_request):
    log_request()
    response = client_for(supervisor).get(URL + "?received_from=2026-03-10&received_to=2026-03-01")
    body = response.content.decode()
    assert REVERSED_RANGE in body and list(response.context["page"].object_list) == []
    audit = client_for(admin).get(reverse("audit:event_list") + "?since=2026-03-10&until=2026-03-01")
    assert REVERSED_RANGE in audit.content.decode()


def test_the_overdue_filter_keeps_open_requests_whose_follow_up_has_passed(client_for, practitioner, supervisor,
                                                                          log_request):
    today = timezone.localdate()
    overdue = log_request(client_reference="OV-1")
    due_later = log_request(client_reference="LA-1")
    closed = log_request(client_reference="CL-1")
    ContactRequest.objects.filter(pk=overdue.pk).update(follow_up_on=today - dt.timedelta(days=2))
    ContactRequest.objects.filter(pk=due_later.pk).update(follow_up_on=today + dt.timedelta(days=2))
    client_for(practitioner).post(reverse("scenarios:choose", args=[closed.pk]), {"option": "decline"})
    client_for(practitioner).post(reverse("scenarios:close", args=[closed.pk]), {"outcome": "withdrawn"})
    ContactRequest.objects.filter(pk=closed.pk).update(follow_up_on=today - dt.timedelta(days=2))
    client = client_for(supervisor)
    assert ContactRequest.objects.get(pk=closed.pk).is_closed
    assert rows(client, "?overdue=on") == [overdue]
    body = client.get(URL).content.decode()
    assert body.count("Follow-up overdue") == 1


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(reference=st.text(max_size=80), start=st.dates(), end=st.dates())
def test_any_filter_input_gets_a_page_never_a_traceback(client_for, supervisor, log_request, reference, start, end):
    if not ContactRequest.objects.exists():
        log_request()
    before = ContactRequest.objects.count()
    response = client_for(supervisor).get(URL, {"reference": reference, "received_from": start.isoformat(),
                                                "received_to": end.isoformat(), "overdue": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Traceback" not in body
    if end < start:
        assert REVERSED_RANGE in body
    if "\x00" in reference:
        assert "Null characters are not allowed." in body
    assert ContactRequest.objects.count() == before, "filtering writes nothing"


def test_older_and_newer_walk_the_whole_list_once_with_what_waits_first(client_for, practitioner, supervisor):
    from scenarios.tests.factories import ContactRequestFactory
    from scenarios.views import PAGE_SIZE

    now = timezone.now()
    made = [ContactRequestFactory(membership=practitioner, received_at=now - dt.timedelta(hours=n),
                                  client_reference=f"P-{n}", needs_review=n % 9 == 0)
            for n in range(PAGE_SIZE * 2 + 7)]
    waiting = [row for row in made if row.needs_review]
    expected = waiting + [row for row in made if not row.needs_review]  # each part newest first
    client = client_for(supervisor)
    pages, response = [], client.get(URL)
    while True:
        page = response.context["page"]
        pages.append(list(page.object_list))
        if not page.older:
            break
        assert f"before={page.older}" in response.content.decode()
        response = client.get(URL, {"before": str(page.older)})
    assert [len(shown) for shown in pages] == [PAGE_SIZE, PAGE_SIZE, 7]
    assert [row for shown in pages for row in shown] == expected
    assert all(row.waiting for row in pages[0][:len(waiting)]) and not pages[0][len(waiting)].waiting
    # And back up: Newer from the last page shows the middle page again, then the first.
    middle = client.get(URL, {"after": str(response.context["page"].newer)}).context["page"]
    assert list(middle.object_list) == pages[1]
    first = client.get(URL, {"after": str(middle.newer)}).context["page"]
    assert list(first.object_list) == pages[0] and first.newer is None


def test_more_waiting_than_a_page_fills_it_and_older_carries_on_into_the_rest(client_for, practitioner, supervisor):
    from scenarios.tests.factories import ContactRequestFactory
    from scenarios.views import PAGE_SIZE

    now = timezone.now()
    made = [ContactRequestFactory(membership=practitioner, received_at=now - dt.timedelta(hours=n),
                                  client_reference=f"W-{n}", needs_review=n < PAGE_SIZE + 5)
            for n in range(PAGE_SIZE + 9)]
    client = client_for(supervisor)
    first = client.get(URL).context["page"]
    assert list(first.object_list) == made[:PAGE_SIZE] and all(row.waiting for row in first.object_list)
    second = client.get(URL, {"before": str(first.older)}).context["page"]
    assert list(second.object_list) == made[PAGE_SIZE:] and second.older is None
    assert [row.waiting for row in second.object_list] == [True] * 5 + [False] * 4
    back = client.get(URL, {"after": str(second.newer)}).context["page"]
    assert list(back.object_list) == made[:PAGE_SIZE] and back.newer is None


def test_paging_keeps_the_filters_and_a_broken_link_shows_the_first_page(client_for, practitioner, supervisor):
    from scenarios.tests.factories import ContactRequestFactory
    from scenarios.views import PAGE_SIZE

    now = timezone.now()
    for n in range(PAGE_SIZE + 3):
        ContactRequestFactory(membership=practitioner, received_at=now - dt.timedelta(hours=n), medium="instagram")
    ContactRequestFactory(membership=practitioner, received_at=now, medium="facebook")
    client = client_for(supervisor)
    body = client.get(URL, {"medium": "instagram"}).content.decode()
    assert "medium=instagram&amp;before=" in body and "after=" not in body
    older = client.get(URL, {"medium": "instagram"}).context["page"].older
    rest = rows(client, f"?medium=instagram&before={older}")
    assert len(rest) == 3 and {row.medium for row in rest} == {"instagram"}
    for broken in ("x", "1.99999999999999999.5", "2.1.1", "1.-99999999999999999.1"):
        assert len(rows(client, f"?before={broken}")) == PAGE_SIZE
    response = client.get(URL, {"before": str(older)})
    assert "<details class=\"card card-body mb-3\">" in response.content.decode(), "paging leaves the filters closed"


def test_the_lead_counts_what_waits_and_says_more_than_beyond_the_cap(client_for, practitioner, supervisor,
                                                                     log_request, monkeypatch):
    for _ in range(2):
        waiting = log_request()
        client_for(practitioner).post(reverse("scenarios:choose", args=[waiting.pk]),
                                      {"option": "ignore", "reason": "Waiting to see if she asks."})
    client = client_for(supervisor)
    assert "<strong>2 need your decision.</strong>" in client.get(URL).content.decode()
    # Past the cap the page stops counting: it reads no more of the waiting set than the cap.
    monkeypatch.setattr("scenarios.views.WAITING_CAP", 1)
    assert "<strong>More than 1 need your decision.</strong>" in client.get(URL).content.decode()


def test_the_shared_review_form_accepts_only_this_agencys_staff(client_for, supervisor, practitioner, agency_b,
                                                                 log_request):
    """The review filter's form class is built once for every agency; each form gets its own staff."""
    outsider = MembershipFactory(agency=agency_b, role=Role.PRACTITIONER, user__full_name="Olly Elsewhere")
    supervisor_b = MembershipFactory(agency=agency_b, role=Role.SUPERVISOR)
    mine = log_request(practitioner, client_reference="RB-1")
    client_b = client_for(supervisor_b)
    assert client_b.get(URL, {"practitioner": outsider.user.pk}).status_code == 200
    client = client_for(supervisor)
    refused = client.get(URL, {"practitioner": outsider.user.pk}).content.decode()
    assert "Select a valid choice" in refused and "No requests match these filters." in refused
    found = client.get(URL, {"practitioner": practitioner.user.pk}).content.decode()
    assert f'href="{reverse("scenarios:detail", args=[mine.pk])}"' in found
    again = client_b.get(URL, {"practitioner": practitioner.user.pk}).content.decode()
    assert "Select a valid choice" in again


def test_the_practitioner_filter_reads_a_number_as_the_database_would_and_never_repeats_the_input(
        client_for, supervisor, practitioner, log_request):
    mine = log_request(practitioner, client_reference="RB-1")
    client = client_for(supervisor)
    found = client.get(URL, {"practitioner": f"0{practitioner.user.pk}"}).content.decode()
    assert f'href="{reverse("scenarios:detail", args=[mine.pk])}"' in found
    refused = client.get(URL, {"practitioner": "<b>99x</b>"}).content.decode()
    assert "Select a valid choice. That choice is not one of the available choices." in refused
    assert "<b>99x</b>" not in refused
