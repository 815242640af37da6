"""Reading the training set and its answers, and the writes (each in one transaction with its audit events).

Where a person stands on a scenario comes from comparing the signature stored with their latest
answer (the engine's recommendation and verdicts when they answered) with the signature under the
version in force today: the same, it is done; different (a new version changed the answer, or the
supervisor changed the scenario), it is asked again; never answered, it is to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, Membership, User
from audit.models import AuditAction
from audit.services import record
from boundaries.memo import Memo
from policies.document import Policy
from policies.models import Acknowledgement, PolicyVersion
from policies.services import policy_in_force

from .builtin import ANSWERS, BUILT_IN, BY_KEY, Scenario
from .judging import Judgement, judge
from .models import CUSTOM_PREFIX, TrainingAnswer, TrainingScenario


class Standing(StrEnum):
    TO_DO = "to_do"
    ASKED_AGAIN = "asked_again"
    DONE = "done"


@dataclass(frozen=True)
class TrainingSet:
    """The agency's scenarios today and what its policy in force says about each."""

    version: PolicyVersion | None
    policy: Policy | None
    today: dt.date
    scenarios: tuple[Scenario, ...]
    judgements: dict[str, Judgement]

    def standing(self, answer: TrainingAnswer | None, key: str) -> Standing:
        if answer is None:
            return Standing.TO_DO
        if answer.outcome != self.judgements[key].signature:
            return Standing.ASKED_AGAIN
        return Standing.DONE

    def waiting(self, latest: dict[str, TrainingAnswer]) -> list[Scenario]:
        """The scenarios this person still has to answer (never answered, or asked again)."""
        return [scenario for scenario in self.scenarios
                if self.standing(latest.get(scenario.key), scenario.key) is not Standing.DONE]


# What the policy says about each scenario, kept per worker: the home page asks on every view whether
# training waits, and running the engine over the whole set each time cost more than the rest of the page
# (issue 14). A judgement depends only on the scenario (every field of it), the policy version's
# document (its id, creation and edit count stand for it: every edit moves `lock_version`) and the day.
_judgements = Memo(1024)


def _judged(version: PolicyVersion | None, policy, scenario: Scenario, today: dt.date) -> Judgement:
    document = None if version is None else (version.pk, version.created_at, version.lock_version, version.updated_at)
    # The scenario by its repr: every field, in order (some hold dicts, which cannot be keys).
    return _judgements.get_or_make((document, repr(scenario), today), lambda: judge(scenario, policy, today))


def training_set(agency: Agency, today: dt.date) -> TrainingSet:
    """Built-in scenarios first, then the agency's own in use, newest first (two queries)."""
    version, policy = policy_in_force(agency, on=today)
    own = TrainingScenario.objects.for_agency(agency).in_use().order_by("-created_at", "-pk")
    scenarios = BUILT_IN + tuple(row.as_scenario() for row in own)
    active_policy = None if version is None else policy
    return TrainingSet(version=version, policy=active_policy, today=today, scenarios=scenarios,
                       judgements={scenario.key: _judged(version, active_policy, scenario, today)
                                   for scenario in scenarios})


def latest_answers(agency: Agency, user_ids) -> dict[int, dict[str, TrainingAnswer]]:
    """Each person's latest answer to each scenario (one query)."""
    found: dict[int, dict[str, TrainingAnswer]] = {user_id: {} for user_id in user_ids}
    rows = (TrainingAnswer.objects.for_agency(agency).filter(user_id__in=list(found))
            .select_related("policy_version").order_by("user_id", "-answered_at", "-pk"))
    for row in rows:
        found[row.user_id].setdefault(row.key, row)
    return found


def find_scenario(agency: Agency, key: str) -> Scenario:
    """A built-in scenario, or the agency's own in use; anything else (another agency's included) is 404."""
    if key in BY_KEY:
        return BY_KEY[key]
    if key.startswith(CUSTOM_PREFIX) and key.removeprefix(CUSTOM_PREFIX).isdigit():
        row = (TrainingScenario.objects.for_agency(agency).in_use()
               .filter(pk=int(key.removeprefix(CUSTOM_PREFIX))).first())
        if row is not None:
            return row.as_scenario()
    raise Http404("No such training scenario.")


def has_acknowledged(membership: Membership) -> bool:
    return Acknowledgement.objects.filter(agency=membership.agency, user_id=membership.user_id).exists()


def judgement_for(answer: TrainingAnswer, scenario: Scenario) -> Judgement:
    """What the policy said when the answer was given: its version's policy, or the default."""
    version = answer.policy_version
    return judge(scenario, None if version is None else version.policy,
                 timezone.localtime(answer.answered_at).date())


