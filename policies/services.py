"""Writes to policies, each in one transaction with exactly one audit event, and the policy in force."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Agency, Membership, User
from audit.models import AuditAction, AuditEvent
from audit.services import record
from boundaries.dates import show_day, show_time
from policies.document import DEFAULT_POLICY, STARTER_TEMPLATES, Policy, parse_document

from .models import (ACKNOWLEDGEABLE, Acknowledgement, PolicyStatus, PolicyVersion, StatementReceipt,
                     StatementSettings, VersionState)
from .statement import crisis_lines, statement_sections

NEW_POLICY_TITLE = "Social media and contact policy"


class DraftConflict(Exception):
    """Someone else saved the draft after the form was opened; nothing was written."""

    def __init__(self, *, saved_by: User | None, saved_at: dt.datetime, lock_version: int) -> None:
        self.saved_by, self.saved_at, self.lock_version = saved_by, saved_at, lock_version
        who = saved_by.full_name if saved_by else _("Someone")
        super().__init__(self.explain(who, show_time(saved_at)))

    @staticmethod
    def explain(who: str, when: str) -> str:
        return _("%(who)s saved this draft at %(when)s after you opened it, so your changes were not saved. "
                 "They are still in the form below: review them against the latest version and save again.") % {
            "who": who, "when": when}


class ReviewOutdated(DraftConflict):
    """The draft was saved again after the supervisor reviewed it for publishing; nothing was published."""

    @staticmethod
    def explain(who: str, when: str) -> str:
        return _("%(who)s saved this draft at %(when)s, after you opened this page, so it was not published. "
                 "Read what changed since you reviewed it, then publish again if it is right.") % {
            "who": who, "when": when}


class DraftClosed(ValidationError):
    """The draft was published or discarded after the form was opened; nothing was written."""

    def __init__(self, *, number: int, published: bool, publishing: bool = False) -> None:
        self.number, self.published = number, published
        if publishing and published:
            message = _("Version %(number)s was published after you opened this page, so there is nothing left "
                        "to publish.")
        elif publishing:
            message = _("Draft version %(number)s was discarded after you opened this page, so there is nothing "
                        "left to publish.")
        elif published:
            message = _("Version %(number)s was published after you opened it, so your changes were not saved. "
                        "They are still in the form below: start a new draft to make them.")
        else:
            message = _("Draft version %(number)s was discarded after you opened it, so your changes were not "
                        "saved. They are still in the form below: start a new draft to make them.")
        super().__init__(message % {"number": number}, code="not_a_draft")


class DraftExists(ValidationError):
    """The agency already has a draft (at most one is allowed); `draft` is it, when it could be read."""

    def __init__(self, draft: PolicyVersion | None) -> None:
        self.draft = draft
        if draft is None:
            message = _("Someone else started a draft at the same moment, and an agency keeps one draft at a "
                        "time. Open the list of versions to find it.")
        else:
            message = _("Version %(number)s is already a draft. Continue editing it, or discard it, "
                        "before starting another.") % {"number": draft.number}
        super().__init__(message, code="draft_exists")


def _next_number(agency: Agency) -> int:
    highest = PolicyVersion.objects.for_agency(agency).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


def _create_draft(*, agency: Agency, actor: User | None, policy: Policy, based_on: str) -> PolicyVersion:
    drafts = PolicyVersion.objects.for_agency(agency).drafts()
    if (draft := drafts.first()) is not None:
        raise DraftExists(draft)
    version = PolicyVersion(agency=agency, number=_next_number(agency), based_on=based_on,
                            created_by=actor, updated_by=actor)
    version.policy = policy
    try:
        # Two supervisors starting a draft at once both pass the check above; the database's
        # one-draft and one-number constraints let only the first insert through.
        with transaction.atomic():
            version.save()
    except IntegrityError:
        raise DraftExists(drafts.first()) from None
    return version


def current_published(agency: Agency) -> PolicyVersion | None:
    """The newest published version (it may still be waiting for its effective date)."""
    return PolicyVersion.objects.for_agency(agency).released().order_by("-number").first()


def _locked_draft(version: PolicyVersion, *, publishing: bool = False) -> PolicyVersion:
    """The draft's row, locked until the transaction ends; DraftClosed if it was published or discarded."""
    row = PolicyVersion.objects.for_agency(version.agency).select_for_update().filter(pk=version.pk).first()
    if row is None or not row.is_draft:
        raise DraftClosed(number=version.number, published=row is not None, publishing=publishing)
    return row


