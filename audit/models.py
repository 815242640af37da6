from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.urls import get_script_prefix, reverse

from boundaries.tenancy import TenantQuerySet


def _url(name: str, *args: int) -> str:
    """A target's URL; the audit page shows fifty a page, mostly the same few, so each is reversed once."""
    return _reversed(name, args, get_script_prefix())


@lru_cache(maxsize=4096)
def _reversed(name: str, args: tuple[int, ...], _prefix: str) -> str:
    return reverse(name, args=args)


class AuditAction(models.TextChoices):
    SIGN_IN = "auth.sign_in", _("Signed in")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "auth.sign_out", _("Signed out")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    SIGN_IN_LOCKED = "auth.locked_out", _("Sign-in locked after failed attempts")
    TWO_FACTOR_ENABLED = "auth.2fa_enabled", _("Two-factor sign-in set up")
    TWO_FACTOR_USED = "auth.2fa_used", _("Two-factor code used")
    TWO_FACTOR_DISABLED = "auth.2fa_disabled", _("Two-factor sign-in turned off")
    RECOVERY_CODES_RENEWED = "auth.recovery_codes_renewed", _("New recovery codes made")
    TWO_FACTOR_REQUIREMENT_CHANGED = "agency.2fa_required", _("Two-factor requirement changed")
    TIME_ZONE_CHANGED = "agency.time_zone", _("Agency time zone changed")
    STAFF_ADDED = "staff.added", _("Staff added")
    ROLE_CHANGED = "staff.role_changed", _("Role changed")
    PROFESSION_CHANGED = "staff.profession_changed", _("Profession changed")
    STAFF_DEACTIVATED = "staff.deactivated", _("Staff deactivated")
    STAFF_REACTIVATED = "staff.reactivated", _("Staff reactivated")
    STAFF_INVITED = "staff.invited", _("Staff invited")
    INVITATION_CANCELLED = "staff.invitation_cancelled", _("Invitation cancelled")
    INVITATION_ACCEPTED = "staff.joined", _("Invitation accepted")
    AGENCY_SWITCHED = "auth.agency_switched", _("Switched agency")
    ACCESS_DENIED = "access.denied", _("Access denied")
    AUDIT_EXPORTED = "audit.exported", _("Audit trail exported")
    CHAIN_KEYED = "audit.chain_keyed", _("Audit chain keyed")
    AUDIT_PURGED = "audit.purged", _("Old audit events purged")
    POLICY_CREATED = "policy.created", _("Policy draft started")
    POLICY_EDITED = "policy.edited", _("Policy edited")
    POLICY_PUBLISHED = "policy.published", _("Policy published")
    POLICY_ACKNOWLEDGED = "policy.acknowledged", _("Policy acknowledged")
    POLICY_IMPORTED = "policy.imported", _("Policy imported")
    POLICY_EXPORTED = "policy.exported", _("Policy exported")
    POLICY_DISCARDED = "policy.discarded", _("Policy draft discarded")
    REQUEST_LOGGED = "request.logged", _("Request logged")
    REQUEST_VIEWED = "request.viewed", _("Request viewed")
    REQUEST_UPDATED = "request.updated", _("Request updated")
    GUIDANCE_SHOWN = "guidance.shown", _("Guidance shown")
    OPTION_CHOSEN = "option.chosen", _("Option chosen")
    STEP_DOCUMENTED = "step.documented", _("Step documented")
    REQUEST_CLOSED = "request.closed", _("Request closed")
    REVIEW_DECIDED = "review.decided", _("Review decided")
    TRAINING_ANSWERED = "training.answered", _("Training scenario answered")
    TRAINING_COMPLETED = "training.completed", _("Training set completed")
    TRAINING_SCENARIO_CREATED = "training.scenario_created", _("Training scenario written")
    TRAINING_SCENARIO_EDITED = "training.scenario_edited", _("Training scenario edited")
    TRAINING_SCENARIO_RETIRED = "training.scenario_retired", _("Training scenario retired")
    STATEMENT_GIVEN = "statement.given", _("Client statement given")
    STATEMENT_SETTINGS_CHANGED = "statement.settings_changed", _("Client statement settings changed")
    API_TOKEN_CREATED = "api.token_created", _("API token created")
    API_TOKEN_REVOKED = "api.token_revoked", _("API token revoked")


