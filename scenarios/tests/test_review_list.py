"""The supervisor's review list: what waits first, the client reference, the overdue filter, date ranges."""

import datetime as dt

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.utils import timezone

from boundaries.dates import REVERSED_RANGE
from scenarios.models import ContactRequest

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
