"""Headers every page carries, and a body limit enforced before the body is read.

README "Security" > "Headers" lists what each header is for.
"""

from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """`Permissions-Policy`, and `Cache-Control: no-store` on every response Django makes.

    Static files never reach this middleware (WhiteNoise answers them first, with long caching);
    everything else may show client or audit data, or carry a CSRF token, so no browser or proxy
    keeps a copy: pages, htmx fragments, error pages and downloads alike.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        add_never_cache_headers(response)
        return response


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """Refuse a body longer than REQUEST_BODY_MAX_BYTES from its Content-Length alone.

    It runs before any view and before CSRF checking reads `request.POST`, so an oversized upload
    costs nothing but its headers. A body without Content-Length (chunked) is read as empty by
    Django's WSGI handler, so the declared length is the only way in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > settings.REQUEST_BODY_MAX_BYTES:
            return render(request, "413.html", {"limit": settings.REQUEST_BODY_MAX_BYTES}, status=413)
        return self.get_response(request)
