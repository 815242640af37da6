"""Personal API tokens and the responses remembered for idempotent POSTs."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from boundaries.tenancy import TenantQuerySet

TOKEN_PREFIX = "bnd_"
DEFAULT_LIFETIME = dt.timedelta(days=90)
MAX_LIFETIME = dt.timedelta(days=365)
IDEMPOTENCY_WINDOW = dt.timedelta(hours=24)


class Scope(models.TextChoices):
    GUIDANCE = "guidance", _("Guidance: evaluate facts")
    REQUESTS_READ = "requests:read", _("Read your requests")
    REQUESTS_WRITE = "requests:write", _("Log and close your requests")
    POLICY_READ = "policy:read", _("Read the policy")
    AUDIT_READ = "audit:read", _("Read the audit trail (admins only)")


# What each scope needs of the owner's role *now*: a token never goes beyond its owner's role.
SCOPE_ROLES: dict[str, frozenset[str]] = {
    Scope.GUIDANCE: frozenset(Role.values),
    Scope.REQUESTS_READ: frozenset({Role.PRACTITIONER, Role.SUPERVISOR}),
    Scope.REQUESTS_WRITE: frozenset({Role.PRACTITIONER, Role.SUPERVISOR}),
    Scope.POLICY_READ: frozenset(Role.values),
    Scope.AUDIT_READ: frozenset({Role.ADMIN}),
}


def scopes_for_role(role: str) -> list[str]:
    return [scope for scope in Scope.values if role in SCOPE_ROLES[scope]]


def secret_hash(secret: str) -> str:
    """SHA-256 is enough here: the secret is 256 random bits, so there is nothing to guess or stretch."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(TenantQuerySet):
    def live(self, now: dt.datetime) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    # Served by the (agency, user, created_at) index.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             db_index=False)
    name = models.CharField(max_length=80)
    scopes = models.JSONField(default=list)
    # The first characters of the secret, enough to recognise it in a list; never enough to use it.
    hint = models.CharField(max_length=12)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Looked up by hash before the agency is known, so this one key stands alone; a shard
            # router sends the lookup to every shard or keeps a hash -> agency directory.
            models.UniqueConstraint(fields=["secret_hash"], name="api_token_secret_uniq"),
        ]
        indexes = [models.Index(fields=["agency", "user", "created_at"], name="api_token_agency_user_idx"),
                   models.Index(fields=["agency", "created_at"], name="api_token_agency_created_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    def is_live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class IdempotentResponse(models.Model):
    """The first response to a POST carrying an Idempotency-Key, replayed for the same key and body."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    # Served by the unique (agency, token, key) constraint's index.
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=200)
    path = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "token", "key"], name="idempotency_agency_token_key_uniq")]
        indexes = [models.Index(fields=["agency", "created_at"], name="idempotency_agency_created_idx")]

    def __str__(self) -> str:
        return f"{self.key} -> {self.status}"
