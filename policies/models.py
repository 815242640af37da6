"""Policy versions, each holding its policy as one validated document, and acknowledgements, per agency.

A version's `document` is a policy document (policies/document/policy.py), always loaded whole
with the row; `version.policy` reads it. A published version's document never changes.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from boundaries.client_reference import CLIENT_REFERENCE_MAX, validate_client_reference
from boundaries.tenancy import TenantModel, TenantQuerySet
from policies.document import Policy, parse_document, schema_of, to_document
from policies.statement import DEFAULT_CRISIS_NUMBER, DEFAULT_EMERGENCY_NUMBER


class PolicyStatus(models.TextChoices):
    """What is stored. Whether a published version is scheduled, in force or superseded depends on
    the day and on the versions published after it, so it is derived (`VersionState`), never stored."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_FORCE = "in force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")


ACKNOWLEDGEABLE = (VersionState.IN_FORCE, VersionState.SCHEDULED)


class PolicyVersionQuerySet(TenantQuerySet):
    def drafts(self) -> "PolicyVersionQuerySet":
        return self.filter(status=PolicyStatus.DRAFT)

    def released(self) -> "PolicyVersionQuerySet":
        """Every published version: scheduled, in force or superseded."""
        return self.filter(status=PolicyStatus.PUBLISHED)

    def in_force_on(self, on: dt.date) -> "PolicyVersionQuerySet":
        """Released versions that had taken effect by `on`, the one in force first (the higher number wins a tie)."""
        return self.released().filter(effective_from__lte=on).order_by("-effective_from", "-number")

    def with_in_force_on(self, on: dt.date) -> "PolicyVersionQuerySet":
        """Annotate each row with `in_force_pk`, its agency's version in force on `on`, for `state_on`."""
        in_force = PolicyVersion.objects.filter(agency=OuterRef("agency")).in_force_on(on)
        return self.annotate(in_force_pk=Subquery(in_force.values("pk")[:1]))

    def acknowledgeable_on(self, on: dt.date) -> "PolicyVersionQuerySet":
        """The version in force on `on` and those scheduled after it, each marked `scheduled`."""
        in_force = PolicyVersion.objects.filter(agency=OuterRef("agency")).in_force_on(on)
        return (self.released().filter(Q(effective_from__gt=on) | Q(pk=Subquery(in_force.values("pk")[:1])))
                .annotate(scheduled=ExpressionWrapper(Q(effective_from__gt=on), output_field=BooleanField()))
                .order_by("effective_from", "number"))


class PolicyVersion(TenantModel):
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    based_on = models.CharField(max_length=60, blank=True,
                                help_text="Where the draft started: template:<slug>, version:<n>, default or import.")
    effective_from = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     db_index=False,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   db_index=False,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   db_index=False,
                                   related_name="+")
    # Optimistic concurrency: every save of a draft checks and bumps this number.
    lock_version = models.PositiveIntegerField(default=0)

    # The whole policy, validated: written only through `policy` (drafts only), read back the same way.
    document = models.JSONField()

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="policy_version_agency_number_uniq"),
            models.UniqueConstraint(fields=["agency"], condition=Q(status=PolicyStatus.DRAFT),
                                    name="policy_version_one_draft_per_agency"),
            models.CheckConstraint(condition=Q(status=PolicyStatus.DRAFT) | Q(effective_from__isnull=False),
                                   name="policy_version_released_has_date"),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "effective_from"], name="policy_version_in_force_idx"),
            # Foreign keys to users, led by the agency like every tenant index (docs/scaling.md).
            models.Index(fields=["agency", "published_by"], name="policy_ver_published_by_idx"),
            models.Index(fields=["agency", "created_by"], name="policy_ver_created_by_idx"),
            models.Index(fields=["agency", "updated_by"], name="policy_ver_updated_by_idx"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}: {self.title}"

    @property
    def policy(self) -> Policy:
        """The policy this version holds (a document stored as boundaries.policy/1 is read as one).

        Read once per loaded document: a refresh from the database brings a new document and a new read.
        """
        document, policy = self.__dict__.get("_read", (None, None))
        if document is not self.document or policy is None:
            policy = parse_document(self.document)
            self.__dict__["_read"] = (self.document, policy)
        return policy

    @policy.setter
    def policy(self, policy: Policy) -> None:
        self.document = to_document(policy)
        self.__dict__["_read"] = (self.document, policy)

    @property
    def title(self) -> str:
        return self.document["title"]

    def export(self) -> dict:
        """The document as the agency gets it back: in the format it was stored in, so an export never changes."""
        return to_document(self.policy, schema=schema_of(self.document))

    @property
    def is_draft(self) -> bool:
        return self.status == PolicyStatus.DRAFT

    def state_on(self, today: dt.date, in_force_pk: int | None) -> VersionState:
        """Draft, scheduled, in force or superseded, given the agency's version in force `today`.

        A published version stays in force until the next one takes effect, so a version
        scheduled for a later date supersedes nothing yet.
        """
        if self.is_draft:
            return VersionState.DRAFT
        if self.effective_from > today:
            return VersionState.SCHEDULED
        return VersionState.IN_FORCE if self.pk == in_force_pk else VersionState.SUPERSEDED