def policy_start_draft(*, agency: Agency, actor: User, template: str | None = None) -> PolicyVersion:
    """A new draft from a starter template or, without one, a copy of the current version (or the default)."""
    with transaction.atomic():
        if template is not None:
            policy, based_on, source = STARTER_TEMPLATES[template].policy, f"template:{template}", "template"
        elif (current := current_published(agency)) is not None:
            policy = current.policy
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
        row = _locked_draft(version)
        if row.lock_version != expected_lock_version:
            saved_by = User.objects.filter(pk=row.updated_by_id).first()
            raise DraftConflict(saved_by=saved_by, saved_at=row.updated_at, lock_version=row.lock_version)
        row.policy = policy
        row.lock_version += 1
        row.updated_by = actor
        row.save(update_fields=["document", "lock_version", "updated_by", "updated_at"])
        record(agency=row.agency, actor=actor, action=AuditAction.POLICY_EDITED, target=row,
               data={"number": row.number, "lock_version": row.lock_version})
    return row


MAX_SCHEDULE_AHEAD = dt.timedelta(days=366)


def earliest_effective_date(agency: Agency, today: dt.date) -> dt.date:
    current = current_published(agency)
    return max(today, current.effective_from) if current is not None else today


def policy_publish(*, version: PolicyVersion, actor: User, effective_from: dt.date,
                   expected_lock_version: int | None = None, today: dt.date | None = None) -> PolicyVersion:
    """Publish a draft from a date.

    `expected_lock_version` is the draft's `lock_version` when the supervisor reviewed it; if the
    draft was saved since, ReviewOutdated is raised and nothing is published (commands and the
    demo seed, which review nothing, pass None). The version published before stays in force
    until the new effective date: states come from the dates, nothing else changes.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        row = _locked_draft(version, publishing=True)
        if expected_lock_version is not None and row.lock_version != expected_lock_version:
            saved_by = User.objects.filter(pk=row.updated_by_id).first()
            raise ReviewOutdated(saved_by=saved_by, saved_at=row.updated_at, lock_version=row.lock_version)
        current = current_published(row.agency)
        _check_effective_date(effective_from, current=current, today=today)
        row.status, row.effective_from = PolicyStatus.PUBLISHED, effective_from
        row.published_at, row.published_by = timezone.now(), actor
        row.save(update_fields=["status", "effective_from", "published_at", "published_by"])
        record(agency=row.agency, actor=actor, action=AuditAction.POLICY_PUBLISHED, target=row,
               data={"number": row.number, "effective_from": effective_from.isoformat(),
                     "supersedes": current.number if current else None})
    return row


def _check_effective_date(effective_from: dt.date, *, current: PolicyVersion | None, today: dt.date) -> None:
    if current is not None and effective_from < current.effective_from:
        raise ValidationError({"effective_from": _(
            "Choose %(day)s or later: version %(number)s takes effect then, and a new version can't start before it."
        ) % {"day": show_day(current.effective_from), "number": current.number}}, code="before_current")
    if effective_from < today:
        raise ValidationError({"effective_from": _(
            "Choose today or a later date. Requests already logged were guided by the policy in force "
            "at the time, so a version can't take effect in the past."
        )}, code="in_the_past")
    if effective_from > today + MAX_SCHEDULE_AHEAD:
        raise ValidationError({"effective_from": _(
            "Choose a date within the next year. Staff acknowledge a version when it is published, "
            "so it should not wait longer than that to take effect."
        )}, code="too_far_ahead")


def policy_discard(*, version: PolicyVersion, actor: User) -> None:
    with transaction.atomic():
        # Under the lock, so a publish or a discard committed meanwhile is seen.
        row = PolicyVersion.objects.for_agency(version.agency).select_for_update().filter(pk=version.pk).first()
        if row is None:
            raise ValidationError(_("Draft version %(number)s was already discarded.") % {"number": version.number},
                                  code="discarded")
        if not row.is_draft:
            raise ValidationError(_("Version %(number)s is published. Only a draft can be discarded; published "
                                    "versions are kept for the record.") % {"number": row.number}, code="not_a_draft")
        number = row.number
        row.delete()
        record(agency=row.agency, actor=actor, action=AuditAction.POLICY_DISCARDED, data={"number": number})


def was_discarded(agency: Agency, number: int) -> bool:
    """Whether a draft with this number was discarded (the audit trail is the only trace left of it)."""
    return (AuditEvent.objects.for_agency(agency)
            .filter(action=AuditAction.POLICY_DISCARDED, data__number=number).exists())


def version_state(version: PolicyVersion, today: dt.date) -> VersionState:
    """The version's state today (one query; lists annotate `in_force_pk` instead)."""
    in_force_pk = (PolicyVersion.objects.for_agency(version.agency).in_force_on(today)
                   .values_list("pk", flat=True).first())
    return version.state_on(today, in_force_pk)


