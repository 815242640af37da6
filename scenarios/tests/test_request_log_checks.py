"""What the log form and `request_log` refuse or ask about: names, contact details, odd dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from scenarios import services
from scenarios.models import ContactRequest

from .conftest import facebook_from_parent
from .test_request_views import post_log

ISSUE_CONTEXT = "Jennifer Smith's mother, diagnosed with autism"


def nothing_written() -> bool:
    return not ContactRequest.objects.exists() and not AuditEvent.objects.filter(action__startswith="request.").exists()


def field_errors(response, field: str) -> str:
    assert response.status_code == 400
    return " ".join(response.context["form"].errors[field])


# The service: whoever calls it, a command or code, can't store what the form refuses.

@pytest.mark.parametrize("reference, message", [
    ("Maria Lopez", "looks like a name"),
    ("jt@example.org", "looks like an email address"),
    ("555-0134", "looks like a phone number"),
])
def test_the_service_refuses_a_reference_that_identifies_the_client(practitioner, reference, message):
    with pytest.raises(ValidationError) as error:
        services.request_log(agency=practitioner.agency, practitioner=practitioner.user,
                             **facebook_from_parent(client_reference=reference))
    assert message in " ".join(error.value.message_dict["client_reference"])
    assert nothing_written()


@pytest.mark.parametrize("context, message", [
    ("Her mum wrote from jt@example.org", "Leave out email addresses (\u201cjt@example.org\u201d)"),
    ("Texted from (555) 013-4567 at midnight", "Leave out phone numbers (\u201c(555) 013-4567\u201d)"),
])
def test_the_service_never_stores_contact_details_in_the_context(practitioner, context, message):
    with pytest.raises(ValidationError) as error:
        services.request_log(agency=practitioner.agency, practitioner=practitioner.user,
                             **facebook_from_parent(context=context))
    assert message in " ".join(error.value.message_dict["context"])
    assert nothing_written()


@pytest.mark.parametrize("changes, field, message", [
    ({"received_at": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))}, "received_at",
     "before 2000"),
    ({"received_at": timezone.make_aware(dt.datetime(2999, 1, 1))}, "received_at", "in the future"),
    ({"client_status": "discharged", "discharged_on": dt.date(1900, 1, 1)}, "discharged_on", "before 1950"),
    ({"client_status": "discharged", "discharged_on": dt.date(2026, 3, 11)}, "discharged_on", "can't be after"),
    ({"client_status": "current", "discharged_on": dt.date(2025, 3, 11)}, "discharged_on", "only for a discharged"),
    ({"medium": "myspace"}, "medium", "not a valid choice"),
])
def test_the_service_refuses_implausible_facts_without_a_traceback(practitioner, changes, field, message):
    with pytest.raises(ValidationError) as error:
        services.request_log(agency=practitioner.agency, practitioner=practitioner.user,
                             **facebook_from_parent(**changes))
    assert message in " ".join(error.value.message_dict[field])
    assert nothing_written()


def test_the_service_keeps_a_name_in_the_context_it_was_told_is_fine(practitioner):
    # Only the form can ask the practitioner; the service stores what they confirmed.
    contact_request = services.request_log(agency=practitioner.agency, practitioner=practitioner.user,
                                           **facebook_from_parent(context=ISSUE_CONTEXT))
    assert ContactRequest.objects.get(pk=contact_request.pk).context == ISSUE_CONTEXT


# The form: a message by the field, what was typed kept, nothing written.

@pytest.mark.parametrize("changes, field, message", [
    ({"received_at": "0001-01-01T00:00:00+14:00"}, "received_at", "This is before 2000."),
    ({"received_at": "9999-12-31T23:59:59-14:00"}, "received_at", "in the future"),
    ({"received_at": "1900-01-01T10:00"}, "received_at", "This is before 2000."),
    ({"received_at": "1999-12-31T23:59"}, "received_at", "This is before 2000."),
    ({"received_at": "2999-01-01T10:00"}, "received_at", "in the future"),
    ({"client_status": "discharged", "discharged_on": "1900-01-01"}, "discharged_on", "This is before 1950."),
    ({"client_status": "discharged", "discharged_on": "0001-01-01"}, "discharged_on", "This is before 1950."),
    ({"client_status": "discharged", "discharged_on": "2026-03-11"}, "discharged_on", "can't be after"),
    ({"client_reference": "jt@example.org"}, "client_reference", "looks like an email address"),
    ({"client_reference": "+1 555 013 4567"}, "client_reference", "looks like a phone number"),
    ({"context": "call 555-0134", "context_checked": "on"}, "context", "Leave out phone numbers"),
    ({"context": "mum is jt@example.org", "context_checked": "on"}, "context", "Leave out email addresses"),
])
def test_the_form_explains_each_refusal_by_its_field(client_for, practitioner, changes, field, message):
    response = post_log(client_for(practitioner), **changes)
    assert message in field_errors(response, field)
    assert "RB-1042" in response.content.decode() or changes.get("client_reference")
    assert nothing_written()


def test_the_earliest_and_latest_plausible_dates_are_accepted(client_for, practitioner):
    client = client_for(practitioner)
    now = timezone.localtime().replace(second=0, microsecond=0)
    assert post_log(client, received_at="2000-01-01T00:00", client_status="discharged",
                    discharged_on="1950-01-01").status_code == 302
    assert post_log(client, received_at=now.strftime("%Y-%m-%dT%H:%M"), client_status="discharged",
                    discharged_on=now.date().isoformat()).status_code == 302
    assert ContactRequest.objects.count() == 2


def test_a_context_that_may_hold_a_name_or_diagnosis_asks_before_saving(client_for, practitioner):
    client = client_for(practitioner)
    response = post_log(client, context=ISSUE_CONTEXT)
    message = field_errors(response, "context")
    assert "a name (\u201cJennifer Smith's\u201d)" in message
    assert "a diagnosis (\u201cdiagnosed\u201d, \u201cautism\u201d)" in message
    body = response.content.decode()
    assert "Jennifer Smith&#x27;s mother, diagnosed with autism</textarea>" in body
    assert 'type="checkbox" name="context_checked"' in body
    assert "I&#x27;ve checked: these words hold no name and no diagnosis" in body
    assert nothing_written()

    edited = post_log(client, context="Parent of a child on the caseload.")
    assert edited.status_code == 302
    assert ContactRequest.objects.get().context == "Parent of a child on the caseload."


def test_ticking_the_box_saves_the_words_as_typed(client_for, practitioner):
    response = post_log(client_for(practitioner), context=ISSUE_CONTEXT, context_checked="on")
    assert response.status_code == 302
    assert ContactRequest.objects.get().context == ISSUE_CONTEXT


def test_the_tick_box_shows_only_when_it_is_needed(client_for, practitioner):
    client = client_for(practitioner)
    assert 'type="checkbox" name="context_checked"' not in client.get(reverse("scenarios:log")).content.decode()
    response = post_log(client, client_reference="")
    assert 'type="checkbox" name="context_checked"' not in response.content.decode()


def test_a_confirmed_context_stays_confirmed_when_another_answer_needs_fixing(client_for, practitioner):
    response = post_log(client_for(practitioner), context=ISSUE_CONTEXT, context_checked="on", client_reference="")
    assert "context" not in response.context["form"].errors
    assert 'type="checkbox" name="context_checked"' in response.content.decode()
    assert 'id="id_context_checked" checked' in response.content.decode()



def test_a_refusal_from_the_service_shows_by_its_field_too(client_for, practitioner, monkeypatch):
    def refuse(**facts):
        raise ValidationError({"client_reference": "This reference is already used for another family."})

    monkeypatch.setattr(services, "request_log", refuse)
    response = post_log(client_for(practitioner))
    assert "already used for another family" in field_errors(response, "client_reference")
    assert "Child in hospital; parent posts updates there." in response.content.decode()
    assert nothing_written()
