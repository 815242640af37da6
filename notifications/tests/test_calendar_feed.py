"""Each person's follow-ups as a calendar feed at a private, revocable address; it must parse."""

import datetime as dt
import re

import icalendar
from django.urls import reverse
from django.utils import timezone

from notifications.calendar import _fold, feed_text
from notifications.models import CalendarFeed
from notifications.services import feed_renew
from scenarios import services

from .conftest import CLIENT_REFERENCE


def address_from(response) -> str:
    return re.search(r'value="(http://127\.0\.0\.1:8000/notifications/calendar/[^"]+\.ics)"',
                     response.content.decode()).group(1).removeprefix("http://127.0.0.1:8000")


def planned_session(log_request, practitioner, days: int = 3):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="discuss")
    day = timezone.localdate() + dt.timedelta(days=days)
    services.request_save_step(contact_request=contact_request, actor=practitioner.user,
                               step_key="next_session_date", value=day)
    contact_request.refresh_from_db()
    return contact_request, day


def test_the_feed_lists_follow_ups_by_number_and_step_and_parses(client, client_for, log_request, practitioner):
    contact_request, day = planned_session(log_request, practitioner)
    page = client_for(practitioner).post(reverse("notifications:calendar_renew"))
    assert page.status_code == 200 and "We show it only now" in page.content.decode()
    response = client.get(address_from(page))  # a calendar app: no session
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert CLIENT_REFERENCE not in body and "hospital" not in body
    calendar = icalendar.Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == f"Request {contact_request.pk}: Raise it early in the next session"
    assert event.decoded("DTSTART") == day and event.decoded("DTEND") == day + dt.timedelta(days=1)
    assert str(event["URL"]) == f"http://127.0.0.1:8000/requests/{contact_request.pk}/"
    assert all(line.endswith("\r") or not line for line in body.split("\n")[:-1])


def test_a_new_address_revokes_the_old_and_stopping_revokes_it(client, client_for, practitioner):
    signed_in = client_for(practitioner)
    first = address_from(signed_in.post(reverse("notifications:calendar_renew")))
    second = address_from(signed_in.post(reverse("notifications:calendar_renew")))
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    signed_in.post(reverse("notifications:calendar_revoke"))
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_a_token_works_only_under_its_own_agency_and_while_the_person_works_there(client, practitioner, agency_b):
    token = feed_renew(agency=practitioner.agency, user=practitioner.user)
    good = reverse("notifications:calendar", kwargs={"agency": practitioner.agency.slug, "token": token})
    assert client.get(good).status_code == 200
    elsewhere = reverse("notifications:calendar", kwargs={"agency": agency_b.slug, "token": token})
    assert client.get(elsewhere).status_code == 404
    practitioner.is_active = False
    practitioner.save(update_fields=["is_active"])
    assert client.get(good).status_code == 404


def test_only_the_hash_of_the_token_is_stored(practitioner):
    token = feed_renew(agency=practitioner.agency, user=practitioner.user)
    assert token not in CalendarFeed.objects.get().token_hash


def test_closed_requests_leave_the_feed(log_request, practitioner):
    contact_request, _ = planned_session(log_request, practitioner)
    contact_request.status, contact_request.outcome, contact_request.closed_at = "closed", "declined", timezone.now()
    contact_request.save()
    token = feed_renew(agency=practitioner.agency, user=practitioner.user)
    from django.test import Client

    body = Client().get(reverse("notifications:calendar",
                                kwargs={"agency": practitioner.agency.slug, "token": token})).content.decode()
    assert list(icalendar.Calendar.from_ical(body).walk("VEVENT")) == []


def test_long_and_special_text_is_escaped_and_folded_so_it_still_parses(log_request, practitioner, settings):
    settings.SITE_URL = "https://boundaries.example.org/" + "é" * 80
    contact_request, _ = planned_session(log_request, practitioner)
    body = feed_text([contact_request], now=timezone.now())
    assert max(len(line.encode()) for line in body.split("\r\n")) <= 75
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["URL"]).endswith("é" * 80 + f"/requests/{contact_request.pk}/")
    assert _fold("a;b") == "a;b"
