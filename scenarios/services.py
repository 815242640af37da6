"""The one place where rows become engine inputs and the engine's guidance becomes rows.

Every write that touches several rows is a keyword-only function named `<thing>_<action>`,
runs in one transaction and records its audit events inside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record
from boundaries.dates import show_day
from notifications.services import notify_decided, notify_waiting
from scenarios.engine import Facts, Guidance, Policy, evaluate
from scenarios.engine.facts import Profession
from scenarios.engine.guidance import StepField
from scenarios.engine.vocabulary import ClientStatus, Relationship, RequestKind, Verdict, parse_medium

from .models import (
    NOTE_MAX,
    OUTCOMES_FOR_OPTION,
    OUTCOMES_REVIEWED,
    ContactRequest,
    RequestStatus,
    ReviewDecision,
    StepRecord,
    discharged_on_problem,
    received_at_problem,
    validate_context,
)
from .presentation import WalkStep

STEP_TEXT_MAX = 2000
# Steps whose date is the next time the practitioner will see the person.
MEETING_STEPS = ("next_session_date", "next_contact_date")
CONVERSATION_STEP = "conversation_date"
APPROVAL_STEP = "supervisor_approval"


def local_naive(moment: dt.datetime) -> dt.datetime:
    """The agency's wall-clock time without a zone: what the engine reads working hours against."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _policy_in_force(agency, on: dt.date) -> tuple[Any, Policy | None]:
    # Imported here so that the policies app stays optional for the engine's command-line use.
    from policies.services import policy_in_force

    return policy_in_force(agency, on=on)


def facts_for(contact_request: ContactRequest) -> Facts:
    medium, relationship = contact_request.medium, contact_request.relationship
    return Facts(
        kind=RequestKind(contact_request.kind),
        medium=parse_medium(medium) if medium else None,
        relationship=Relationship(relationship) if relationship else None,
        client_status=ClientStatus(contact_request.client_status) if contact_request.client_status else None,
        discharged_on=contact_request.discharged_on,
        received_at=local_naive(contact_request.received_at),
        small_community=contact_request.small_community,
        context=contact_request.context,
        profession=Profession(contact_request.profession) if contact_request.profession else None,
        safety_concern=contact_request.safety_concern,
        written_consent=contact_request.written_consent,
    )


def _store_guidance(contact_request: ContactRequest, guidance: Guidance, version, now: dt.datetime) -> None:
    output = guidance.to_dict()
    contact_request.guidance = {
        "policy_version_id": version.pk if version is not None else None,
        "evaluated_at": local_naive(now).isoformat(timespec="seconds"),
        "output": output,
    }
    contact_request.policy_version = version
    contact_request.policy_title = guidance.policy_title[:200]
    contact_request.recommended = output["recommended"]
    contact_request.fallback = guidance.fallback
    contact_request.outside_working_hours = guidance.outside_working_hours
    contact_request.needs_review = guidance.supervisor_review


# The fields a caller gives `request_log`, checked there whoever the caller is (a form, a command,
# code): their choices, lengths and the client-reference rule come from the model's fields.
LOG_FIELDS = ("kind", "medium", "relationship", "client_status", "client_reference", "context", "profession")


def _validate_log(contact_request: ContactRequest, now: dt.datetime) -> None:
    """Refuse what must never be stored, with the messages keyed by form field."""
    errors: dict[str, list[str]] = {}
    try:
        contact_request.clean_fields(exclude=[field.name for field in ContactRequest._meta.fields
                                              if field.name not in LOG_FIELDS])
    except ValidationError as error:
        errors.update(error.message_dict)
    if not contact_request.is_before:
        for name, message in (("medium", "Choose the platform or channel it came on."),
                              ("relationship", "Choose who sent it.")):
            if not getattr(contact_request, name) and name not in errors:
                errors[name] = [message]
    if "context" not in errors:
        try:
            validate_context(contact_request.context)
        except ValidationError as error:
            errors["context"] = error.messages
    received_at = contact_request.received_at
    if problem := received_at_problem(received_at, now):
        errors["received_at"] = [problem]
    discharged_on = contact_request.discharged_on
    if discharged_on is not None:
        if contact_request.client_status != ClientStatus.DISCHARGED:
            errors["discharged_on"] = ["A discharge date is only for a discharged client."]
        elif problem := discharged_on_problem(discharged_on, None if "received_at" in errors else received_at):
            errors["discharged_on"] = [problem]
    if errors:
        raise ValidationError(errors)


