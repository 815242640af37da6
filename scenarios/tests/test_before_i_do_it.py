""""Before I do it": the form, how a check is stored, walked through and closed, and what it never keeps."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from scenarios import services
from scenarios.models import ContactRequest, Outcome, RequestStatus, StepRecord

from .conftest import NOW

URL = reverse("scenarios:before")


def wrapper(body: str, css_id: str) -> str:
    """The opening tag of the element with this id, as the server sent it."""
    return re.search(rf'<div[^>]*id="{css_id}"[^>]*>', body).group(0)


def check(practitioner, **facts) -> ContactRequest:
    return services.request_log(agency=practitioner.agency, practitioner=practitioner.user, received_at=NOW,
                                now=NOW, **facts)


def test_log_a_request_offers_something_arrived_and_before_i_do_it(client_for, practitioner):
    client = client_for(practitioner)
    for name, current in (("scenarios:log", "Something arrived"), ("scenarios:before", "Before I do it")):
        body = client.get(reverse(name)).content.decode()
        assert reverse("scenarios:log") in body and reverse("scenarios:before") in body
        tabs = body.split('aria-label="What to log"', 1)[1].split("</nav>", 1)[0]
        tab = re.search(r'<a [^>]*aria-current="page"[^>]*>([^<]+)', tabs).group(1)
        assert tab == current


def test_the_questions_a_kind_adds_start_hidden_in_the_html(client_for, practitioner):
    client = client_for(practitioner)
    body = client.get(URL).content.decode()
    assert " hidden" in wrapper(body, "check-safety") and " hidden" in wrapper(body, "check-consent")
    assert "scenarios/js/check_form.js" in body and "<script>" not in body
    chosen = client.get(URL, {"kind": "look_up_client"}).content.decode()
    assert " hidden" not in wrapper(chosen, "check-safety") and " hidden" in wrapper(chosen, "check-consent")


def test_without_script_the_question_comes_back_shown_with_the_answers_kept(client_for, practitioner):
    response = client_for(practitioner).post(URL, {"kind": "post_photo", "context": "Playgroup picnic"})
    body = response.content.decode()
    assert response.status_code == 400 and not ContactRequest.objects.exists()
    assert " hidden" not in wrapper(body, "check-consent") and " hidden" in wrapper(body, "check-safety")
    assert "Answer this question: the guidance depends on it." in body
    assert "Playgroup picnic" in body


def test_a_photo_without_written_consent_is_logged_without_a_platform_and_held_off(client_for, practitioner):
    client = client_for(practitioner)
    response = client.post(URL, {"kind": "post_photo", "written_consent": "no"})
    contact_request = ContactRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("scenarios:detail", args=[contact_request.pk])
    assert (contact_request.medium, contact_request.relationship) == ("", "")
    assert contact_request.written_consent is False and contact_request.recommended == ["hold_off"]
    body = client.get(response.url).content.decode()
    assert "<h1 class=\"h3\">Post a photo taken at work</h1>" in body
    assert "Recommended: Hold off" in body and "Your three options" in body
    assert 'value="proceed" id="option-proceed" disabled' in body
    assert "HIPAA Privacy Rule 45 CFR 164.502(b)" in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "friend_request"}, "kind", "Choose one of the things listed."),
        ({"kind": ""}, "kind", "Choose what you are about to do."),
        ({"context": "Parent\x00posts"}, "context", "Null characters are not allowed."),
        ({"client_reference": "Maria Lopez"}, "client_reference", "This looks like a name."),
        ({"context": "call 555-123-4567"}, "context", "Leave out phone numbers"),
        ({"medium": "work_text"}, "medium", "Select a valid choice."),
        ({"relationship": "colleague"}, "relationship", "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_by_the_field_and_kept(client_for, practitioner, changes, field, message):
    data = {"kind": "reply_to_review", "context": "Two-star review", **changes}
    response = client_for(practitioner).post(URL, data)
    assert response.status_code == 400 and not ContactRequest.objects.exists()
    assert any(message in error for error in response.context["form"].errors[field])
    assert 'id="error_1_id_' + field + '"' in response.content.decode()


def test_the_platform_and_the_person_are_optional_and_kept_when_given(client_for, practitioner):
    client_for(practitioner).post(URL, {"kind": "look_up_client", "safety_concern": "yes", "medium": "facebook",
                                        "relationship": "client_family", "client_reference": "RB-1042"})
    contact_request = ContactRequest.objects.get()
    assert (contact_request.medium, contact_request.relationship) == ("facebook", "client_family")
    assert contact_request.title == "Look up a client online on Facebook"
    assert contact_request.safety_concern and contact_request.written_consent is False


def test_a_safety_concern_goes_to_the_supervisor_and_the_audit_keeps_no_free_text(practitioner):
    contact_request = check(practitioner, kind="look_up_client", safety_concern=True, client_reference="RB-7",
                            context="Worried after a missed visit")
    assert contact_request.recommended == ["ask_supervisor"] and contact_request.needs_review
    logged = AuditEvent.objects.get(action=AuditAction.REQUEST_LOGGED)
    assert logged.data["safety_concern"] is True and logged.data["medium"] == ""
    shown = AuditEvent.objects.get(action=AuditAction.GUIDANCE_SHOWN)
    assert shown.data["verdicts"] == ["proceed:needs_approval", "hold_off:allowed", "ask_supervisor:needs_approval"]
    for event in AuditEvent.objects.all():
        assert "missed visit" not in str(event.data) and "RB-7" not in str(event.data)


def test_a_request_that_arrived_still_needs_its_platform_and_sender(practitioner):
    with pytest.raises(ValidationError) as error:
        check(practitioner, kind="friend_request")
    assert error.value.message_dict == {"medium": ["Choose the platform or channel it came on."],
                                        "relationship": ["Choose who sent it."]}
    assert not ContactRequest.objects.exists()


def test_the_request_form_offers_no_check_and_still_asks_for_the_platform(client_for, practitioner):
    client = client_for(practitioner)
    body = client.get(reverse("scenarios:log")).content.decode()
    assert 'value="post_photo"' not in body
    response = client.post(reverse("scenarios:log"), {"kind": "friend_request", "received_at": "2026-03-10T21:05"})
    assert "This field is required." in response.context["form"].errors["medium"]


def test_holding_off_is_walked_through_and_closes_only_as_held_off_or_reviewed(practitioner):
    contact_request = check(practitioner, kind="post_about_work")
    with pytest.raises(ValidationError, match="Post it is not allowed here"):
        services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="proceed")
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="hold_off")
    keys = services.request_save_phase(contact_request=contact_request, actor=practitioner.user, now=NOW, answers={
        "planned_action": ("Not posting about the hard visit.", None),
        "instead": ("Talked it over in supervision.", None),
    })
    assert keys == ["planned_action", "instead"]
    with pytest.raises(ValidationError, match="Choose one of the outcomes that fit hold off"):
        services.request_close(contact_request=contact_request, actor=practitioner.user, outcome=Outcome.WENT_AHEAD)
    with pytest.raises(ValidationError) as error:
        services.request_close(contact_request=contact_request, actor=practitioner.user,
                               outcome=Outcome.ALREADY_DONE)
    assert "note" in error.value.message_dict
    services.request_close(contact_request=contact_request, actor=practitioner.user, outcome=Outcome.HELD_OFF)
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.CLOSED and not contact_request.needs_review


def test_asking_the_supervisor_waits_for_their_approval_which_fills_in_its_step(practitioner, supervisor):
    contact_request = check(practitioner, kind="reply_to_review")
    assert contact_request.recommended == ["proceed"]
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user,
                                   option="ask_supervisor", reason="First review I have seen of us.")
    assert contact_request.status == RequestStatus.AWAITING_APPROVAL
    assert "Choose an option first" not in services.close_blocker(contact_request)
    assert services.close_blocker(contact_request).startswith("The option you chose is waiting")
    services.request_review(contact_request=contact_request, actor=supervisor.user, decision="approved", now=NOW)
    approval = StepRecord.objects.get(request=contact_request, step_key="supervisor_approval")
    assert approval.done and contact_request.status == RequestStatus.IN_PROGRESS
    services.request_close(contact_request=contact_request, actor=practitioner.user, outcome=Outcome.WENT_AHEAD)
    assert contact_request.outcome == Outcome.WENT_AHEAD


def test_my_requests_and_review_list_a_check_by_what_it_is(client_for, practitioner, supervisor):
    check(practitioner, kind="post_photo", written_consent=True)
    mine = client_for(practitioner).get(reverse("scenarios:list")).content.decode()
    review = client_for(supervisor).get(reverse("scenarios:review")).content.decode()
    for body in (mine, review):
        assert ">Post a photo taken at work</a>" in body
        assert '<td data-label="From">Before I do it</td>' in body


def test_the_dashboard_counts_checks_without_a_platform_or_a_person(practitioner):
    from scenarios.dashboard import NO_MEDIUM, NO_ONE, dashboard_for

    contact_request = check(practitioner, kind="post_about_work")
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="hold_off")
    day = NOW.date()
    dashboard = dashboard_for(agency=practitioner.agency, since=day, until=day, today=day)
    assert NO_MEDIUM in dashboard.chart("platforms").headers
    assert NO_ONE in dashboard.chart("relationships").headers
    # The three options show only once there are checks using them: here hold off, recommended and chosen.
    assert dashboard.chart("options").rows[4:] == (("Hold off", 1, 1),)