def policy_acknowledge(*, version: PolicyVersion, user: User, today: dt.date | None = None) -> Acknowledgement:
    """Record that the user has read the version in force or a scheduled one; acknowledging twice changes nothing."""
    today = today or timezone.localdate()
    state = version_state(version, today)
    if state == VersionState.DRAFT:
        raise ValidationError(_("A draft can't be acknowledged: staff read a version once it is published."),
                              code="draft")
    if state not in ACKNOWLEDGEABLE:
        raise ValidationError(_("Version %(number)s is no longer in force, so there is nothing to acknowledge. "
                                "Read the version in force instead.") % {"number": version.number}, code="superseded")
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
    """A draft from a policy document, stored in the current format (a /1 document is upgraded on the way in).

    Raises PolicyDocumentError (nothing written) for a bad document.
    """
    policy = parse_document(document)
    with transaction.atomic():
        version = _create_draft(agency=agency, actor=actor, policy=policy, based_on="import")
        record(agency=agency, actor=actor, action=AuditAction.POLICY_IMPORTED, target=version,
               data={"number": version.number, "rules": len(policy.connection_rules)})
    return version


def policy_export(version: PolicyVersion, *, actor: User | None = None) -> dict:
    document = version.export()
    record(agency=version.agency, actor=actor, action=AuditAction.POLICY_EXPORTED, target=version,
           data={"number": version.number})
    return document


def policy_in_force(agency: Agency, on: dt.date) -> tuple[PolicyVersion | None, Policy]:
    """The version in force on a date and its Policy, or (None, DEFAULT_POLICY): one query."""
    version = PolicyVersion.objects.for_agency(agency).in_force_on(on).first()
    return (None, DEFAULT_POLICY) if version is None else (version, version.policy)


def awaiting_acknowledgements(membership: Membership, today: dt.date | None = None) -> list[PolicyVersion]:
    """The versions this person still has to acknowledge: the one in force, then any scheduled, in date order.

    Each carries `scheduled` (True for a version that has not taken effect yet). One query.
    """
    today = today or timezone.localdate()
    return list(PolicyVersion.objects.for_agency(membership.agency).acknowledgeable_on(today)
                .exclude(acknowledgements__user_id=membership.user_id))


def awaiting_acknowledgement(membership: Membership, today: dt.date | None = None) -> PolicyVersion | None:
    """The first version this person still has to acknowledge (the one in force before a scheduled one)."""
    awaiting = awaiting_acknowledgements(membership, today)
    return awaiting[0] if awaiting else None


def statement_receipt_record(*, membership: Membership, client_reference: str, language: str,
                             received_on: dt.date) -> tuple[StatementReceipt, bool]:
    """Record that a client or family went through the statement in force on `received_on`.

    The practitioner's membership row is locked, so two sends of the same record make one. Returns the
    receipt and whether it is new. One audit event, with no free text (the client reference stays out of it).
    """
    agency = membership.agency
    with transaction.atomic():
        Membership.objects.select_for_update().get(pk=membership.pk)
        version, _ = policy_in_force(agency, received_on)
        receipt = StatementReceipt.objects.for_agency(agency).filter(
            recorded_by=membership.user, client_reference=client_reference, version=version, language=language,
            received_on=received_on).first()
        if receipt is not None:
            return receipt, False
        receipt = StatementReceipt.objects.create(
            agency=agency, version=version, client_reference=client_reference, language=language,
            received_on=received_on, recorded_by=membership.user, recorded_at=timezone.now())
        record(agency=agency, actor=membership.user, action=AuditAction.STATEMENT_GIVEN, target=receipt,
               data={"version": version.number if version else 0, "language": language})
    return receipt, True


