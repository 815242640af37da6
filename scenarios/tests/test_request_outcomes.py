"""Issue 8, item 1: a request closes the way its walk went, and the truth can still be recorded."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from scenarios import services
from scenarios.models import OUTCOMES_FOR_OPTION, ContactRequest, Outcome, RequestStatus, ReviewDecision

from .conftest import NOW

DOCS = Path(__file__).resolve().parents[2] / "docs" / "requests.md"


def choose(contact_request, membership, option: str, reason: str = "") -> None:
    services.request_choose_option(contact_request=contact_request, actor=membership.user, option=option,
                                   reason=reason)


def close(contact_request, membership, outcome: str, note: str = "") -> ContactRequest:
    return services.request_close(contact_request=contact_request, actor=membership.user, outcome=outcome,
                                  note=note, now=NOW)


def closed_events() -> int:
    return AuditEvent.objects.filter(action=AuditAction.REQUEST_CLOSED).count()


def test_the_reported_case_can_no_longer_be_closed_as_accepted_without_a_choice(log_request, practitioner):
    contact_request = log_request()  # a parent's Facebook request: accept is not allowed
    assert contact_request.verdict_of("accept") == "not_allowed"
    with pytest.raises(ValidationError) as error:
        close(contact_request, practitioner, "accepted")
    assert "Choose an option first" in error.value.message_dict["outcome"][0]
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.OPEN and contact_request.outcome == ""
    assert closed_events() == 0


def test_an_option_awaiting_approval_must_be_approved_before_closing(log_request, practitioner, supervisor):
    contact_request = log_request(relationship="community_member", client_status="", client_reference="")
    choose(contact_request, practitioner, "accept", "We coach the same junior football team.")
    with pytest.raises(ValidationError) as error:
        close(contact_request, practitioner, "accepted")
    assert "waiting for your supervisor's approval" in error.value.message_dict["outcome"][0]
    services.request_review(contact_request=contact_request, actor=supervisor.user, decision="approved")
    close(contact_request, practitioner, "accepted")
    contact_request.refresh_from_db()
    assert contact_request.outcome == Outcome.ACCEPTED and contact_request.needs_review is False


def test_an_outcome_that_does_not_fit_the_chosen_option_is_refused(log_request, practitioner):
    contact_request = log_request()
    choose(contact_request, practitioner, "decline")
    with pytest.raises(ValidationError) as error:
        close(contact_request, practitioner, "accepted", "Accepted after all.")
    assert "outcomes that fit decline" in error.value.message_dict["outcome"][0]
    contact_request.refresh_from_db()
    assert not contact_request.is_closed and closed_events() == 0
    close(contact_request, practitioner, "declined")
    contact_request.refresh_from_db()
    assert contact_request.outcome == Outcome.DECLINED and contact_request.needs_review is False


def test_already_accepted_needs_a_reason_and_waits_for_the_supervisor(log_request, practitioner, supervisor):
    contact_request = log_request()
    choose(contact_request, practitioner, "discuss")
    with pytest.raises(ValidationError) as error:
        close(contact_request, practitioner, "already_accepted", "   ")
    assert "Your supervisor reviews a request closed this way" in error.value.message_dict["note"][0]
    assert closed_events() == 0
    close(contact_request, practitioner, "already_accepted", "I tapped accept on my phone before I saw who it was.")
    contact_request.refresh_from_db()
    assert contact_request.is_closed and contact_request.needs_review is True
    assert contact_request.outcome_note.startswith("I tapped accept")
    event = AuditEvent.objects.get(action=AuditAction.REQUEST_CLOSED)
    assert event.data == {"outcome": "already_accepted", "option": "discuss", "needs_review": True}
    waiting = ContactRequest.objects.for_agency(practitioner.agency).needing_review()
    assert list(waiting) == [contact_request]


def test_a_supervisor_decides_on_a_closed_request_without_reopening_it(log_request, practitioner, supervisor):
    contact_request = log_request()
    choose(contact_request, practitioner, "decline")
    close(contact_request, practitioner, "already_accepted", "Accepted in a hurry at night.")
    with pytest.raises(ValidationError) as error:
        services.request_review(contact_request=contact_request, actor=supervisor.user,
                                decision=ReviewDecision.NOT_APPROVED)
    assert error.value.message_dict["note"] == ["Tell the practitioner what to do now."]
    services.request_review(contact_request=contact_request, actor=supervisor.user,
                            decision=ReviewDecision.NOT_APPROVED,
                            note="Remove the connection after you talk with the parent.")
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.CLOSED and contact_request.outcome == Outcome.ALREADY_ACCEPTED
    assert contact_request.chosen_option == "decline" and contact_request.needs_review is False
    assert contact_request.review_decision == ReviewDecision.NOT_APPROVED
    assert not ContactRequest.objects.needing_review().exists()
    with pytest.raises(ValidationError):
        services.request_review(contact_request=contact_request, actor=supervisor.user, decision="approved")


def test_the_documented_mapping_is_the_one_enforced():
    """docs/requests.md lists the outcomes that fit each option; this keeps it true."""
    table = DOCS.read_text().split("### Outcomes that fit each option", 1)[1].split("\n\n", 2)[1]
    labels = {label: value for value, label in Outcome.choices}
    documented = {}
    for row in table.splitlines()[2:]:
        option, outcomes = [cell.strip() for cell in row.strip("|").split("|")[:2]]
        documented[option.lower()] = [labels[name] for name in re.findall(r"\u201c(.+?)\u201d", outcomes)]
    assert documented == {option: list(outcomes) for option, outcomes in OUTCOMES_FOR_OPTION.items()}


def test_the_close_page_offers_only_the_outcomes_that_fit_and_says_why_a_reason_is_needed(
        client_for, practitioner, log_request):
    contact_request = log_request()
    client = client_for(practitioner)
    client.post(reverse("scenarios:choose", args=[contact_request.pk]), {"option": "decline"})
    body = client.get(reverse("scenarios:close", args=[contact_request.pk])).content.decode()
    offered = re.findall(r'name="outcome" value="([a-z_]+)"', body)
    assert offered == ["declined", "replied", "withdrawn", "already_accepted", "other"]
    assert ("Needed for \u201cI had already accepted it\u201d and \u201cSomething else\u201d: a request closed "
            "that way goes to your supervisor for review") in body
    assert "even though your policy doesn't allow accepting this request" in body


def test_a_refused_close_keeps_what_was_typed_and_explains_by_the_field(client_for, practitioner, log_request):
    contact_request = log_request()
    client = client_for(practitioner)
    client.post(reverse("scenarios:choose", args=[contact_request.pk]), {"option": "discuss"})
    url = reverse("scenarios:close", args=[contact_request.pk])
    response = client.post(url, {"outcome": "already_accepted", "note": ""})
    assert response.status_code == 400
    assert "goes to your supervisor for review" in response.context["form"].errors["note"][0]
    body = response.content.decode()
    assert re.search(r'value="already_accepted"[^>]*checked', body)
    response = client.post(url, {"outcome": "accepted", "note": "We are friends now."})
    assert response.status_code == 400 and "We are friends now." in response.content.decode()
    assert "Choose one of the outcomes listed." in response.context["form"].errors["outcome"][0]
    contact_request.refresh_from_db()
    assert not contact_request.is_closed and closed_events() == 0


def test_an_open_request_has_no_close_button_and_its_close_page_says_why(client_for, practitioner, log_request):
    contact_request = log_request()
    client = client_for(practitioner)
    detail = client.get(reverse("scenarios:detail", args=[contact_request.pk])).content.decode()
    assert "Close this request" not in detail and "You can close this request once you have chosen" in detail
    url = reverse("scenarios:close", args=[contact_request.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Choose an option first" in page.content.decode()
    assert 'name="outcome"' not in page.content.decode()
    response = client.post(url, {"outcome": "accepted", "note": "Accepted it."})
    assert response.status_code == 400 and "Choose an option first" in response.content.decode()
    assert "Accepted it." in response.content.decode()  # what was typed, to copy
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.OPEN and closed_events() == 0


def test_the_supervisor_sees_the_closed_request_in_the_count_and_decides_it(client_for, practitioner, supervisor,
                                                                            log_request):
    contact_request = log_request()
    client_for(practitioner).post(reverse("scenarios:choose", args=[contact_request.pk]), {"option": "discuss"})
    response = client_for(practitioner).post(reverse("scenarios:close", args=[contact_request.pk]), {
        "outcome": "already_accepted", "note": "Accepted before I saw it was the parent."})
    assert response.status_code == 302
    client = client_for(supervisor)
    review = client.get(reverse("scenarios:review"))
    assert "1 needs your decision." in review.content.decode()
    assert "Needs review" in review.content.decode()
    assert list(client.get(reverse("scenarios:review") + "?needs_decision=on").context["page"]) == [contact_request]
    body = client.get(reverse("scenarios:detail", args=[contact_request.pk])).content.decode()
    assert "Your decision" in body and "Accepted before I saw it was the parent." in body
    assert "It stays closed whatever you decide" in body
    response = client.post(reverse("scenarios:review_decide", args=[contact_request.pk]),
                           {"decision": "approved", "note": "Fine; keep your profile private."})
    assert response.status_code == 302
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.CLOSED and contact_request.review_decision == "approved"
    assert "Nothing needs your decision right now." in client.get(reverse("scenarios:review")).content.decode()
