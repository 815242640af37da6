"""Issue 11, "a lighter walk-through": two phases each saved with one button while every box still
autosaves, "Record the request" filled in from the log, "Ready to close", situation labels for the
four options, and one "Recommended" badge with "then …" on the second of a sequence."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditAction, AuditEvent
from scenarios import services
from scenarios.engine import evaluate
from scenarios.engine.labels import Phase, phase_of
from scenarios.engine.steps import APPROVAL_WALKS, WALKS
from scenarios.models import ContactRequest, RequestStatus, StepRecord

from .conftest import NOW


@pytest.fixture
def walking(log_request, practitioner):
    """A parent's Facebook request (arrived 10 March 2026) with discuss chosen."""
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="discuss")
    return contact_request


def phase_url(contact_request, phase: str) -> str:
    return reverse("scenarios:phase", args=[contact_request.pk, phase])


def detail(client, contact_request) -> str:
    response = client.get(reverse("scenarios:detail", args=[contact_request.pk]))
    assert response.status_code == 200
    return response.content.decode()


BEFORE = {"pause-value": "on", "record_request-value": "Friend request on Facebook, 10 March.",
          "planned_action-value": "Talk first, then decline.", "talking_points-value": "The policy, kindly.",
          "next_session_date-value": "2026-03-17"}
AFTER = {"explain_policy-value": "on", "role_not_person-value": "on", "validate_feelings-value": "on",
         "offer_alternatives-value": "on", "conversation_date-value": "2026-03-12",
         "conversation_notes-value": "She understood; a little sad.", "done_on_platform-value": "on"}


def test_every_walk_runs_before_the_conversation_then_after_it():
    for walks in (*[walk.values() for walk in WALKS.values()], [APPROVAL_WALKS[track] for track in APPROVAL_WALKS]):
        for steps in walks:
            phases = [phase_of(step.key) for step in steps]
            assert phases == sorted(phases, key=list(Phase).index)
            assert phases[-1] is Phase.AFTER


def test_a_text_message_names_its_options_for_the_situation_and_keeps_the_keys():
    from scenarios.engine import Facts
    from scenarios.engine.vocabulary import Channel, ClientStatus, Relationship, RequestKind

    facts = Facts(kind=RequestKind.TEXT_MESSAGE, medium=Channel.WORK_TEXT, relationship=Relationship.CURRENT_CLIENT,
                  client_status=ClientStatus.CURRENT, discharged_on=None,
                  received_at=dt.datetime(2026, 3, 10, 21, 5))
    out = evaluate(facts, None, dt.datetime(2026, 3, 11, 9, 0)).to_dict()
    assert list(out["options"]) == ["accept", "ignore", "discuss", "decline"]
    assert [option["label"] for option in out["options"].values()] == [
        "Reply", "Leave it", "Raise it at the next session", "Tell them this channel isn't used"]


def test_the_page_shows_a_text_messages_labels(client_for, practitioner, log_request):
    contact_request = log_request(kind="text_message", medium="work_text", relationship="current_client")
    body = detail(client_for(practitioner), contact_request)
    for label in ("Reply", "Leave it", "Raise it at the next session", "Tell them this channel isn&#x27;t used"):
        assert f'-heading">\n        {label}\n' in body
    assert "Choose tell them this channel isn&#x27;t used" in body


def test_guidance_stored_without_labels_falls_back_to_the_plain_names(client_for, practitioner, log_request):
    contact_request = log_request(kind="text_message", medium="work_text", relationship="current_client")
    for option in contact_request.guidance["output"]["options"].values():
        del option["label"]
    contact_request.save(update_fields=["guidance"])
    body = detail(client_for(practitioner), contact_request)
    assert '-heading">\n        Reply\n' not in body
    for label in ("Accept", "Ignore", "Discuss", "Decline"):
        assert f'-heading">\n        {label}\n' in body


def test_only_the_first_recommended_option_has_the_badge_and_the_second_reads_then(client_for, practitioner,
                                                                                    log_request):
    contact_request = log_request()
    assert contact_request.recommended == ["discuss", "decline"]
    body = detail(client_for(practitioner), contact_request)
    assert body.count('<span class="badge text-bg-brand">Recommended</span>') == 1
    assert body.index("Recommended</span>") > body.index('id="option-discuss-heading"')
    assert 'then decline<span class="visually-hidden">, after discuss</span>' in body