def answer_give(*, agency: Agency, user: User, key: str, answer: str, now: dt.datetime | None = None,
                today: dt.date | None = None) -> TrainingAnswer:
    """Store an answer under the version in force today, and record it; the set's completion too.

    The person's membership row is locked, so two answers sent at once are stored one after the other
    and the completion is recorded once.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        Membership.objects.select_for_update().filter(agency=agency, user=user).first()
        current = training_set(agency, today)
        scenario = next((item for item in current.scenarios if item.key == key), None)
        if scenario is None:
            raise ValidationError({"answer": _("This scenario is no longer in the training set.")}, code="retired")
        if answer not in ANSWERS[scenario.answer_kind]:
            raise ValidationError({"answer": _("Choose one of the answers listed.")}, code="invalid_choice")
        latest = latest_answers(agency, [user.pk])[user.pk]
        waiting_before = {item.key for item in current.waiting(latest)}
        judgement = current.judgements[key]
        row = TrainingAnswer.objects.create(
            agency=agency, user=user, builtin=key if scenario.built_in else "",
            scenario_id=None if scenario.built_in else scenario.extra["pk"], answer=answer,
            policy_version=current.version, outcome=judgement.signature, agrees=judgement.agrees(answer),
            answered_at=now)
        number = current.version.number if current.version else None
        record(agency=agency, actor=user, action=AuditAction.TRAINING_ANSWERED, target=row,
               data={"scenario": key, "answer": answer, "agrees": row.agrees, "policy_version": number})
        if key in waiting_before and waiting_before == {key}:
            record(agency=agency, actor=user, action=AuditAction.TRAINING_COMPLETED,
                   data={"scenarios": len(current.scenarios), "policy_version": number})
    return row


def scenario_save(*, agency: Agency, actor: User, scenario: TrainingScenario) -> TrainingScenario:
    """Create or update a supervisor's scenario (already validated by its form)."""
    created = scenario.pk is None
    with transaction.atomic():
        if not created:
            locked = TrainingScenario.objects.for_agency(agency).select_for_update().filter(pk=scenario.pk).first()
            if locked is None or locked.retired_at is not None:
                raise ValidationError(_("This scenario was retired after you opened it, so it was not saved."),
                                      code="retired")
        scenario.agency = agency
        if created:
            scenario.created_by = actor
        scenario.save()
        record(agency=agency, actor=actor,
               action=AuditAction.TRAINING_SCENARIO_CREATED if created else AuditAction.TRAINING_SCENARIO_EDITED,
               target=scenario, data={"scenario": scenario.key})
    return scenario


def scenario_retire(*, agency: Agency, actor: User, pk: int, now: dt.datetime | None = None) -> TrainingScenario:
    """Take a scenario out of the set; its answers stay. Retiring twice changes nothing."""
    with transaction.atomic():
        row = TrainingScenario.objects.for_agency(agency).select_for_update().filter(pk=pk).first()
        if row is None:
            raise Http404("No such training scenario.")
        if row.retired_at is None:
            row.retired_at = now or timezone.now()
            row.save(update_fields=["retired_at", "updated_at"])
            record(agency=agency, actor=actor, action=AuditAction.TRAINING_SCENARIO_RETIRED, target=row,
                   data={"scenario": row.key})
    return row


@dataclass(frozen=True)
class Progress:
    membership: Membership
    done: int
    asked_again: int
    to_do: int
    to_talk_about: int

    @property
    def total(self) -> int:
        return self.done + self.asked_again + self.to_do


def progress_of(current: TrainingSet, membership: Membership, latest: dict[str, TrainingAnswer]) -> Progress:
    counts = {standing: 0 for standing in Standing}
    talk = 0
    for scenario in current.scenarios:
        answer = latest.get(scenario.key)
        counts[current.standing(answer, scenario.key)] += 1
        talk += answer is not None and not answer.agrees
    return Progress(membership, counts[Standing.DONE], counts[Standing.ASKED_AGAIN], counts[Standing.TO_DO], talk)


def training_task_parts(membership: Membership, today: dt.date) -> tuple[int, int, int] | None:
    """(never answered, asked again, in the set) for the home page, or None when nothing waits.

    Only once the person has acknowledged a version of the policy: new staff read it first, then rehearse.
    """
    if not has_acknowledged(membership):
        return None
    current = training_set(membership.agency, today)
    latest = latest_answers(membership.agency, [membership.user_id])[membership.user_id]
    waiting = current.waiting(latest)
    if not waiting:
        return None
    again = sum(scenario.key in latest for scenario in waiting)
    return len(waiting) - again, again, len(current.scenarios)