def request_log(*, agency, practitioner, kind: str, received_at: dt.datetime, medium: str = "",
                relationship: str = "", client_status: str = "", discharged_on: dt.date | None = None,
                client_reference: str = "", context: str = "", small_community: bool = False,
                safety_concern: bool = False, written_consent: bool = False, profession: str = "",
                now: dt.datetime | None = None) -> ContactRequest:
    """Log a request and store the guidance for it, under the policy in force on the day it arrived.

    `profession` is the practitioner's in this agency (their membership's): it is stored with the facts,
    so the guidance cites their own code first and can be worked out again from the row.
    A "Before I do it" check (a kind in BEFORE_KINDS) is logged the same way, `received_at` being when
    the practitioner checked; it may leave out `medium` and `relationship`.

    Raises ValidationError keyed by form field for what must never be stored: a name, an email
    address or a phone number as the client reference, contact details in the context, or an
    implausible date.
    """
    now = now or timezone.now()
    contact_request = ContactRequest(
        agency=agency, practitioner=practitioner, kind=kind, medium=medium, relationship=relationship,
        client_status=client_status, discharged_on=discharged_on, client_reference=client_reference,
        context=context, small_community=small_community, received_at=received_at, profession=profession,
        safety_concern=safety_concern, written_consent=written_consent,
    )
    _validate_log(contact_request, now)
    version, policy = _policy_in_force(agency, timezone.localtime(received_at).date())
    guidance = evaluate(facts_for(contact_request), policy, local_naive(now))
    _store_guidance(contact_request, guidance, version, now)
    contact_request.follow_up_on = _next_follow_up(contact_request, {})
    with transaction.atomic():
        contact_request.save()
        if contact_request.needs_review:
            notify_waiting(contact_request=contact_request, now=now)
        # The audit events come last: the agency's chain stays locked from the first one until commit.
        record(agency=agency, actor=practitioner, action=AuditAction.REQUEST_LOGGED, target=contact_request,
               data={"kind": kind, "medium": medium, "relationship": relationship,
                     "client_status": client_status, "small_community": small_community,
                     "profession": profession,
                     "safety_concern": safety_concern, "written_consent": written_consent,
                     "outside_working_hours": contact_request.outside_working_hours})
        record(agency=agency, actor=practitioner, action=AuditAction.GUIDANCE_SHOWN, target=contact_request,
               data={"recommended": contact_request.recommended,
                     "verdicts": [f"{option}:{contact_request.verdict_of(option)}" for option in contact_request.options],
                     "supervisor_review": guidance.supervisor_review, "fallback": guidance.fallback,
                     "policy_version": version.pk if version is not None else None})
    return contact_request


def request_viewed(*, contact_request: ContactRequest, actor) -> None:
    record(agency=contact_request.agency, actor=actor, action=AuditAction.REQUEST_VIEWED, target=contact_request,
           data={"status": contact_request.status})


def _walk_status(contact_request: ContactRequest, records: dict[str, StepRecord]) -> str:
    keys = {step["key"] for step in contact_request.steps_of_choice()}
    conversation = records.get(CONVERSATION_STEP)
    if CONVERSATION_STEP in keys and not (conversation and conversation.done):
        return RequestStatus.AWAITING_CONVERSATION
    return RequestStatus.IN_PROGRESS


def _next_follow_up(contact_request: ContactRequest, records: dict[str, StepRecord]) -> dt.date | None:
    """The earliest date to come back to this request: a follow-up's due date or the next meeting."""
    dates = [dt.date.fromisoformat(item["due"]) for item in contact_request.output.get("follow_ups", [])
             if item.get("due")]
    conversation = records.get(CONVERSATION_STEP)
    if not (conversation and conversation.done):
        dates += [records[key].date for key in MEETING_STEPS if key in records and records[key].date]
    return min(dates) if dates else None