def test_the_walk_shows_two_phases_each_with_one_save_button_and_autosaving_boxes(client_for, practitioner,
                                                                                   walking):
    body = detail(client_for(practitioner), walking)
    before, after = body.index('id="phase-before"'), body.index('id="phase-after"')
    assert before < body.index('id="step-next_session_date"') < after < body.index('id="step-conversation_notes"')
    assert "Before the conversation" in body and "After the conversation" in body
    assert body.count('<button type="submit" class="btn btn-primary">Save &ldquo;') == 2
    assert "Save step" not in body
    assert f'action="{phase_url(walking, "before")}"' in body
    step_url = reverse("scenarios:step", args=[walking.pk, "talking_points"])
    assert f'hx-post="{step_url}" hx-trigger="change delay:250ms" hx-target="#step-talking_points"' in body
    assert 'data-walk-phase="before"' in body and "scenarios/js/walk.js" in body


def test_record_the_request_is_filled_in_from_what_was_logged(client_for, practitioner, walking):
    body = detail(client_for(practitioner), walking)
    summary = ("Friend request on Facebook, from a client&#x27;s family member, received 10 Mar 2026 at 21:05. "
               "Client reference RB-1042.")
    assert f">{summary}</textarea>" in body
    assert "Filled in from what you logged" in body


def test_one_button_saves_the_whole_phase_without_script(client_for, practitioner, walking):
    response = client_for(practitioner).post(phase_url(walking, "before"), BEFORE)
    assert response.status_code == 302 and response.url.endswith("#phase-before")
    saved = {step.step_key: step for step in StepRecord.objects.all()}
    assert set(saved) == {"pause", "record_request", "planned_action", "talking_points", "next_session_date"}
    assert saved["next_session_date"].date == dt.date(2026, 3, 17) and saved["pause"].done
    assert saved["planned_action"].text == "Talk first, then decline."
    assert AuditEvent.objects.filter(action=AuditAction.STEP_DOCUMENTED).count() == 5
    walking.refresh_from_db()
    assert walking.status == RequestStatus.AWAITING_CONVERSATION and walking.follow_up_on == dt.date(2026, 3, 17)


def test_saving_a_phase_again_unchanged_writes_nothing(client_for, practitioner, walking):
    client = client_for(practitioner)
    client.post(phase_url(walking, "before"), BEFORE)
    revisions = {key: f"{key.removesuffix('-value')}-revision" for key in BEFORE}
    again = client.post(phase_url(walking, "before"), {**BEFORE, **{rev: "1" for rev in revisions.values()}})
    assert again.status_code == 302
    assert set(StepRecord.objects.values_list("revision", flat=True)) == {1}
    assert AuditEvent.objects.filter(action=AuditAction.STEP_DOCUMENTED).count() == 5


