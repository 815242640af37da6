"""The pages `make bench` measures: one row each, easy to extend.

A page's `path` works out its URL from what a signed-in person sees (`Site.fetch`) and the data
(Django, for ids); it raises Skip when the page does not exist in this version of the app, and the
bench prints the reason and carries on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from .common import BIG
from .data import email
from .http import PAGE_OF, next_link

DEEP_PAGE = 1000  # "page 1000" of the review list, or as deep as the data goes


class Skip(Exception):
    pass


# Who signs in for each role: the big agency's first practitioner, supervisor and (plain) admin,
# and its superuser (admin 0) for the Django admin.
USERS = {
    "practitioner": email(BIG, "practitioner", 0),
    "supervisor": email(BIG, "supervisor", 0),
    "admin": email(BIG, "admin", 1),
    "superuser": email(BIG, "admin", 0),
}


class Site:
    """What a page needs to find its URL. `fetch(role, path)` returns (status, html)."""

    def __init__(self, fetch: Callable[[str, str], tuple[int, str]]):
        self.fetch = fetch
        self._deep: str | None = None

    def own_request(self) -> int:
        """The practitioner's newest open request: its page shows the guidance and the options."""
        from accounts.models import User
        from scenarios.models import ContactRequest

        user = User.objects.get(email=USERS["practitioner"])
        row = (ContactRequest.objects.filter(practitioner=user, status="open").order_by("-received_at")
               .values_list("pk", flat=True).first())
        if row is None:
            row = ContactRequest.objects.filter(practitioner=user).order_by("-received_at").values_list(
                "pk", flat=True).first()
        if row is None:
            raise Skip("the practitioner has no request")
        return row

    def deep_review_page(self) -> str:
        """Page 1000 of the review list as the list reaches it: `?page=N` when it numbers its pages,
        otherwise by following its Next links (keyset pages) as far as the data goes."""
        if self._deep is not None:
            return self._deep
        path = "/review/"
        status, html = self.fetch("supervisor", path)
        if status != 200:
            raise Skip(f"the review list answered {status}")
        link = next_link(html)
        if link is None:
            pages = PAGE_OF.search(html)
            if pages and int(pages.group(2).replace(",", "")) > 1:
                raise Skip("the review list has more pages but no Next link the bench recognises")
            self._deep = _past_the_waiting(path)  # one page of data: an Older link into the rest, as deep pages are
            return self._deep
        query = dict(parse_qsl(urlsplit(link).query))
        if "page" in query and query["page"].isdigit():
            pages = PAGE_OF.search(html)
            last = int(pages.group(2).replace(",", "")) if pages else DEEP_PAGE
            self._deep = f"{path}?{urlencode({**query, 'page': min(DEEP_PAGE, last)})}"
            return self._deep
        hops, current = 1, link
        while hops < DEEP_PAGE - 1:  # keyset: walk to page 1000 the way a person would
            status, html = self.fetch("supervisor", _relative(path, current))
            following = next_link(html) if status == 200 else None
            if following is None:
                break
            current, hops = following, hops + 1
        self._deep = _relative(path, current)
        return self._deep


def _past_the_waiting(path: str) -> str:
    """With one page of data there is no page 1000 to walk to; an Older link into the rest (the part of
    the list after what waits for the supervisor) takes the same path through the view as page 1000
    does, so its query count is the one to compare. A keyset list is read the same way at any depth."""
    import datetime as dt

    from scenarios.views import REST, Position

    far = dt.datetime(2999, 1, 1, tzinfo=dt.timezone.utc)  # older than this: every row of the rest
    return f"{path}?before={Position(REST, far, 10**17)}"


def _relative(path: str, link: str) -> str:
    return link if link.startswith("/") else path + link if link.startswith("?") else "/" + link


def _what_if(site: Site) -> str:
    """The what-if page, wherever a later version puts it (any URL name with "what" and "if")."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name and re.search(r"what_?-?if", pattern.name):
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    for name in names:
        for args in ([], [_policy_number()]):
            try:
                return reverse(name, args=args)
            except NoReverseMatch:
                continue
    raise Skip("no what-if page in this version" if not names else f"{names[0]} needs arguments")


def _policy_number() -> int:
    """The big agency's draft policy, or its newest version when it has no draft: the what-if then
    compares that version with the one in force over every request of the period, which is its cost."""
    from policies.models import PolicyStatus, PolicyVersion

    versions = PolicyVersion.objects.filter(agency__slug=BIG).order_by("-number")
    draft = versions.filter(status=PolicyStatus.DRAFT).values_list("number", flat=True).first()
    newest = versions.values_list("number", flat=True).first()
    if draft is None and newest is None:
        raise Skip("the agency has no policy version")
    return draft if draft is not None else newest


@dataclass(frozen=True)
class Page:
    key: str
    name: str
    role: str
    path: Callable[[Site], str]
    target: float | None = None  # the least ratio to the ceiling the issue asks for
    server: str = "app"


PAGES = [
    Page("guidance", "guidance page", "practitioner", lambda site: f"/requests/{site.own_request()}/", 0.5),
    Page("my_requests", "my requests", "practitioner", lambda site: "/requests/", 0.4),
    Page("review_first", "review list, first page", "supervisor", lambda site: "/review/", 0.4),
    Page("review_filtered", "review list, filtered", "supervisor",
         lambda site: "/review/?status=closed&medium=facebook&relationship=current_client", 0.4),
    Page("review_deep", "review list, deep page", "supervisor", lambda site: site.deep_review_page(), 0.4),
    Page("audit", "audit page", "admin", lambda site: "/audit/", 0.4),
    Page("home_practitioner", "home page, practitioner", "practitioner", lambda site: "/"),
    Page("home_supervisor", "home page, supervisor", "supervisor", lambda site: "/"),
    Page("home_admin", "home page, admin", "admin", lambda site: "/"),
    Page("dashboard", "dashboard", "supervisor", lambda site: "/dashboard/"),
    Page("what_if", "what-if", "supervisor", _what_if),
    Page("admin_changelist", "Django admin changelist of requests", "superuser",
         lambda site: "/bench/admin/scenarios/contactrequest/", server="ceiling"),
]
CEILING = Page("ceiling", "ceiling (bare view)", "practitioner", lambda site: "/bench/ceiling/", server="ceiling")

# The API, against the same ceiling: a case system asking for guidance with the practitioner's token,
# a POST with a JSON body (bench/run.py writes wrk a Lua script for it).
EVALUATE_PATH = "/api/v1/evaluate"
EVALUATE_BODY = {"facts": {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
                           "client_status": "current", "received_at": "2026-03-10T21:05:00"}}
EVALUATE_TARGET = 0.5


def evaluate_script(secret: str) -> str:
    """wrk's Lua script for POST /api/v1/evaluate: the JSON body and the bearer token on every request."""
    import json

    from .wrk import post_script

    return post_script(json.dumps(EVALUATE_BODY), {"Content-Type": "application/json",
                                                   "Authorization": f"Bearer {secret}"})


def totp_code(address: str) -> str:
    """A code this person's authenticator shows, for a time step django-otp has not seen used yet."""
    import time
    from binascii import unhexlify

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email=address, confirmed=True)
    # The current step (the server allows one either side, but a busy server may check it a step
    # later); a step already used waits for the next one.
    step = max(int(time.time()) // 30, device.last_t + 1)
    while step > int(time.time()) // 30:
        time.sleep(1)
    totp = TOTP(unhexlify(device.key), step=30, t0=0, digits=6)
    totp.time = step * 30 + 1
    return f"{totp.token():06d}"