def _lock(contact_request: ContactRequest) -> None:
    """Re-read the row under a lock, so two submits can't both pass the status checks."""
    contact_request.refresh_from_db(from_queryset=ContactRequest.objects.select_for_update())


@transaction.atomic
def request_choose_option(*, contact_request: ContactRequest, actor, option: str,
                          reason: str = "", now: dt.datetime | None = None) -> ContactRequest:
    """Choose how to answer. Raises ValidationError keyed by form field when the choice can't stand."""
    _lock(contact_request)
    if contact_request.status != RequestStatus.OPEN:
        raise ValidationError({"option": "An option has already been chosen for this request."})
    verdict = contact_request.verdict_of(option)
    if not verdict:
        raise ValidationError({"option": f"Choose one of the {len(contact_request.options)} options."})
    if verdict == Verdict.NOT_ALLOWED:
        raise ValidationError({"option": f"{contact_request.option_label(option)} is not allowed here; "
                                         "the reasons are on its card. Choose another option."})
    reason = reason.strip()
    deviates = option not in contact_request.recommended
    if deviates and not reason:
        raise ValidationError({"reason": "You chose something other than the recommendation: "
                                         "say briefly why, for your supervisor."})
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": f"Keep the reason under {NOTE_MAX} characters."})
    records = {step.step_key: step for step in contact_request.steps.all()}
    already_waiting = contact_request.needs_review
    contact_request.chosen_option = option
    contact_request.chosen_at = now or timezone.now()
    contact_request.deviation_reason = reason if deviates else ""
    contact_request.needs_review = contact_request.needs_review or deviates
    contact_request.review_decision = ""
    if verdict == Verdict.NEEDS_APPROVAL:
        contact_request.status = RequestStatus.AWAITING_APPROVAL
    else:
        contact_request.status = _walk_status(contact_request, records)
    contact_request.save(update_fields=["chosen_option", "chosen_at", "deviation_reason", "needs_review",
                                        "review_decision", "status", "updated_at"])
    waits = contact_request.needs_review or contact_request.status == RequestStatus.AWAITING_APPROVAL
    if waits and not already_waiting:
        notify_waiting(contact_request=contact_request, now=contact_request.chosen_at)
    # Last, so the agency's audit chain is locked only until the commit.
    record(agency=contact_request.agency, actor=actor, action=AuditAction.OPTION_CHOSEN, target=contact_request,
           data={"option": option, "verdict": verdict, "recommended": not deviates,
                 "status": contact_request.status})
    return contact_request


STEP_MESSAGES = {
    "text_required": "Write a few words before saving this step.",
    "text_too_long": f"Keep this under {STEP_TEXT_MAX} characters (it has %(show_value)d).",
    "date_required": "Enter a date, such as 2026-03-14.",
    "date_invalid": "Enter a real date, such as 2026-03-14.",
}
# How far ahead a next session or contact may be planned. Every other date step records something
# that has happened, so it can't be in the future; none can be before the request arrived.
MEETING_HORIZON = dt.timedelta(days=365)


def check_step_date(contact_request: ContactRequest, step_key: str, date: dt.date, today: dt.date) -> None:
    """A step's date must be plausible for this request; the message says which dates are."""
    arrived = timezone.localtime(contact_request.received_at).date()
    if date < arrived:
        raise ValidationError(f"This date is before the request arrived ({show_day(arrived)}). "
                              "Give a date on or after that day.", code="before_request")
    if step_key in MEETING_STEPS and date > today + MEETING_HORIZON:
        raise ValidationError(f"Give a date within a year from today, by {show_day(today + MEETING_HORIZON)}.",
                              code="too_far")
    if step_key not in MEETING_STEPS and date > today:
        raise ValidationError("This date is still to come. Give the day it happened, and save this step "
                              "once it has.", code="in_future")