def test_a_refused_box_shows_its_message_and_nothing_of_the_phase_is_saved(client_for, practitioner, walking):
    data = {**BEFORE, "next_session_date-value": "2026-03-01"}
    response = client_for(practitioner).post(phase_url(walking, "before"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-next_session_date" role="alert">This date is before the request arrived' in body
    assert ">The policy, kindly.</textarea>" in body and ">Talk first, then decline.</textarea>" in body
    assert 'value="2026-03-01"' in body
    assert not StepRecord.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.STEP_DOCUMENTED).exists()


def test_a_nul_character_in_a_phase_is_refused_by_the_form(client_for, practitioner, walking):
    response = client_for(practitioner).post(phase_url(walking, "before"),
                                             {**BEFORE, "talking_points-value": "Kind\x00ly."})
    assert response.status_code == 400
    assert 'id="error-talking_points" role="alert">Null characters are not allowed.' in response.content.decode()
    assert not StepRecord.objects.exists()


def test_a_phase_saved_meanwhile_in_another_tab_is_not_overwritten(client_for, practitioner, walking):
    client = client_for(practitioner)
    services.request_save_step(contact_request=walking, actor=practitioner.user, step_key="talking_points",
                               value="From the other tab.")
    response = client.post(phase_url(walking, "before"), {**BEFORE, "talking_points-revision": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "saved in another tab or window" in body
    assert ">The policy, kindly.</textarea>" in body
    assert '<strong>Saved now:</strong> <span class="text-prewrap">From the other tab.</span>' in body
    assert list(StepRecord.objects.values_list("step_key", "text")) == [("talking_points", "From the other tab.")]


def test_a_phase_of_a_closed_request_is_refused_with_what_was_typed(client_for, practitioner, walking):
    client = client_for(practitioner)
    services.request_close(contact_request=walking, actor=practitioner.user, outcome="withdrawn")
    response = client.post(phase_url(walking, "before"), BEFORE)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved." in body and "it was closed." in body
    assert ">The policy, kindly.</textarea>" in body
    assert not StepRecord.objects.exists()


def test_an_unknown_phase_is_not_found(client_for, practitioner, walking):
    assert client_for(practitioner).post(phase_url(walking, "during"), BEFORE).status_code == 404


def test_a_box_autosaves_on_its_own_from_the_phase_form(client_for, practitioner, walking):
    url = reverse("scenarios:step", args=[walking.pk, "talking_points"])
    # htmx sends the whole phase form; only the changed box is saved.
    response = client_for(practitioner).post(url, {**BEFORE, "talking_points-revision": "0",
                                                   "planned_action-revision": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="talking_points-revision" value="1"' in response.content.decode()
    assert list(StepRecord.objects.values_list("step_key", "text")) == [("talking_points", "The policy, kindly.")]


def test_an_autosaved_box_with_a_bad_date_comes_back_in_place(client_for, practitioner, walking):
    url = reverse("scenarios:step", args=[walking.pk, "next_session_date"])
    response = client_for(practitioner).post(url, {"next_session_date-value": "2026-03-01",
                                                   "next_session_date-revision": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<li class="card mb-2" id="step-next_session_date"')
    assert 'value="2026-03-01"' in fragment and "This date is before the request arrived" in fragment
    assert not StepRecord.objects.exists()


def test_when_every_step_is_done_the_request_is_ready_to_close(client_for, practitioner, walking):
    client = client_for(practitioner)
    client.post(phase_url(walking, "before"), BEFORE)
    assert "Ready to close" not in detail(client, walking)
    client.post(phase_url(walking, "after"), {key: value for key, value in AFTER.items()
                                              if key != "done_on_platform-value"})
    url = reverse("scenarios:step", args=[walking.pk, "done_on_platform"])
    last = client.post(url, {"done_on_platform-value": "on", "done_on_platform-revision": "0"},
                       HTTP_HX_REQUEST="true")
    assert 'id="close-action" hx-swap-oob="true"' in last.content.decode()
    assert "Ready to close" in last.content.decode()
    body = detail(client, walking)
    close = reverse("scenarios:close", args=[walking.pk])
    assert "Ready to close" in body and f'<a class="btn btn-primary" href="{close}">Close this request</a>' in body


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.text(max_size=60), date=st.text(max_size=12), tick=st.sampled_from(["", "on", "yes", "\x00"]),
       revision=st.sampled_from(["", "0", "1", "-1", "x"]))
def test_any_phase_input_gives_a_page_never_an_error_or_half_a_phase(client_for, practitioner, walking, text,
                                                                      date, tick, revision):
    client = client_for(practitioner)
    before_rows = StepRecord.objects.count(), AuditEvent.objects.count()
    response = client.post(phase_url(walking, "before"), {
        "pause-value": tick, "talking_points-value": text, "next_session_date-value": date,
        "talking_points-revision": revision})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "Traceback" not in response.content.decode()
        assert (StepRecord.objects.count(), AuditEvent.objects.count()) == before_rows


def test_the_steps_records_match_the_services_phase_answers_directly(practitioner, walking):
    written = services.request_save_phase(contact_request=walking, actor=practitioner.user, now=NOW, answers={
        "talking_points": ("Points.", 0), "next_session_date": (None, 0), "pause": (False, 0)})
    assert written == ["talking_points"]
    assert ContactRequest.objects.get().status == RequestStatus.AWAITING_CONVERSATION


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_a_phase_at_once_keep_one_and_refuse_the_other(practitioner, walking):
    from django.test import Client

    from .test_request_races import run_together, signed_in

    def save(text: str):
        def job():
            client: Client = signed_in(practitioner)
            return client.post(phase_url(walking, "before"),
                               {"talking_points-value": text, "talking_points-revision": "0"}).status_code
        return job

    codes = run_together(save("From the first tab."), save("From the second tab."))
    assert sorted(codes) == [302, 400]
    record = StepRecord.objects.get()
    assert record.revision == 1 and record.text in ("From the first tab.", "From the second tab.")
    assert AuditEvent.objects.filter(action=AuditAction.STEP_DOCUMENTED).count() == 1
