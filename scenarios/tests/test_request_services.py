import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from policies.services import policy_publish, policy_start_draft
from scenarios import services
from scenarios.presentation import walk_for
from scenarios.models import ContactRequest, RequestStatus, ReviewDecision, StepRecord

from .conftest import NOW


def actions(agency) -> list[str]:
    return list(AuditEvent.objects.filter(agency=agency).values_list("action", flat=True))


def test_logging_stores_the_engine_output_with_the_default_policy(log_request, practitioner):
    contact_request = log_request()
    contact_request.refresh_from_db()
    assert contact_request.recommended == ["discuss", "decline"]
    assert contact_request.recommendation_label == "Discuss, then decline"
    assert contact_request.policy_version is None and contact_request.guidance["policy_version_id"] is None
    assert contact_request.fallback is True
    assert contact_request.outside_working_hours is True
    assert contact_request.guidance["evaluated_at"] == "2026-03-11T09:00:00"
    output = contact_request.guidance["output"]
    assert output["options"]["accept"]["verdict"] == "not_allowed"
    assert {output["options"][o]["verdict"] for o in ("ignore", "discuss", "decline")} == {"allowed"}
    assert contact_request.status == RequestStatus.OPEN
    assert actions(practitioner.agency) == [AuditAction.REQUEST_LOGGED, AuditAction.GUIDANCE_SHOWN]


def test_audit_data_holds_codes_but_never_the_reference_or_context(log_request, practitioner):
    log_request()
    for event in AuditEvent.objects.filter(agency=practitioner.agency):
        assert "RB-1042" not in str(event.data) and "hospital" not in str(event.data)


def test_the_policy_in_force_on_the_received_day_decides_and_is_kept(log_request, practitioner, supervisor):
    draft = policy_start_draft(agency=practitioner.agency, actor=supervisor.user,
                               template="professional_after_discharge")
    version = policy_publish(version=draft, actor=supervisor.user, effective_from=dt.date(2026, 1, 5),
                             today=dt.date(2026, 1, 5))
    linkedin = log_request(kind="connection_request", medium="linkedin", relationship="former_client",
                           client_status="discharged", discharged_on=dt.date(2024, 6, 1))
    assert linkedin.policy_version == version
    assert linkedin.guidance["policy_version_id"] == version.pk
    assert linkedin.verdict_of("accept") == "allowed"
    before = log_request(kind="connection_request", medium="linkedin", relationship="former_client",
                         client_status="discharged", discharged_on=dt.date(2024, 6, 1),
                         received_at=timezone.make_aware(dt.datetime(2025, 12, 1, 10, 0)))
    assert before.policy_version is None and before.verdict_of("accept") == "not_allowed"


def test_a_forbidden_option_cannot_be_chosen(log_request, practitioner):
    contact_request = log_request()
    with pytest.raises(ValidationError) as error:
        services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="accept",
                                       reason="I know the family well.")
    assert "not allowed" in error.value.message_dict["option"][0]
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.OPEN and contact_request.chosen_option == ""


def test_a_recommended_option_starts_the_walk_and_waits_for_the_conversation(log_request, practitioner):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="discuss")
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.AWAITING_CONVERSATION
    assert contact_request.needs_review is False and contact_request.deviation_reason == ""
    assert [step.key for step in walk_for(contact_request)][:3] == ["pause", "record_request",
                                                                            "planned_action"]


def test_another_option_needs_a_reason_and_flags_the_request_for_review(log_request, practitioner):
    contact_request = log_request()
    with pytest.raises(ValidationError) as error:
        services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="ignore")
    assert "say briefly why" in error.value.message_dict["reason"][0]
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="ignore",
                                   reason="The parent is in crisis; I will raise it once things settle.")
    contact_request.refresh_from_db()
    assert contact_request.needs_review is True
    assert contact_request.deviation_reason.startswith("The parent is in crisis")
    assert contact_request.status == RequestStatus.IN_PROGRESS


def test_an_option_needing_approval_waits_for_the_supervisor(log_request, practitioner, supervisor):
    contact_request = log_request(kind="friend_request", medium="facebook", relationship="community_member",
                                  client_status="", client_reference="", context="")
    assert contact_request.verdict_of("accept") == "needs_approval"
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="accept",
                                   reason="We coach the same junior football team.")
    assert contact_request.status == RequestStatus.AWAITING_APPROVAL
    with pytest.raises(ValidationError):
        services.request_save_step(contact_request=contact_request, actor=practitioner.user, step_key="pause",
                                   value=True)
    services.request_review(contact_request=contact_request, actor=supervisor.user,
                            decision=ReviewDecision.APPROVED, now=NOW)
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.IN_PROGRESS
    assert contact_request.reviewed_by == supervisor.user and contact_request.needs_review is False
    approval = StepRecord.objects.get(request=contact_request, step_key="supervisor_approval")
    assert approval.done and approval.date == dt.date(2026, 3, 11) and approval.completed_by == supervisor.user


