"""The page chrome: what every page shows around its own content (the head's files, the header and
its navigation, the footer, the scripts and the idle warning), rendered once per distinct input.

Rendering the chrome through base.html cost 3 to 5 ms on every page (issue 14), more than a list's
rows. Its HTML depends on a handful of facts: who is signed in and their name, the role and agency
they work in, the agencies they may switch to, which navigation item is current, the language and
the code. `facts()` reads exactly those, the chrome's templates are rendered from them alone (a plain
dictionary, never the request), and the same facts are the memo's key, so a memo entry can never show
one person's chrome to another or outlive a change: a renamed agency is a new key at once.

Two things change on every request and so are never memoised: the CSRF token of the sign-out and
agency-switch forms, and the seconds left before the idle warning. The templates hold a marker for
each, filled in after the memo.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

from .csrf import response_token
from .memo import Memo

# (label, url name, roles that see it), in the order of the bar.
NAVIGATION = [
    (_("My requests"), "scenarios:list", {Role.PRACTITIONER, Role.SUPERVISOR}),
    (_("Policy in force"), "policies:read", {Role.PRACTITIONER, Role.SUPERVISOR, Role.ADMIN}),
    (_("Policies"), "policies:list", {Role.SUPERVISOR, Role.ADMIN}),
    (_("Client statement"), "policies:statement", {Role.SUPERVISOR, Role.ADMIN}),
    (_("Review"), "scenarios:review", {Role.SUPERVISOR}),
    (_("Dashboard"), "scenarios:dashboard", {Role.SUPERVISOR}),
    (_("Training"), "training:list", {Role.PRACTITIONER, Role.SUPERVISOR, Role.ADMIN}),
    (_("Staff"), "accounts:staff_list", {Role.ADMIN}),
    (_("Audit trail"), "audit:event_list", {Role.ADMIN}),
]

PARTS = ("head", "header", "footer")
# Markers no rendered text can contain (a NUL never reaches a page: every form refuses it).
CSRF_SLOT = "\x00csrf\x00"
SECONDS_SLOT = "\x00seconds\x00"
# Distinct chromes kept per worker: a header is some 5 KB, so about 5 MB at most.
memo = Memo(1024)


@cache
def _nav_urls(role: str, prefix: str) -> tuple[tuple[int, str], ...]:
    """The role's navigation as (index into NAVIGATION, URL), reversed once per worker."""
    return tuple((index, reverse(name)) for index, (_label, name, roles) in enumerate(NAVIGATION) if role in roles)


def nav_items(role: str, path: str) -> tuple[list[tuple[int, str]], int | None]:
    """The role's items and the current one: the closest match, since /policy/statement/ also starts
    with /policy/."""
    items = list(_nav_urls(role, get_script_prefix()))
    active = [(len(url), index) for index, url in items if path.startswith(url)]
    return items, max(active)[1] if active else None


def facts(request: HttpRequest | None, chrome_lang: str) -> tuple:
    """Everything the chrome shows, as a hashable tuple: the memo's key and the templates' only input.
    A page rendered without a request (none of ours is, today) gets the signed-out chrome."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    membership = getattr(request, "membership", None) if signed_in else None
    working = None
    if signed_in and membership is not None:
        places = getattr(request, "memberships", [])
        working = (membership.role, membership.agency.name, request.agency.pk,
                   tuple((place.agency_id, place.agency.name) for place in places) if len(places) > 1 else (),
                   nav_items(membership.role, request.path)[1])
    name = (user.full_name or user.email) if signed_in else ""
    return (get_language(), get_script_prefix(), settings.SESSION_WARNING_SECONDS, chrome_lang, signed_in, name,
            working)


def _context(key: tuple) -> dict:
    _language, _prefix, warning_seconds, chrome_lang, signed_in, name, working = key
    context = {"chrome_lang": chrome_lang, "signed_in": signed_in, "name": name, "working": working is not None,
               "warning_seconds": warning_seconds,
               "csrf_slot": mark_safe(CSRF_SLOT), "seconds_slot": mark_safe(SECONDS_SLOT)}
    if working is not None:
        role, agency_name, agency_pk, places, active = working
        context.update(
            role=Role(role).label, agency_name=agency_name, agency_pk=agency_pk, places=places,
            nav=[{"label": NAVIGATION[index][0], "url": url, "active": index == active}
                 for index, url in _nav_urls(role, get_script_prefix())])
    return context


def render(part: str, request: HttpRequest | None, chrome_lang: str = "") -> SafeString:
    """One part of the chrome for this request: from the memo when these facts rendered it before."""
    if part not in PARTS:
        raise ValueError(f"no chrome part {part!r}")
    key = (part, facts(request, chrome_lang))
    html = memo.get_or_render(key, lambda: render_to_string(f"chrome/{part}.html", _context(key[1])))
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                                                   response_token(request)))
    if SECONDS_SLOT in html:
        html = html.replace(SECONDS_SLOT, str(int(getattr(request, "session_seconds_left", 0))))
    return mark_safe(html)
