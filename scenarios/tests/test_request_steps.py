"""Issue 8, items 4, 6 and 7 for the walk-through's steps: a refused value shows by its field, in
place with htmx and in the page without script, what was typed stays, and dates are plausible."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from scenarios import services
from scenarios.models import StepRecord


@pytest.fixture
def walking(log_request, practitioner):
    """A parent's Facebook request (arrived 10 March 2026) with discuss chosen."""
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="discuss")
    return contact_request


def post_step(client, contact_request, key: str, htmx: bool = True, **data):
    url = reverse("scenarios:step", args=[contact_request.pk, key])
    return client.post(url, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))


def documented() -> int:
    return AuditEvent.objects.filter(action=AuditAction.STEP_DOCUMENTED).count()


def test_an_empty_step_with_htmx_comes_back_in_place_with_its_message(client_for, practitioner, walking):
    response = post_step(client_for(practitioner), walking, "talking_points", value="   ")
    assert response.status_code == 422  # swapped in place by htmx (static/boundaries/js/app.js)
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<li class="card mb-2" id="step-talking_points"')
    assert "<html" not in fragment and "<main" not in fragment
    assert 'aria-describedby="error-talking_points"' in fragment
    assert 'id="error-talking_points" role="alert">Write a few words before saving this step.' in fragment
    assert not StepRecord.objects.exists() and documented() == 0


def test_htmx_is_told_to_swap_a_422_in_place():
    script = Path(__file__).resolve().parents[2] / "static" / "boundaries" / "js" / "app.js"
    assert 'responseHandling.unshift({ code: "422", swap: true, error: false })' in script.read_text()


def test_without_script_the_page_comes_back_with_the_message_by_the_field(client_for, practitioner, walking):
    response = post_step(client_for(practitioner), walking, "talking_points", htmx=False, value="x" * 2001)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<html" in body and "Walk-through: discuss" in body
    assert "Keep this under 2000 characters (it has 2001)." in body
    assert ">" + "x" * 2001 + "</textarea>" in body
    assert not StepRecord.objects.exists()


def test_a_nul_character_is_refused_by_the_form(client_for, practitioner, walking):
    response = post_step(client_for(practitioner), walking, "talking_points", value="Thank her\x00.")
    assert response.status_code == 422
    assert "Null characters are not allowed." in response.content.decode()
    assert not StepRecord.objects.exists() and documented() == 0


@pytest.mark.parametrize("key, value, message", [
    ("conversation_date", "2026-03-09", "This date is before the request arrived (10 Mar 2026)."),
    ("conversation_date", "0001-01-01", "This date is before the request arrived (10 Mar 2026)."),
    ("conversation_date", "{tomorrow}", "This date is still to come."),
    ("next_session_date", "9999-12-31", "Give a date within a year from today, by {horizon}."),
    ("next_session_date", "10000-01-01", "Enter a real date, such as 2026-03-14."),
    ("next_session_date", "", "Enter a date, such as 2026-03-14."),
])
def test_implausible_dates_are_refused_by_the_field_and_kept(client_for, practitioner, walking, key, value,
                                                             message):
    today = timezone.localdate()
    value = value.format(tomorrow=(today + dt.timedelta(days=1)).isoformat())
    message = message.format(horizon=f"{(today + dt.timedelta(days=365)).day} "
                                     f"{today + dt.timedelta(days=365):%b %Y}")
    response = post_step(client_for(practitioner), walking, key, value=value)
    assert response.status_code == 422
    fragment = response.content.decode()
    assert message in fragment and f'value="{value}"' in fragment
    assert not StepRecord.objects.exists() and documented() == 0


def test_the_date_limits_are_inclusive(client_for, practitioner, walking):
    client = client_for(practitioner)
    horizon = timezone.localdate() + dt.timedelta(days=365)
    assert post_step(client, walking, "next_session_date", value=horizon.isoformat()).status_code == 200
    assert post_step(client, walking, "conversation_date", value="2026-03-10").status_code == 200
    saved = dict(StepRecord.objects.values_list("step_key", "date"))
    assert saved == {"next_session_date": horizon, "conversation_date": dt.date(2026, 3, 10)}


def test_the_service_applies_the_same_date_rule(walking, practitioner):
    with pytest.raises(services.ValidationError) as error:
        services.request_save_step(contact_request=walking, actor=practitioner.user, step_key="conversation_date",
                                   value=dt.date(9999, 12, 31))
    assert error.value.messages == ["This date is still to come. Give the day it happened, and save this step "
                                    "once it has."]


def test_a_step_saved_meanwhile_in_another_tab_is_not_overwritten_silently(client_for, practitioner, walking):
    client = client_for(practitioner)
    first = post_step(client, walking, "talking_points", value="From the first tab.", revision="0")
    assert first.status_code == 200 and 'name="talking_points-revision" value="1"' in first.content.decode()
    second = post_step(client, walking, "talking_points", value="From the second tab.", revision="0")
    assert second.status_code == 422
    fragment = second.content.decode()
    assert "saved in another tab or window" in fragment
    assert ">From the second tab.</textarea>" in fragment
    assert "<strong>Saved now:</strong> <span class=\"text-prewrap\">From the first tab.</span>" in fragment
    assert 'name="talking_points-revision" value="1"' in fragment  # saving again now replaces it, deliberately
    assert StepRecord.objects.get().text == "From the first tab."
    again = post_step(client, walking, "talking_points", value="From the second tab.", revision="1")
    assert again.status_code == 200 and StepRecord.objects.get().text == "From the second tab."
    assert StepRecord.objects.get().revision == 2 and documented() == 2


def test_a_tampered_revision_is_refused_with_a_message(client_for, practitioner, walking):
    response = post_step(client_for(practitioner), walking, "talking_points", value="Points.", revision="-1")
    assert response.status_code == 422
    assert "This page is out of date: reload it" in response.content.decode()
    assert ">Points.</textarea>" in response.content.decode() and not StepRecord.objects.exists()


def test_a_step_of_a_closed_request_is_refused_with_what_was_typed(client_for, practitioner, walking):
    client = client_for(practitioner)
    page = client.get(reverse("scenarios:detail", args=[walking.pk]))
    assert page.status_code == 200
    services.request_close(contact_request=walking, actor=practitioner.user, outcome="withdrawn")
    response = post_step(client, walking, "conversation_notes", value="She took it well.")
    assert response.status_code == 422
    fragment = response.content.decode()
    assert "can&#x27;t be changed now: it was closed." in fragment and ">She took it well.</textarea>" in fragment
    assert not StepRecord.objects.exists()
