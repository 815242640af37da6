"""Who is knocking: the client's address and the account they name, as the lockout counts them."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, trusting X-Forwarded-For only as far as our own proxies.

    Each of the TRUSTED_PROXY_COUNT proxies appends the address it received the request from, so
    the client is the entry that many places from the right. Anything to the left of it was written
    by the client and is ignored. With no trusted proxy the header is ignored altogether.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "")) or None
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies means a proxy was bypassed or misconfigured: take the leftmost,
    # which is still one our outermost proxy saw if it was used at all.
    chosen = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return _valid_ip(chosen) or remote


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


def sign_in_username(request: HttpRequest, credentials: dict | None) -> str:
    """The email as the lockout counts it: PAT@x.org and pat@x.org are the same account."""
    if credentials:
        return normalise_email(credentials.get("username") or credentials.get("email"))
    return normalise_email(getattr(request, "POST", {}).get("username"))
