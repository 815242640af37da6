"""One masked CSRF token per response.

Django masks the secret afresh on every `get_token` call (32 characters, each from the operating
system's random source), and a page asks for it once per form: the header's sign-out form and the
page's own. One mask per response is what protects the secret from compression attacks (BREACH),
so every form of a response shares the first token made for it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject


def response_token(request: HttpRequest) -> str:
    """This response's masked token; a new one when the secret changed (sign-in rotates it)."""
    made = getattr(request, "_masked_csrf_token", None)
    if made is not None and made[0] == request.META.get("CSRF_COOKIE"):
        return made[1]
    token = get_token(request)
    request._masked_csrf_token = (request.META.get("CSRF_COOKIE"), token)
    return token


def context(request: HttpRequest) -> dict:
    """`csrf_token` for templates, as Django's own context processor gives it but shared per response
    (a processor listed in settings overrides the built-in one's key)."""
    return {"csrf_token": SimpleLazyObject(lambda: response_token(request))}
