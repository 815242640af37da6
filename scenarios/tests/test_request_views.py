import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from scenarios.models import ContactRequest, RequestStatus, StepRecord

VALID = {
    "kind": "friend_request", "medium": "facebook", "received_at": "2026-03-10T21:05",
    "relationship": "client_family", "client_status": "current", "client_reference": "RB-1042",
    "context": "Child in hospital; parent posts updates there.",
}


def post_log(client, **changes):
    return client.post(reverse("scenarios:log"), {**VALID, **changes})


def test_logging_a_request_shows_the_recommendation_first(client_for, practitioner):
    client = client_for(practitioner)
    response = post_log(client)
    contact_request = ContactRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("scenarios:detail", args=[contact_request.pk])
    assert contact_request.practitioner == practitioner.user and contact_request.agency == practitioner.agency
    assert contact_request.received_at == timezone.make_aware(dt.datetime(2026, 3, 10, 21, 5))
    body = client.get(response.url).content.decode()
    assert body.index("Recommended: Discuss, then decline") < body.index("Your four options")
    for label in ("Not allowed", "Allowed", "Choose accept", "Choose decline", "NASW Code of Ethics 1.06(h)",
                  "Outside working hours", "RB-1042"):
        assert label in body
    assert 'value="accept" id="option-accept" disabled' in body


def test_the_log_form_is_quick_and_warns_against_names(client_for, practitioner):
    body = client_for(practitioner).get(reverse("scenarios:log")).content.decode()
    assert "Never a name" in body and "No names and no diagnosis" in body
    assert "diagnosis" not in body.split("Context")[0].lower()
    assert 'type="datetime-local"' in body and "scenarios/js/request_form.js" in body
    assert "<script>" not in body and " onclick=" not in body


@pytest.mark.parametrize("changes, field, message", [
    ({"client_reference": "Maria Lopez"}, "client_reference", "looks like a name"),
    ({"client_reference": "Jennifer"}, "client_reference", "looks like a name"),
    ({"client_reference": "RB-1042-2026-ABCDEFGHIJ"}, "client_reference", "at most 20 characters"),
    ({"client_reference": ""}, "client_reference", "case number or initials"),
    ({"client_status": ""}, "client_status", "Choose the client"),
    ({"client_status": "discharged"}, "discharged_on", "Give the discharge date"),
    ({"client_status": "discharged", "discharged_on": "2026-04-01"}, "discharged_on", "can't be after"),
    ({"relationship": "former_client", "client_status": "current"}, "client_status", "former client"),
    ({"received_at": "2099-01-01T10:00"}, "received_at", "in the future"),
    ({"received_at": "yesterday"}, "received_at", "Enter a valid date/time"),
    ({"medium": "myspace"}, "medium", "Select a valid choice"),
])
def test_bad_input_is_explained_by_the_field_and_kept(client_for, practitioner, changes, field, message):
    response = post_log(client_for(practitioner), **changes)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    body = response.content.decode()
    assert "Child in hospital; parent posts updates there." in body
    assert not ContactRequest.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="request.").exists()


def test_client_answers_are_dropped_for_a_colleague(client_for, practitioner):
    post_log(client_for(practitioner), relationship="colleague", kind="connection_request", medium="linkedin",
             client_reference="Maria Lopez", client_status="current")
    contact_request = ContactRequest.objects.get()
    assert contact_request.client_reference == "" and contact_request.client_status == ""


def test_a_former_client_is_recorded_as_discharged(client_for, practitioner):
    post_log(client_for(practitioner), relationship="former_client", client_status="",
             discharged_on="2020-01-15", kind="connection_request", medium="linkedin")
    contact_request = ContactRequest.objects.get()
    assert contact_request.client_status == "discharged"
    assert contact_request.discharged_on == dt.date(2020, 1, 15)


def test_choosing_a_forbidden_option_shows_the_error_and_changes_nothing(client_for, practitioner, log_request):
    contact_request = log_request()
    response = client_for(practitioner).post(reverse("scenarios:choose", args=[contact_request.pk]),
                                             {"option": "accept", "reason": "I know them."})
    assert response.status_code == 400
    assert "Accept is not allowed here" in response.content.decode()
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.OPEN