def statement_words(version: PolicyVersion | None) -> tuple:
    """What a version's statement says, in English, leaving out the line that names the version itself."""
    policy = version.policy if version is not None else DEFAULT_POLICY
    with translation.override("en"):
        return tuple(section for section in statement_sections(policy) if section.key != "changes")


def clients_to_update(membership: Membership, today: dt.date) -> list[StatementReceipt]:
    """This practitioner's clients whose latest statement came from a version that says something else.

    One query for the receipts (with their versions) and one for the version in force.
    """
    in_force, _ = policy_in_force(membership.agency, today)
    latest: dict[str, StatementReceipt] = {}
    receipts = (StatementReceipt.objects.for_agency(membership.agency).filter(recorded_by=membership.user)
                .select_related("version").order_by("client_reference", "-received_on", "-recorded_at"))
    for receipt in receipts:
        latest.setdefault(receipt.client_reference, receipt)
    current = statement_words(in_force)
    words: dict[int | None, tuple] = {in_force.pk if in_force else None: current}
    stale = []
    for receipt in latest.values():
        key = receipt.version_id
        if key not in words:
            words[key] = statement_words(receipt.version)
        if words[key] != current:
            stale.append(receipt)
    return sorted(stale, key=lambda receipt: receipt.client_reference)


def receipts_per_version(agency: Agency) -> list[dict]:
    """For supervisors: how many clients received each version's statement (None: the default). One query."""
    return list(StatementReceipt.objects.for_agency(agency).values("version__number")
                .annotate(clients=Count("client_reference", distinct=True)).order_by("-version__number"))


# The agency's crisis numbers and own paragraph (StatementSettings), in the order the page shows them.
STATEMENT_SETTINGS_FIELDS = ("emergency_number", "crisis_number", "crisis_texts", "paragraph_en", "paragraph_es")


def statement_settings_for(agency: Agency) -> StatementSettings:
    """The agency's statement settings, or an unsaved row holding the defaults (911, 988, no paragraph). One query."""
    return StatementSettings.objects.for_agency(agency).first() or StatementSettings(agency=agency)


def statement_additions(agency_settings: StatementSettings, language: str) -> dict[str, str]:
    """What the agency adds to its statement in the active language: `statement_sections`' keyword arguments."""
    return {"crisis_lines": crisis_lines(agency_settings.emergency_number, agency_settings.crisis_number,
                                         agency_settings.crisis_texts),
            "agency_words": agency_settings.paragraph(language)}


def statement_settings_save(*, agency: Agency, actor: User, emergency_number: str, crisis_number: str,
                            crisis_texts: bool, paragraph_en: str, paragraph_es: str
                            ) -> tuple[StatementSettings, list[str]]:
    """Save the agency's crisis numbers and paragraphs; returns the row and the names of the fields changed.

    The agency row is locked first, so two first saves at once make one row, and each event lists what
    its own save changed. One audit event when something changed, holding the field names only (the
    numbers and words stay out of the trail). Raises ValidationError for a value the model refuses.
    """
    values = {"emergency_number": emergency_number, "crisis_number": crisis_number, "crisis_texts": crisis_texts,
              "paragraph_en": paragraph_en, "paragraph_es": paragraph_es}
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=agency.pk)
        row = statement_settings_for(agency)
        changed = [name for name in STATEMENT_SETTINGS_FIELDS if getattr(row, name) != values[name]]
        if not changed:
            return row, []
        for name in changed:
            setattr(row, name, values[name])
        row.full_clean(exclude=["agency", "updated_by"], validate_constraints=False)
        row.updated_at, row.updated_by = timezone.now(), actor
        row.save()
        record(agency=agency, actor=actor, action=AuditAction.STATEMENT_SETTINGS_CHANGED, target=row,
               data={"changed": changed})
    return row, changed