class Acknowledgement(TenantModel):
    # Both served by the agency-led constraint and index below (docs/scaling.md).
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements",
                                db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["agency", "version", "acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "version", "user"], name="policy_ack_agency_version_user_uniq"),
        ]
        indexes = [models.Index(fields=["agency", "user"], name="policy_ack_agency_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} acknowledged version {self.version_id}"


class StatementLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class StatementReceipt(TenantModel):
    """A client or family received and went through the client statement of one version, in one language.

    `version` is None when the agency had no policy in force and the statement followed the default.
    The client is named only by a case number or initials.
    """

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="receipts", db_index=False)
    client_reference = models.CharField(max_length=CLIENT_REFERENCE_MAX, validators=[validate_client_reference])
    language = models.CharField(max_length=2, choices=StatementLanguage.choices)
    received_on = models.DateField()
    # Both foreign keys are served by the agency-led indexes below (ready to shard).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["agency", "-received_on", "-recorded_at"]
        indexes = [
            models.Index(fields=["agency", "recorded_by", "client_reference"], name="statement_receipt_worker_idx"),
            models.Index(fields=["agency", "version"], name="statement_receipt_version_idx"),
        ]

    def __str__(self) -> str:
        return f"Statement receipt {self.pk}"


# What an agency adds to its client statement (docs/statement.md). Agency settings, not part of the policy
# document: a new crisis number takes effect at once, with no new version for staff to acknowledge.
PHONE_MAX_LENGTH = 25
AGENCY_PARAGRAPH_MAX_LENGTH = 600
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-]+$")
_DIGIT = re.compile(r"[0-9]")


def validate_phone_text(value: str) -> None:
    """A number a family can dial: digits, with spaces, dashes, dots or brackets between them, and a leading +."""
    digits = len(_DIGIT.findall(value))
    if not _PHONE_CHARACTERS.match(value) or not 3 <= digits <= 15:
        raise ValidationError(
            _("Give a phone number to call, such as 988 or (555) 010-0199: 3 to 15 digits, with spaces, dashes, "
              "dots or brackets between them if you like."), code="invalid_phone")


class StatementSettings(TenantModel):
    """One agency's crisis numbers and its own paragraph, per language, for the client statement.

    No row means the defaults: 911 and 988, and no paragraph.
    """

    emergency_number = models.CharField(_("emergency number"), max_length=PHONE_MAX_LENGTH,
                                        default=DEFAULT_EMERGENCY_NUMBER, validators=[validate_phone_text])
    crisis_number = models.CharField(_("crisis line"), max_length=PHONE_MAX_LENGTH, blank=True,
                                     default=DEFAULT_CRISIS_NUMBER, validators=[validate_phone_text])
    crisis_texts = models.BooleanField(_("the crisis line takes texts"), default=True)
    paragraph_en = models.TextField(_("paragraph in English"), max_length=AGENCY_PARAGRAPH_MAX_LENGTH, blank=True)
    paragraph_es = models.TextField(_("paragraph in Spanish"), max_length=AGENCY_PARAGRAPH_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    # Served by the agency-led index below (ready to shard).
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", db_index=False)

    class Meta:
        verbose_name = _("client statement settings")
        verbose_name_plural = _("client statement settings")
        constraints = [models.UniqueConstraint(fields=["agency"], name="statement_settings_one_per_agency")]
        indexes = [models.Index(fields=["agency", "updated_by"], name="statement_settings_updated_idx")]

    def __str__(self) -> str:
        return f"Statement settings of agency {self.agency_id}"

    def paragraph(self, language: str) -> str:
        """The agency's own words in that language; "" when it has none there (never the other language's)."""
        return {"en": self.paragraph_en, "es": self.paragraph_es}.get(language, "")
