"""Writes to policies, each in one transaction with exactly one audit event, and the policy in force."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Subquery
from django.utils import timezone

from accounts.models import Agency, Membership, User
from audit.models import AuditAction
from audit.services import record
from scenarios.engine.policy import DEFAULT_POLICY, STARTER_TEMPLATES, Policy, parse_document, to_document

from .conversion import apply_policy, version_to_policy, write_rules
from .models import Acknowledgement, ChannelRule, ConnectionRule, PolicyStatus, PolicyVersion

NEW_POLICY_TITLE = "Social media and contact policy"


class DraftConflict(Exception):
    """Someone else saved the draft after the form was opened; nothing was written."""

    def __init__(self, *, saved_by: User | None, saved_at: dt.datetime, lock_version: int) -> None:
        self.saved_by, self.saved_at, self.lock_version = saved_by, saved_at, lock_version
        who = saved_by.full_name if saved_by else "Someone"
        when = timezone.localtime(saved_at).strftime("%H:%M")
        super().__init__(
            f"{who} saved this draft at {when} after you opened it, so your changes were not saved. "
            "They are still in the form below: review them against the latest version and save again."
        )


def _existing_draft_error(draft: PolicyVersion) -> ValidationError:
    return ValidationError(
        f"Version {draft.number} is already a draft. Continue editing it, or discard it, before starting another.",
        code="draft_exists",
    )


def _next_number(agency: Agency) -> int:
    highest = PolicyVersion.objects.for_agency(agency).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


def _create_draft(*, agency: Agency, actor: User | None, policy: Policy, based_on: str) -> PolicyVersion:
    draft = PolicyVersion.objects.for_agency(agency).drafts().first()
    if draft is not None:
        raise _existing_draft_error(draft)
    version = PolicyVersion(agency=agency, number=_next_number(agency), based_on=based_on,
                            created_by=actor, updated_by=actor)
    apply_policy(version, policy)
    version.save()
    write_rules(version, policy)
    return version


def current_published(agency: Agency) -> PolicyVersion | None:
    """The newest published version (it may still be waiting for its effective date)."""
    return PolicyVersion.objects.for_agency(agency).filter(status=PolicyStatus.PUBLISHED).first()


def policy_start_draft(*, agency: Agency, actor: User, template: str | None = None) -> PolicyVersion:
    """A new draft from a starter template or, without one, a copy of the current version (or the default)."""
    with transaction.atomic():
        if template is not None:
            policy, based_on, source = STARTER_TEMPLATES[template].policy, f"template:{template}", "template"
        elif (current := current_published(agency)) is not None:
            policy = version_to_policy(current)
            based_on, source = f"version:{current.number}", "version"
        else:
            policy = dataclasses.replace(DEFAULT_POLICY, title=NEW_POLICY_TITLE, is_default=False)
            based_on, source = "default", "default"
        version = _create_draft(agency=agency, actor=actor, policy=policy, based_on=based_on)
        record(agency=agency, actor=actor, action=AuditAction.POLICY_CREATED, target=version,
               data={"number": version.number, "source": source, "template": template or ""})
    return version


def policy_save_draft(*, version: PolicyVersion, actor: User, policy: Policy,
                      expected_lock_version: int) -> PolicyVersion:
    """Save an edited draft, unless someone else saved it since `expected_lock_version` was read."""
    with transaction.atomic():
        row = (PolicyVersion.objects.for_agency(version.agency).select_for_update()
               .filter(pk=version.pk, status=PolicyStatus.DRAFT).first())
        if row is None:
            raise ValidationError("This draft was published or discarded after you opened it, so it can't be "
                                  "saved. Start a new draft to make more changes.", code="not_a_draft")
        if row.lock_version != expected_lock_version:
            saved_by = User.objects.filter(pk=row.updated_by_id).first()
            raise DraftConflict(saved_by=saved_by, saved_at=row.updated_at, lock_version=row.lock_version)
        apply_policy(row, policy)
        row.lock_version += 1
        row.updated_by = actor
        row.save()
        write_rules(row, policy)
        record(agency=row.agency, actor=actor, action=AuditAction.POLICY_EDITED, target=row,
               data={"number": row.number, "lock_version": row.lock_version})
    return row


MAX_SCHEDULE_AHEAD = dt.timedelta(days=366)


def earliest_effective_date(agency: Agency, today: dt.date) -> dt.date:
    current = current_published(agency)
    return max(today, current.effective_from) if current is not None else today


def policy_publish(*, version: PolicyVersion, actor: User, effective_from: dt.date,
                   today: dt.date | None = None) -> PolicyVersion:
    """Publish a draft from a date; the version published before it becomes superseded."""
    today = today or timezone.localdate()
    with transaction.atomic():
        row = (PolicyVersion.objects.for_agency(version.agency).select_for_update()
               .filter(pk=version.pk, status=PolicyStatus.DRAFT).first())
        if row is None:
            raise ValidationError("Only a draft can be published, and this version is no longer a draft.",
                                  code="not_a_draft")
        current = current_published(row.agency)
        if current is not None and effective_from < current.effective_from:
            raise ValidationError({"effective_from": (
                f"Choose {current.effective_from:%B} {current.effective_from.day}, {current.effective_from.year} "
                f"or later: version {current.number} takes effect then, and a new version can't start before it."
            )}, code="before_current")
        if effective_from < today:
            raise ValidationError({"effective_from": (
                "Choose today or a later date. Requests already logged were guided by the policy in force "
                "at the time, so a version can't take effect in the past."
            )}, code="in_the_past")
        if effective_from > today + MAX_SCHEDULE_AHEAD:
            raise ValidationError({"effective_from": (
                "Choose a date within the next year. Staff acknowledge a version when it is published, "
                "so it should not wait longer than that to take effect."
            )}, code="too_far_ahead")
        if current is not None:
            current.status = PolicyStatus.SUPERSEDED
            current.save(update_fields=["status"])
        row.status, row.effective_from = PolicyStatus.PUBLISHED, effective_from
        row.published_at, row.published_by = timezone.now(), actor
        row.save(update_fields=["status", "effective_from", "published_at", "published_by"])
        record(agency=row.agency, actor=actor, action=AuditAction.POLICY_PUBLISHED, target=row,
               data={"number": row.number, "effective_from": effective_from.isoformat(),
                     "supersedes": current.number if current else None})
    return row


def policy_discard(*, version: PolicyVersion, actor: User) -> None:
    with transaction.atomic():
        # Under the lock, so a publish committed meanwhile is seen and its version kept.
        version.refresh_from_db(from_queryset=PolicyVersion.objects.select_for_update())
        if not version.is_draft:
            raise ValidationError("Only a draft can be discarded; published versions are kept for the record.")
        number = version.number
        version.delete()
        record(agency=version.agency, actor=actor, action=AuditAction.POLICY_DISCARDED, data={"number": number})


def policy_acknowledge(*, version: PolicyVersion, user: User) -> Acknowledgement:
    """Record that the user has read this published version; acknowledging twice changes nothing."""
    if version.status != PolicyStatus.PUBLISHED:
        raise ValidationError("Only the current published version can be acknowledged.")
    with transaction.atomic():
        acknowledgement, created = Acknowledgement.objects.get_or_create(
            agency=version.agency, version=version, user=user,
            defaults={"acknowledged_at": timezone.now()},
        )
        if created:
            record(agency=version.agency, actor=user, action=AuditAction.POLICY_ACKNOWLEDGED, target=version,
                   data={"number": version.number})
    return acknowledgement


def policy_import(*, agency: Agency, document: object, actor: User | None) -> PolicyVersion:
    """A draft from a policy document. Raises PolicyDocumentError (nothing written) for a bad document."""
    policy = parse_document(document)
    with transaction.atomic():
        version = _create_draft(agency=agency, actor=actor, policy=policy, based_on="import")
        record(agency=agency, actor=actor, action=AuditAction.POLICY_IMPORTED, target=version,
               data={"number": version.number, "rules": len(policy.connection_rules)})
    return version


def policy_export(version: PolicyVersion, *, actor: User | None = None) -> dict:
    document = to_document(version_to_policy(version))
    record(agency=version.agency, actor=actor, action=AuditAction.POLICY_EXPORTED, target=version,
           data={"number": version.number})
    return document


def policy_in_force(agency: Agency, on: dt.date) -> tuple[PolicyVersion | None, Policy]:
    """The version in force on a date and its Policy, or (None, DEFAULT_POLICY): two queries."""
    in_force = PolicyVersion.objects.for_agency(agency).in_force_on(on)
    rules = list(ConnectionRule.objects.for_agency(agency).filter(version=Subquery(in_force.values("pk")[:1]))
                 .select_related("version").order_by("position"))
    version = rules[0].version if rules else in_force.first()
    if version is None:
        return None, DEFAULT_POLICY
    channels = list(ChannelRule.objects.for_agency(agency).filter(version=version).order_by("position"))
    return version, version_to_policy(version, rules, channels)


def awaiting_acknowledgement(membership: Membership) -> PolicyVersion | None:
    """The published version this person has not acknowledged yet, if there is one."""
    return (PolicyVersion.objects.for_agency(membership.agency).filter(status=PolicyStatus.PUBLISHED)
            .exclude(acknowledgements__user_id=membership.user_id).first())