def _checked_step_value(contact_request: ContactRequest, step_key: str, field: str,
                        value: str | dt.date | bool, today: dt.date) -> tuple[str, dt.date | None, bool]:
    """(text, date, done) for a value of the step's kind; the forms check web input the same way."""
    if field == StepField.DONE:
        return "", None, bool(value)
    if field == StepField.DATE:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise ValidationError(STEP_MESSAGES["date_required"], code="required")
        check_step_date(contact_request, step_key, value, today)
        return "", value, True
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError(STEP_MESSAGES["text_required"], code="required")
    if len(text) > STEP_TEXT_MAX:
        raise ValidationError(STEP_MESSAGES["text_too_long"], code="max_length", params={"show_value": len(text)})
    return text, None, True


WALK_STATUSES = (RequestStatus.IN_PROGRESS, RequestStatus.AWAITING_CONVERSATION)


def _walk_steps(contact_request: ContactRequest) -> dict[str, dict[str, str]]:
    """The chosen option's steps by key, once the request is known to be walkable (under its lock)."""
    if contact_request.status not in WALK_STATUSES:
        raise ValidationError("This request's walk-through can't be changed now: "
                              + ("it was closed." if contact_request.is_closed else
                                 "it is waiting for a supervisor or for an option to be chosen."),
                              code="not_walking")
    return {step["key"]: step for step in contact_request.steps_of_choice()}


def _conflict() -> ValidationError:
    return ValidationError("This step was saved in another tab or window while this page was open. "
                           "What is saved now is shown under the box, and what you typed is still in it: "
                           "save again to keep yours.", code="conflict")


def _write_step(contact_request: ContactRequest, actor, step_record: StepRecord, field: str,
                checked: tuple[str, dt.date | None, bool], now: dt.datetime) -> None:
    step_record.text, step_record.date, step_record.done = checked
    step_record.completed_at = now if step_record.done else None
    step_record.completed_by = actor if step_record.done else None
    step_record.revision += 1
    step_record.save()
    record(agency=contact_request.agency, actor=actor, action=AuditAction.STEP_DOCUMENTED,
           target=contact_request, data={"step": step_record.step_key, "field": field, "done": step_record.done,
                                         "status": contact_request.status})


def _after_steps(contact_request: ContactRequest, records: dict[str, StepRecord]) -> None:
    contact_request.status = _walk_status(contact_request, records)
    contact_request.follow_up_on = _next_follow_up(contact_request, records)
    contact_request.save(update_fields=["status", "follow_up_on", "updated_at"])


def _new_record(contact_request: ContactRequest, step_key: str) -> StepRecord:
    return StepRecord(agency=contact_request.agency, request=contact_request, step_key=step_key)


@transaction.atomic
def request_save_step(*, contact_request: ContactRequest, actor, step_key: str, value: str | dt.date | bool,
                      seen_revision: int | None = None, now: dt.datetime | None = None) -> WalkStep:
    """Save one step's answer; the request's status and next follow-up follow from it.

    `value` is the step's kind: text, a date, or done (a flag). `seen_revision` is the revision the
    practitioner's page showed; when another tab saved the step since, the save is refused.
    """
    _lock(contact_request)
    steps = _walk_steps(contact_request)
    if step_key not in steps:
        raise ValidationError("That step is not part of the option you chose.", code="unknown_step")
    now = now or timezone.now()
    field = steps[step_key]["field"]
    checked = _checked_step_value(contact_request, step_key, field, value, timezone.localdate(now))
    records = {step.step_key: step for step in contact_request.steps.all()}
    step_record = records.get(step_key) or _new_record(contact_request, step_key)
    if seen_revision is not None and seen_revision != step_record.revision:
        raise _conflict()
    records[step_key] = step_record
    _after_steps(contact_request, {**records, step_key: _preview(step_record, checked)})
    _write_step(contact_request, actor, step_record, field, checked, now)
    number = list(steps).index(step_key) + 1
    return WalkStep(number=number, record=step_record, **steps[step_key])


def _preview(step_record: StepRecord, checked: tuple[str, dt.date | None, bool]) -> StepRecord:
    """The record as it will be once written, for working out the status before the audit event."""
    preview = StepRecord(step_key=step_record.step_key)
    preview.text, preview.date, preview.done = checked
    return preview


