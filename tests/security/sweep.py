"""The machinery the sweeps share: every URL pattern of the project, and one request at a time.

`project_patterns()` walks the resolver, so a page added anywhere is swept without anyone listing
it. `Persona.send()` makes one request inside a savepoint and rolls it back after looking at what
it changed, so thousands of requests run against one furnished world, each seeing it untouched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import import_module
from typing import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

ALL_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SIGN_IN = "/sign-in/"
ADMIN_SIGN_IN = "/django-admin/login/"


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: `key` is its view name, or its route when it has none."""

    key: str
    route: str
    parts: tuple  # the pattern objects from the root down, to build a path from kwargs

    @property
    def names(self) -> list[str]:
        return [name for part in self.parts for name in _group_names(part)]

    def path(self, kwargs: dict) -> str:
        path = "/" + "".join(_fill(part, kwargs) for part in self.parts)
        match = resolve(path)
        if match.route != self.route:
            raise AssertionError(f"{path} resolves to {match.route!r}, not to the swept pattern {self.route!r}: "
                                 "check the kwargs its registry entry builds.")
        return path


def _group_names(part) -> list[str]:
    if isinstance(part, RoutePattern):
        return re.findall(r"<(?:\w+:)?(\w+)>", part._route)
    return list(re.compile(part._regex).groupindex)


def _fill(part, kwargs: dict) -> str:
    if isinstance(part, RoutePattern):
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), part._route)
    assert isinstance(part, RegexPattern)
    filled = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), part._regex)
    return filled.removeprefix("^").removesuffix("$").replace("\\", "")


def project_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(entries, parts: tuple, namespace: str) -> None:
        for entry in entries:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (
                    entry.namespace or namespace)
                walk(entry.url_patterns, parts + (entry.pattern,), inner)
            else:
                assert isinstance(entry, URLPattern)
                route = "".join(str(part).removeprefix("^") for part in parts + (entry.pattern,))
                key = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or route)
                found.append(Pattern(key=key, route=route, parts=parts + (entry.pattern,)))

    walk(get_resolver().url_patterns, (), "")
    return found


def with_query(path: str, query: dict) -> str:
    return f"{path}?{urlencode(query, doseq=True)}" if query else path


def outcome(response) -> str:
    """What a response amounts to, in the words of the role matrix."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"]).path
        if location.startswith(SIGN_IN):
            return "sign-in"
        if location.startswith(ADMIN_SIGN_IN):
            return "admin-sign-in"
        return "allow"
    if response.status_code == 401:
        return "token"
    if response.status_code in (403, 404):
        return "deny"
    if response.status_code == 405:
        return "method-refused"
    if response.status_code >= 500:
        return "error"
    return "allow"


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@dataclass
class Sent:
    method: str
    path: str
    response: object
    body: bytes
    changed: list[str]  # labels of the watched states that differ after the request


@dataclass
class Persona:
    """A test client signed in as one membership (or anonymous) that can send many requests."""

    name: str
    client: Client
    session: str | None = None
    cookies: dict = field(default_factory=dict)  # set again before every request
    counter: list[int] = field(default_factory=lambda: [0])
    # A bearer-token persona (an API client): no session, this header on every request, JSON bodies.
    headers: dict = field(default_factory=dict)

    @classmethod
    def with_token(cls, name: str, membership) -> "Persona":
        """An API client holding a live token of `membership` with every scope its role may give."""
        from api.models import scopes_for_role
        from api.services import api_token_create

        _token, secret = api_token_create(membership=membership, name=f"{name} sweep",
                                          scopes=scopes_for_role(membership.role))
        return cls(name=f"{name} token", client=Client(raise_request_exception=False),
                   headers={"Authorization": f"Bearer {secret}"})

    @classmethod
    def sign_in(cls, name: str, user=None, *, enforce_csrf_checks: bool = False) -> "Persona":
        """Signed in as `user`, past the code step when they have two-factor sign-in on."""
        client = Client(raise_request_exception=False, enforce_csrf_checks=enforce_csrf_checks)
        session = None
        if user is not None:
            client.force_login(user)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is not None:
                store = client.session
                store[DEVICE_ID_SESSION_KEY] = device.persistent_id
                store.save()
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
        return cls(name=name, client=client, session=session)

    def send(self, method: str, path: str, data: dict | None = None, *,
             watch: dict[str, Callable[[], str]] | None = None, headers: dict | None = None,
             session: dict | None = None) -> Sent:
        """One request, rolled back afterwards; `watch` names states to compare before and after.
        `session` is what an anonymous persona's session holds for this request (see `prepare`)."""
        watch = watch or {}
        self.counter[0] += 1
        with transaction.atomic():
            self.prepare(session)
            before = {label: read() for label, read in watch.items()}
            response = self._request(method, path, data or {}, {**self.headers, **(headers or {})})
            body = body_of(response)
            try:
                changed = [label for label, read in watch.items() if read() != before[label]]
            except DatabaseError as error:  # the view left the transaction unusable
                changed = [f"(could not compare: {error})"]
            transaction.set_rollback(True)
        return Sent(method, path, response, body, changed)

    def prepare(self, session: dict | None = None) -> None:
        """The persona's own cookies only, whatever the last request set or cleared. An anonymous
        persona given `session` data gets a new session holding it (call inside the transaction
        that is rolled back); a signed-in persona keeps its own."""
        self.client.cookies.clear()
        key = self.session
        if key is None and session:
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store.update(session)
            store.create()
            key = store.session_key
        if key:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = key
        for name, value in self.cookies.items():
            self.client.cookies[name] = value

    def _request(self, method: str, path: str, data: dict, headers: dict):
        if self.headers:  # an API client: its query is in `path`, its body is JSON
            body = json.dumps(data) if method in UNSAFE_METHODS else ""
            return self.client.generic(method, path, body, content_type="application/json", headers=headers)
        encoded = urlencode(data, doseq=True)
        if method in ("GET", "HEAD", "OPTIONS"):
            return self.client.generic(method, f"{path}?{encoded}" if encoded else path, headers=headers)
        return self.client.generic(method, path, encoded, content_type="application/x-www-form-urlencoded",
                                   headers=headers)