def test_not_approving_sends_it_back_and_keeps_what_was_documented(log_request, practitioner, supervisor):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="ignore",
                                   reason="Waiting to see whether it is repeated.")
    services.request_save_step(contact_request=contact_request, actor=practitioner.user,
                               step_key="record_request", value="Facebook, 10 March, parent of RB-1042.")
    with pytest.raises(ValidationError) as error:
        services.request_review(contact_request=contact_request, actor=supervisor.user,
                                decision=ReviewDecision.NOT_APPROVED)
    assert "note" in error.value.message_dict
    services.request_review(contact_request=contact_request, actor=supervisor.user,
                            decision=ReviewDecision.NOT_APPROVED, note="Talk about it at the next visit.")
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.OPEN and contact_request.chosen_option == ""
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="discuss")
    walk = {step.key: step for step in walk_for(contact_request)}
    assert walk["record_request"].value == "Facebook, 10 March, parent of RB-1042."


def test_each_step_is_saved_and_the_conversation_moves_the_status_on(log_request, practitioner):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="decline")
    save = dict(contact_request=contact_request, actor=practitioner.user)
    services.request_save_step(**save, step_key="next_session_date", value=dt.date(2026, 3, 13))
    assert contact_request.follow_up_on == dt.date(2026, 3, 13)
    assert contact_request.status == RequestStatus.AWAITING_CONVERSATION
    step = services.request_save_step(**save, step_key="conversation_date", value=dt.date(2026, 3, 13))
    assert step.done and step.value == "2026-03-13"
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.IN_PROGRESS and contact_request.follow_up_on is None
    services.request_save_step(**save, step_key="pause", value=False)
    assert StepRecord.objects.get(request=contact_request, step_key="pause").done is False


@pytest.mark.parametrize("key, value, message", [
    ("record_request", "   ", "Write a few words"),
    ("record_request", "x" * 2001, "under 2000 characters (it has 2001)"),
    ("next_session_date", "2026-03-13", "Enter a date"),
    ("next_session_date", dt.date(2026, 3, 9), "before the request arrived (10 Mar 2026)"),
    ("no_such_step", "x", "not part of the option"),
])
def test_a_bad_step_value_is_refused_and_nothing_is_written(log_request, practitioner, key, value, message):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="discuss")
    with pytest.raises(ValidationError) as error:
        services.request_save_step(contact_request=contact_request, actor=practitioner.user, step_key=key,
                                   value=value)
    assert message in error.value.messages[0]
    assert not StepRecord.objects.exists()


def test_closing_needs_an_outcome_and_records_it(log_request, practitioner):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="decline")
    with pytest.raises(ValidationError):
        services.request_close(contact_request=contact_request, actor=practitioner.user, outcome="other")
    services.request_close(contact_request=contact_request, actor=practitioner.user, outcome="declined", now=NOW)
    contact_request.refresh_from_db()
    assert contact_request.status == RequestStatus.CLOSED and contact_request.closed_at == NOW
    with pytest.raises(ValidationError):
        services.request_close(contact_request=contact_request, actor=practitioner.user, outcome="declined")


def test_each_action_records_exactly_one_event(log_request, practitioner, supervisor):
    contact_request = log_request()
    services.request_viewed(contact_request=contact_request, actor=practitioner.user)
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="ignore",
                                   reason="Waiting a week.")
    services.request_save_step(contact_request=contact_request, actor=practitioner.user, step_key="pause",
                               value=True)
    services.request_review(contact_request=contact_request, actor=supervisor.user, decision="approved")
    services.request_close(contact_request=contact_request, actor=practitioner.user, outcome="left_unanswered")
    assert actions(practitioner.agency) == [
        AuditAction.REQUEST_LOGGED, AuditAction.GUIDANCE_SHOWN, AuditAction.REQUEST_VIEWED,
        AuditAction.OPTION_CHOSEN, AuditAction.STEP_DOCUMENTED, AuditAction.REVIEW_DECIDED,
        AuditAction.REQUEST_CLOSED,
    ]
    chosen = AuditEvent.objects.get(action=AuditAction.OPTION_CHOSEN)
    assert chosen.data == {"option": "ignore", "verdict": "allowed", "recommended": False,
                           "status": "in_progress"}


def test_a_later_policy_never_rewrites_stored_guidance(log_request, practitioner, supervisor):
    contact_request = log_request(received_at=timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0)),
                                  now=timezone.make_aware(dt.datetime(2026, 11, 2, 11, 0)))
    stored = dict(contact_request.guidance)
    draft = policy_start_draft(agency=practitioner.agency, actor=supervisor.user, template="strict")
    policy_publish(version=draft, actor=supervisor.user, effective_from=dt.date(2026, 11, 1),
                   today=dt.date(2026, 11, 1))
    assert ContactRequest.objects.get(pk=contact_request.pk).guidance == stored