def _unchanged(step_record: StepRecord | None, field: str, value: str | dt.date | bool | None) -> bool:
    """Whether a phase's answer is what is saved already (or empty with nothing saved): no write then."""
    if field == StepField.DONE:
        return bool(value) == bool(step_record and step_record.done)
    if value in (None, ""):
        return True
    if step_record is None:
        return False
    saved = step_record.date if field == StepField.DATE else step_record.text
    return saved == (value.strip() if isinstance(value, str) else value)


@transaction.atomic
def request_save_phase(*, contact_request: ContactRequest, actor,
                       answers: dict[str, tuple[str | dt.date | bool | None, int | None]],
                       now: dt.datetime | None = None) -> list[str]:
    """Save a phase of the walk in one go: `answers` maps step keys to (value, revision the page showed).

    A box left empty keeps what is saved, and an answer equal to what is saved writes nothing. All or
    nothing: any refused answer raises ValidationError keyed by step, and no step is written.
    Returns the keys of the steps written.
    """
    _lock(contact_request)
    steps = _walk_steps(contact_request)
    now = now or timezone.now()
    today = timezone.localdate(now)
    records = {step.step_key: step for step in contact_request.steps.all()}
    errors: dict[str, ValidationError] = {}
    writes: list[tuple[StepRecord, str, tuple[str, dt.date | None, bool]]] = []
    for step_key, (value, seen_revision) in answers.items():
        if step_key not in steps:
            errors[step_key] = ValidationError("That step is not part of the option you chose.",
                                               code="unknown_step")
            continue
        field = steps[step_key]["field"]
        step_record = records.get(step_key)
        if _unchanged(step_record, field, value):
            continue
        if seen_revision is not None and seen_revision != (step_record.revision if step_record else 0):
            errors[step_key] = _conflict()
            continue
        try:
            checked = _checked_step_value(contact_request, step_key, field, value, today)
        except ValidationError as error:
            errors[step_key] = error
            continue
        writes.append((step_record or _new_record(contact_request, step_key), field, checked))
    if errors:
        raise ValidationError(errors)
    for step_record, _field, checked in writes:
        records[step_record.step_key] = _preview(step_record, checked)
    _after_steps(contact_request, records)
    for step_record, field, checked in writes:
        _write_step(contact_request, actor, step_record, field, checked, now)
    return [step_record.step_key for step_record, _field, _checked in writes]


def close_blocker(contact_request: ContactRequest) -> str:
    """Why the request can't be closed now, in the practitioner's words; empty when it can."""
    if contact_request.is_closed:
        return "This request is already closed."
    if contact_request.status == RequestStatus.OPEN:
        return ("Choose an option first: a request closes once you have chosen how to answer it, "
                "so that its outcome can follow from that choice.")
    if contact_request.status == RequestStatus.AWAITING_APPROVAL:
        return ("The option you chose is waiting for your supervisor's approval. You can close the request "
                "once they have approved it, or once you have chosen another option.")
    return ""


def outcomes_for(contact_request: ContactRequest) -> tuple[str, ...]:
    """The outcomes that fit the chosen option (none before one is chosen)."""
    return OUTCOMES_FOR_OPTION.get(contact_request.chosen_option, ())


def outcome_needs_review(outcome: str) -> bool:
    """Whether closing with this outcome goes to a supervisor, and so needs a reason.

    "Accepted" only fits accept, which can't be chosen where it is not allowed, so the one outcome
    that can contradict a "not allowed" is "I had already accepted it", which is always reviewed.
    """
    return outcome in OUTCOMES_REVIEWED