# How a target is named on the audit page; other targets use their model's verbose name.
ACTION_LABELS = dict(AuditAction.choices)
TARGET_LABELS = {"accounts.membership": _("Staff member"), "api.apitoken": _("API token")}


class AuditEventQuerySet(TenantQuerySet):
    """Append-only: the queryset refuses bulk changes (the database refuses them too)."""

    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only; they cannot be updated.")

    def delete(self):
        raise PermissionError("Audit events are append-only; they cannot be deleted.")


class AuditEvent(models.Model):
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    sequence = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    # Served by audit_agency_actor_idx, which leads with the agency like every tenant index.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # Which audit key made `hash` (HMAC-SHA256); empty for events written before the chain was keyed.
    key_id = models.CharField(max_length=16, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "sequence"], name="audit_event_agency_sequence_uniq"),
        ]
        indexes = [
            # With sequence last, the first or last event of a date range is one index probe away.
            models.Index(fields=["agency", "occurred_at", "sequence"], name="audit_agency_time_seq_idx"),
            models.Index(fields=["agency", "action", "sequence"], name="audit_agency_action_idx"),
            models.Index(fields=["agency", "actor", "sequence"], name="audit_agency_actor_idx"),
        ]
        # PostgreSQL refuses changes whatever the client; SQLite gets its own triggers in
        # migration 0003. Only pgtrigger.ignore (see audit/retention.py) lifts them, per connection.
        triggers = [
            pgtrigger.Protect(name="append_only_update", operation=pgtrigger.Update),
            pgtrigger.Protect(name="append_only_delete", operation=pgtrigger.Delete),
            # TRUNCATE fires no row triggers, so a statement-level trigger guards it.
            pgtrigger.Trigger(
                name="append_only_truncate",
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                operation=pgtrigger.Truncate,
                func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    @property
    def action_label(self) -> str:
        # A dictionary made once: get_action_display() flattens some hundred choices on every call.
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def target_label(self) -> str:
        if self.target_type in TARGET_LABELS:
            return TARGET_LABELS[self.target_type]
        try:
            return str(apps.get_model(self.target_type)._meta.verbose_name).capitalize()
        except (LookupError, ValueError):
            return self.target_type

    @property
    def target_url(self) -> str:
        """Where the target can be seen by the admin reading the trail; "" when nowhere.

        Requests stay with their practitioner and supervisors, so a request links to its own
        entries in the trail; a policy version is named by its number, kept in the event's data.
        """
        if self.target_type == "accounts.membership" and self.target_id.isdigit():
            return _url("accounts:staff_role", int(self.target_id))
        if self.target_type == "accounts.invitation":
            return _url("accounts:staff_list")
        if self.target_type == "policies.policyversion" and isinstance(self.data.get("number"), int):
            return _url("policies:detail", self.data["number"])
        if self.target_type == "policies.statementsettings":
            return _url("policies:statement_settings")
        if self.target_type == "scenarios.contactrequest" and self.target_id.isdigit():
            return f'{_url("audit:event_list")}?{urlencode({"target": self.target_key})}'
        return ""

    @property
    def target_key(self) -> str:
        return f"{self.target_type}:{self.target_id}" if self.target_type else ""

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only; they cannot be deleted.")


class AuditChainHead(models.Model):
    """The newest event of one agency's chain; locking this row serialises appends.

    The database lets it only move forward, to an event that exists (migration
    0007_chain_head_forward_only): the runtime role may UPDATE it, but never back.
    """

    agency = models.OneToOneField("accounts.Agency", on_delete=models.PROTECT, primary_key=True, related_name="+")
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    occurred_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.agency_id} @ {self.sequence}"