def test_choosing_another_option_without_a_reason_asks_for_one(client_for, practitioner, log_request):
    contact_request = log_request()
    response = client_for(practitioner).post(reverse("scenarios:choose", args=[contact_request.pk]),
                                             {"option": "ignore"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="reason-error"' in body and "say briefly why" in body
    assert 'value="ignore" id="option-ignore" checked' in body


def test_the_walk_through_saves_a_step_in_place_with_htmx(client_for, practitioner, log_request):
    contact_request = log_request()
    client = client_for(practitioner)
    client.post(reverse("scenarios:choose", args=[contact_request.pk]), {"option": "discuss"})
    body = client.get(reverse("scenarios:detail", args=[contact_request.pk])).content.decode()
    assert "Walk-through: discuss" in body and "Ways to start the conversation" in body
    assert 'hx-post="/requests/%d/steps/talking_points/"' % contact_request.pk in body
    url = reverse("scenarios:step", args=[contact_request.pk, "talking_points"])
    response = client.post(url, {"value": "Thank her; explain the policy."}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.lstrip().startswith('<li class="card mb-2 border-success"')
    assert "Saved." in fragment and 'hx-swap-oob="true"' in fragment and "<html" not in fragment
    assert StepRecord.objects.get().text == "Thank her; explain the policy."


def test_a_bad_step_keeps_what_was_typed(client_for, practitioner, log_request):
    contact_request = log_request()
    client = client_for(practitioner)
    client.post(reverse("scenarios:choose", args=[contact_request.pk]), {"option": "discuss"})
    url = reverse("scenarios:step", args=[contact_request.pk, "next_session_date"])
    response = client.post(url, {"value": "next Tuesday"}, HTTP_HX_REQUEST="true")
    # 422, which htmx is set to swap in place (a 400 it would drop, or DEBUG would show as a bare page).
    assert response.status_code == 422
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<li class="card mb-2" id="step-next_session_date"') and "<html" not in fragment
    assert "Enter a real date" in fragment and 'value="next Tuesday"' in fragment
    response = client.post(url, {"value": "next Tuesday"})
    assert response.status_code == 400 and "Enter a real date" in response.content.decode()
    assert not StepRecord.objects.exists()


def test_a_step_saves_without_script_too(client_for, practitioner, log_request):
    contact_request = log_request()
    client = client_for(practitioner)
    client.post(reverse("scenarios:choose", args=[contact_request.pk]), {"option": "discuss"})
    response = client.post(reverse("scenarios:step", args=[contact_request.pk, "pause"]), {"value": "on"})
    assert response.status_code == 302 and response.url.endswith("#step-pause")
    assert StepRecord.objects.get().done is True


def test_closing_a_request_with_an_outcome(client_for, practitioner, log_request):
    contact_request = log_request()
    client = client_for(practitioner)
    client.post(reverse("scenarios:choose", args=[contact_request.pk]), {"option": "decline"})
    url = reverse("scenarios:close", args=[contact_request.pk])
    assert "Close the request" in client.get(url).content.decode()
    response = client.post(url, {"outcome": "other"})
    assert response.status_code == 400 and "Say briefly what happened and why" in response.content.decode()
    response = client.post(url, {"outcome": "declined", "note": "Declined after the visit."})
    assert response.status_code == 302
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.CLOSED
    body = client.get(response.url).content.decode()
    assert "Declined or removed on the platform" in body and "Close this request" not in body


def test_viewing_is_recorded_without_content(client_for, practitioner, log_request):
    contact_request = log_request()
    client_for(practitioner).get(reverse("scenarios:detail", args=[contact_request.pk]))
    event = AuditEvent.objects.get(action=AuditAction.REQUEST_VIEWED)
    assert event.data == {"status": "open"} and event.target_id == str(contact_request.pk)


def test_my_requests_groups_by_status_and_shows_follow_ups(client_for, practitioner, log_request):
    waiting = log_request()
    closed = log_request(client_reference="CD-7")
    client = client_for(practitioner)
    client.post(reverse("scenarios:choose", args=[waiting.pk]), {"option": "decline"})
    client.post(reverse("scenarios:step", args=[waiting.pk, "next_session_date"]), {"value": "2026-03-13"})
    client.post(reverse("scenarios:choose", args=[closed.pk]), {"option": "decline"})
    client.post(reverse("scenarios:close", args=[closed.pk]), {"outcome": "withdrawn"})
    open_body = client.get(reverse("scenarios:list")).content.decode()
    assert "No open requests" in open_body and "13 Mar 2026" in open_body
    conversation = client.get(reverse("scenarios:list") + "?show=conversation").content.decode()
    assert "RB-1042" in conversation and "CD-7" not in conversation
    closed_body = client.get(reverse("scenarios:list") + "?show=closed").content.decode()
    assert "CD-7" in closed_body and "RB-1042" not in closed_body


def test_empty_lists_say_so(client_for, practitioner, supervisor):
    assert "No open requests" in client_for(practitioner).get(reverse("scenarios:list")).content.decode()
    body = client_for(supervisor).get(reverse("scenarios:review")).content.decode()
    assert "No requests have been logged at your agency yet" in body


def test_the_review_list_filters_by_status_practitioner_and_date(client_for, practitioner, supervisor, log_request):
    colleague = log_request(supervisor, client_reference="SUP-1")
    mine = log_request(received_at=timezone.make_aware(dt.datetime(2026, 2, 1, 10, 0)))
    client_for(practitioner).post(reverse("scenarios:choose", args=[mine.pk]), {"option": "discuss"})
    client = client_for(supervisor)
    rows = lambda query: list(client.get(reverse("scenarios:review") + query).context["page"].object_list)  # noqa: E731
    assert rows("") == [colleague, mine]
    assert rows("?status=awaiting_conversation") == [mine]
    assert rows(f"?practitioner={supervisor.user.pk}") == [colleague]
    assert rows("?received_from=2026-03-01") == [colleague]
    assert rows("?received_to=2026-02-28&medium=facebook&relationship=client_family") == [mine]
    assert rows("?medium=linkedin") == []
    assert "No requests match these filters" in client.get(reverse("scenarios:review") + "?medium=linkedin").content.decode()


def test_the_supervisor_decides_on_an_option_awaiting_approval(client_for, practitioner, supervisor, log_request):
    contact_request = log_request(relationship="community_member", client_status="", client_reference="")
    client_for(practitioner).post(reverse("scenarios:choose", args=[contact_request.pk]),
                                  {"option": "accept", "reason": "Same football club."})
    client = client_for(supervisor)
    assert [r.pk for r in client.get(reverse("scenarios:review") + "?needs_decision=on").context["page"]] == [
        contact_request.pk]
    body = client.get(reverse("scenarios:detail", args=[contact_request.pk])).content.decode()
    assert "Your decision" in body and "Same football club." in body
    response = client.post(reverse("scenarios:review_decide", args=[contact_request.pk]), {"decision": "approved"})
    assert response.status_code == 302
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.IN_PROGRESS
    assert AuditEvent.objects.filter(action=AuditAction.REVIEW_DECIDED).count() == 1


def test_an_invalid_review_filter_shows_its_error_and_no_rows(client_for, practitioner, supervisor, log_request):
    log_request()
    response = client_for(supervisor).get(reverse("scenarios:review") + "?received_from=not-a-date")
    assert list(response.context["page"].object_list) == []
    assert "Enter a valid date." in response.content.decode()


def test_own_requests_never_wait_and_closing_does_not_skip_the_review(client_for, practitioner, supervisor,
                                                                      log_request):
    flagged = log_request()
    client_for(practitioner).post(reverse("scenarios:choose", args=[flagged.pk]),
                                  {"option": "ignore", "reason": "Waiting to see if she asks."})
    own = log_request(supervisor, client_reference="SUP-2")
    client_for(supervisor).post(reverse("scenarios:choose", args=[own.pk]),
                                {"option": "ignore", "reason": "Waiting to see."})
    client = client_for(supervisor)
    waiting = lambda: list(client.get(reverse("scenarios:review") + "?needs_decision=on").context["page"])  # noqa: E731
    assert waiting() == [flagged]
    client_for(practitioner).post(reverse("scenarios:close", args=[flagged.pk]), {"outcome": "left_unanswered"})
    flagged.refresh_from_db()
    assert flagged.is_closed
    # Closing before the supervisor looked must not make the review disappear.
    assert waiting() == [flagged]
    client.post(reverse("scenarios:review_decide", args=[flagged.pk]), {"decision": "approved"})
    assert waiting() == []
    assert "Nothing needs your decision right now." in client.get(reverse("scenarios:review")).content.decode()


def test_an_empty_post_shows_the_errors_instead_of_a_blank_form(client_for, practitioner):
    response = client_for(practitioner).post(reverse("scenarios:log"), {})
    assert response.status_code in (200, 400)
    assert "This field is required." in response.content.decode()
    assert not ContactRequest.objects.exists()


def test_the_review_filter_takes_the_extreme_dates_without_an_error(client_for, supervisor, log_request):
    log_request()
    client = client_for(supervisor)
    response = client.get(reverse("scenarios:review") + "?received_from=0001-01-01&received_to=9999-12-31")
    assert response.status_code == 200 and len(response.context["page"].object_list) == 1
    response = client.get(reverse("scenarios:review") + "?received_from=10000-01-01")
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()