@transaction.atomic
def request_close(*, contact_request: ContactRequest, actor, outcome: str, note: str = "",
                  now: dt.datetime | None = None) -> ContactRequest:
    """Close with an outcome that fits the chosen option; some outcomes go to a supervisor's review.

    Raises ValidationError keyed by form field when the request can't close, or not that way.
    """
    _lock(contact_request)
    blocker = close_blocker(contact_request)
    if blocker:
        raise ValidationError({"outcome": blocker})
    allowed = outcomes_for(contact_request)
    if outcome not in allowed:
        option = contact_request.chosen_label.lower()
        raise ValidationError({"outcome": f"Choose one of the outcomes that fit {option}, the option you chose."})
    note = note.strip()
    review = outcome_needs_review(outcome)
    if review and not note:
        raise ValidationError({"note": "Say briefly what happened and why. Your supervisor reviews a request "
                                       "closed this way, and your note is what they will read."})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX} characters."})
    contact_request.status = RequestStatus.CLOSED
    contact_request.outcome, contact_request.outcome_note = outcome, note
    contact_request.closed_at = now or timezone.now()
    contact_request.follow_up_on = None
    already_waiting = contact_request.needs_review
    if review:
        contact_request.needs_review, contact_request.review_decision = True, ""
    contact_request.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "follow_up_on",
                                        "needs_review", "review_decision", "updated_at"])
    if review and not already_waiting:
        notify_waiting(contact_request=contact_request, now=contact_request.closed_at)
    record(agency=contact_request.agency, actor=actor, action=AuditAction.REQUEST_CLOSED,
           target=contact_request, data={"outcome": outcome, "option": contact_request.chosen_option,
                                         "needs_review": review})
    return contact_request


@transaction.atomic
def request_review(*, contact_request: ContactRequest, actor, decision: str, note: str = "",
                   now: dt.datetime | None = None) -> ContactRequest:
    """A supervisor's decision on an option awaiting approval, or on a flagged request.

    Not approving sends an open request back to the practitioner to choose again; what they
    documented stays, keyed by step, so nothing is lost. A closed request stays closed: the
    decision and its note are added to its record.
    """
    _lock(contact_request)
    awaiting = contact_request.status == RequestStatus.AWAITING_APPROVAL
    if not (awaiting or contact_request.needs_review):
        raise ValidationError({"decision": "This request is not waiting for a review."})
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": "Choose to approve or not."})
    note = note.strip()
    if decision == ReviewDecision.NOT_APPROVED and not note:
        raise ValidationError({"note": "Tell the practitioner what to do now."
                                       if contact_request.is_closed else
                                       "Tell the practitioner what to do instead."})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX} characters."})
    now = now or timezone.now()
    records = {step.step_key: step for step in contact_request.steps.all()}
    if decision == ReviewDecision.APPROVED:
        if awaiting:
            _record_approval(contact_request, actor, records, now)
            contact_request.status = _walk_status(contact_request, records)
    elif contact_request.chosen_option and not contact_request.is_closed:
        contact_request.status = RequestStatus.OPEN
        contact_request.chosen_option = ""
        contact_request.chosen_at = None
    contact_request.needs_review = False
    contact_request.review_decision, contact_request.review_note = decision, note
    contact_request.reviewed_by, contact_request.reviewed_at = actor, now
    contact_request.save(update_fields=["status", "chosen_option", "chosen_at", "needs_review",
                                        "review_decision", "review_note", "reviewed_by", "reviewed_at",
                                        "updated_at"])
    notify_decided(contact_request=contact_request, now=now)
    record(agency=contact_request.agency, actor=actor, action=AuditAction.REVIEW_DECIDED,
           target=contact_request, data={"decision": decision, "was_awaiting_approval": awaiting,
                                         "status": contact_request.status})
    return contact_request


def _record_approval(contact_request: ContactRequest, actor, records: dict[str, StepRecord],
                     now: dt.datetime) -> None:
    """Fill in the walk's "supervisor's approval" step, so the practitioner need not type it."""
    if APPROVAL_STEP not in {step["key"] for step in contact_request.steps_of_choice()}:
        return
    step_record = records.get(APPROVAL_STEP) or StepRecord(agency=contact_request.agency, request=contact_request,
                                                           step_key=APPROVAL_STEP)
    step_record.date, step_record.done = timezone.localdate(now), True
    step_record.completed_at, step_record.completed_by = now, actor
    step_record.revision += 1
    step_record.save()
    records[APPROVAL_STEP] = step_record
