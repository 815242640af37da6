"""Bearer tokens only: no session, no cookie (so no CSRF surface), never a token in the URL."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.client import client_ip
from accounts.models import Membership
from accounts.throttle import throttle_take

from .models import TOKEN_PREFIX, ApiToken, secret_hash

# Query parameters that people put tokens in; any value that looks like one of ours counts too.
URL_TOKEN_PARAMS = frozenset({"token", "access_token", "api_key", "apikey", "key", "bearer", "auth"})
# How stale `last_used_at` may get: one write a minute per token, not one per request.
LAST_USED_EVERY = 60


class TokenInUrl(exceptions.AuthenticationFailed):
    default_detail = ("A token is only accepted in the Authorization header (Authorization: Bearer <token>), "
                      "never in the URL, where logs and browser histories keep it. Revoke this token and make a new one.")


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate_header(self, request) -> str:
        return 'Bearer realm="boundaries"'

    def authenticate(self, request):
        django_request = request._request
        for name, values in django_request.GET.lists():
            if name.lower() in URL_TOKEN_PARAMS or any(TOKEN_PREFIX in value for value in values):
                self._failed(django_request)
                raise TokenInUrl()
        header = get_authorization_header(request)
        if not header:
            return None
        try:
            scheme, _space, secret = header.decode("ascii").partition(" ")
        except UnicodeDecodeError:
            scheme, secret = "", ""
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
            self._failed(django_request)
            raise exceptions.AuthenticationFailed(_("Send the token as Authorization: Bearer bnd_…"))
        now = timezone.now()
        token = ApiToken.objects.filter(secret_hash=secret_hash(secret)).first()
        if token is None or not token.is_live(now):
            self._failed(django_request)
            raise exceptions.AuthenticationFailed(_("This token is unknown, revoked or expired."))
        # Checked on every request: a deactivated owner, one who left the agency or changed role,
        # takes their tokens with them at once.
        membership = (Membership.objects.active().select_related("agency", "user")
                      .filter(user_id=token.user_id, agency_id=token.agency_id).first())
        if membership is None:
            self._failed(django_request)
            raise exceptions.AuthenticationFailed(_("This token's owner no longer works in its agency."))
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.agency, token.user = membership.agency, membership.user
        django_request.membership, django_request.agency = membership, membership.agency
        django_request.memberships = [membership]
        timezone.activate(membership.agency.zone)
        return membership.user, token

    def _failed(self, django_request) -> None:
        """Count the failure against the client's address; past the limit, answer 429 instead."""
        allowed = throttle_take(scope="api_auth_failed", key=client_ip(django_request) or "unknown",
                                limit=settings.API_AUTH_FAILURE_LIMIT, window=settings.API_AUTH_FAILURE_WINDOW,
                                now=timezone.now())
        if not allowed:
            raise exceptions.Throttled(wait=settings.API_AUTH_FAILURE_WINDOW.total_seconds(),
                                       detail=_("Too many failed authentications from this address. Try again later."))
