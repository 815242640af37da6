"""Session limits and the agency's two-factor requirement, checked on every request."""

from __future__ import annotations

import time
from typing import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

STARTED_KEY = "session_started_at"
SEEN_KEY = "session_seen_at"

# Reachable while the agency waits for someone to set up two-factor sign-in.
TWO_FACTOR_EXEMPT = {"two_factor_setup", "account", "logout", "agency_switch", "session_status",
                     "session_keepalive", "password_change", "bell"}  # bell: the navigation's Notices link, no count


def session_start(session) -> None:
    now = int(time.time())
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now


def session_touch(request: HttpRequest) -> None:
    """Count this moment as activity (the "Stay signed in" button)."""
    request.session[SEEN_KEY] = int(time.time())
    _remember_seconds_left(request, int(time.time()))


def _remember_seconds_left(request: HttpRequest, now: int) -> None:
    session = request.session
    idle_left = session[SEEN_KEY] + settings.SESSION_IDLE_SECONDS - now
    limit_left = session[STARTED_KEY] + settings.SESSION_MAX_SECONDS - now
    request.session_seconds_left = max(0, min(idle_left, limit_left))
    request.session_warning_seconds = settings.SESSION_WARNING_SECONDS
    request.session_ends_by = "limit" if limit_left <= idle_left else "idle"


def _end_message(reason: str) -> str:
    if reason == "idle":
        minutes = settings.SESSION_IDLE_SECONDS // 60
        return _("You were signed out after %(minutes)s minutes without activity, to keep client records "
                 "private. Sign in again to carry on.") % {"minutes": minutes}
    if reason == "limit":
        hours = settings.SESSION_MAX_SECONDS // 3600
        return _("You were signed out because you had been signed in for %(hours)s hours. Sign in again to carry "
                 "on.") % {"hours": hours}
    return _("Two-factor sign-in is on for your account now, so please sign in again with a code.")


class SessionLimitsMiddleware:
    """End a session after its idle time or its overall limit, and any session of someone who has
    two-factor sign-in on but didn't pass the code step in it (one opened before they set it up).

    Activity is written at most once a minute (SESSION_ACTIVITY_WRITE_SECONDS), not on every
    request, and never by the status check the idle warning makes, which would otherwise keep
    an abandoned page signed in forever.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        session = request.session
        if STARTED_KEY not in session or SEEN_KEY not in session:
            session_start(session)  # a session from before these limits: they count from now
        reason = None
        if now - session[STARTED_KEY] >= settings.SESSION_MAX_SECONDS:
            reason = "limit"
        elif now - session[SEEN_KEY] >= settings.SESSION_IDLE_SECONDS:
            reason = "idle"
        elif request.user.two_factor_enabled and not request.user.is_verified():
            reason = "second_factor"
        if reason is not None:
            request.session_end_reason = reason
            logout(request)
            messages.info(request, _end_message(reason))
            return
        if now - session[SEEN_KEY] >= settings.SESSION_ACTIVITY_WRITE_SECONDS and not _is_status_check(request):
            session[SEEN_KEY] = now
        _remember_seconds_left(request, now)


def _is_status_check(request: HttpRequest) -> bool:
    return request.path == reverse("session_status")


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


class TwoFactorPolicyMiddleware:
    """Someone whose agency requires two-factor sign-in for their role there sets it up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if (membership is not None and membership.needs_two_factor and not request.user.two_factor_enabled
                and _url_name(request) not in TWO_FACTOR_EXEMPT):
            url = reverse("two_factor_setup")
            if getattr(request, "htmx", False):
                return HttpResponse(status=204, headers={"HX-Redirect": url})
            return redirect(url)
        return self.get_response(request)
