"""Creating and revoking personal API tokens: each is an audit event with no free text."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from audit.models import AuditAction
from audit.services import record

from .models import DEFAULT_LIFETIME, MAX_LIFETIME, SCOPE_ROLES, ApiToken, Scope, new_secret, secret_hash


def check_scopes(scopes: list[str], role: str) -> list[str]:
    unknown = [scope for scope in scopes if scope not in Scope.values]
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %(unknown)s. Choose from %(known)s.") % {
            "unknown": ", ".join(unknown), "known": ", ".join(Scope.values)}})
    if not scopes:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    beyond = [scope for scope in scopes if role not in SCOPE_ROLES[scope]]
    if beyond:
        raise ValidationError({"scopes": _("Your role can't give a token %(scopes)s.") % {"scopes": ", ".join(beyond)}})
    return [scope for scope in Scope.values if scope in scopes]


def api_token_create(*, membership: Membership, name: str, scopes: list[str], days: int | None = None,
                     now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the member, and its secret: the only time the secret exists outside the caller."""
    now = now or timezone.now()
    name = name.strip()
    errors = {}
    if not name or len(name) > 80 or "\x00" in name:
        errors["name"] = [_("Give the token a name of up to 80 characters, such as the system that will use it.")]
    lifetime = DEFAULT_LIFETIME if days is None else dt.timedelta(days=days)
    if not dt.timedelta(days=1) <= lifetime <= MAX_LIFETIME:
        errors["days"] = [_("A token lasts from 1 to %(most)s days.") % {"most": MAX_LIFETIME.days}]
    try:
        scopes = check_scopes(list(scopes), membership.role)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    secret = new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            agency=membership.agency, user=membership.user, name=name, scopes=scopes, hint=secret[:12],
            secret_hash=secret_hash(secret), created_at=now, expires_at=now + lifetime)
        record(agency=membership.agency, actor=membership.user, action=AuditAction.API_TOKEN_CREATED, target=token,
               data={"scopes": scopes, "days": lifetime.days})
    return token, secret


def api_token_revoke(*, token: ApiToken, actor, now: dt.datetime | None = None) -> ApiToken:
    """Revoke once; a second revoke (a double click) changes nothing and records nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = now or timezone.now()
            token.save(update_fields=["revoked_at"])
            record(agency=token.agency, actor=actor, action=AuditAction.API_TOKEN_REVOKED, target=token,
                   data={"own": token.user_id == getattr(actor, "pk", None)})
    return token
