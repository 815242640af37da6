"""A small HTTP client for the bench: one keep-alive connection, its cookies, the forms on a page.

The standard library is enough here (http.client and html.parser); it signs in the way a browser
does, through the password page and, for those who have an authenticator, the code page.
"""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from .common import PASSWORD


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # hidden and pre-filled values
    inputs: list[tuple[str, str, str, bool]] = field(default_factory=list)  # (name, type, value, checked)


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.links, self._form, self._textarea = page, [], [], None, None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "form":
            self._form = Form(urljoin(self.page, attributes.get("action") or self.page),
                              (attributes.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attributes.get("name")
            if not name:
                return
            kind = attributes.get("type", tag).lower()
            value = attributes.get("value") or ""
            checked = "checked" in attributes
            self._form.inputs.append((name, kind, value, checked))
            if kind in ("hidden",) or (kind in ("radio", "checkbox") and checked):
                self._form.fields[name] = value
            elif kind in ("text", "date", "datetime-local", "email", "number") and value:
                self._form.fields[name] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def forms(page: str, html: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


def links(html: str) -> list[str]:
    parser = _FormParser("/")
    parser.feed(html)
    return parser.links


class Browser:
    """One person's browser: a keep-alive connection to one server, and its cookies."""

    def __init__(self, host: str, port: int, timeout: float = 60):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def _send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Response:
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self._connection.request(method, path, body=body, headers=headers)
                raw = self._connection.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()  # the server closed a kept-alive connection: open a new one, once
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - started
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    pair = value.split(";", 1)[0]
                    key, _, cookie = pair.partition("=")
                    if cookie and "max-age=0" not in value.lower():
                        self.cookies[key.strip()] = cookie.strip()
                    else:
                        self.cookies.pop(key.strip(), None)
            headers_out = {name.lower(): value for name, value in raw.getheaders()}
            return Response(raw.status, headers_out, data.decode("utf-8", "replace"), seconds)
        raise AssertionError("unreachable")

    def request(self, method: str, path: str, data: dict | list | None = None,
                headers: dict[str, str] | None = None) -> Response:
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
        return self._send(method, path, body, sent)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | list, **kwargs) -> Response:
        return self.request("POST", path, data, **kwargs)

    def follow(self, response: Response, limit: int = 5) -> Response:
        while response.status in (301, 302, 303) and limit:
            response, limit = self.get(urlsplit(response.location).path + (
                "?" + urlsplit(response.location).query if urlsplit(response.location).query else "")), limit - 1
        return response

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @property
    def session_cookie(self) -> str:
        return "; ".join(f"{key}={value}" for key, value in self.cookies.items())


def form_with(html: str, page: str, action_part: str) -> Form | None:
    return next((form for form in forms(page, html) if action_part in form.action), None)


class SignInRefused(RuntimeError):
    pass


def sign_in(browser: Browser, address: str, code=None, refused=None) -> Response:
    """Sign in through the pages; `code(address)` gives a fresh authenticator code when one is asked for.
    A refused code is typed again once, with the next code, as a person would; `refused()` is told.
    Returns the page signed in (after redirects)."""
    page = browser.get("/sign-in/")
    form = form_with(page.body, "/sign-in/", "/sign-in/")
    if form is None:
        raise SignInRefused(f"no sign-in form ({page.status})")
    answer = browser.post("/sign-in/", {**form.fields, "username": address, "password": PASSWORD})
    if answer.status != 302:
        raise SignInRefused(f"{address}: the password step answered {answer.status}")
    if urlsplit(answer.location).path.rstrip("/").endswith("sign-in/code"):
        if code is None:
            raise SignInRefused(f"{address} needs a code and none was given")
        page = browser.get("/sign-in/code/")
        form = form_with(page.body, "/sign-in/code/", "/sign-in/code/")
        answer = browser.post("/sign-in/code/", {**(form.fields if form else {}), "code": code(address)})
        if answer.status == 400 and refused is not None:
            refused()
            time.sleep(2)  # django-otp makes a device wait a moment after a wrong code
            form = form_with(answer.body, "/sign-in/code/", "/sign-in/code/")
            answer = browser.post("/sign-in/code/", {**(form.fields if form else {}), "code": code(address)})
        if answer.status != 302:
            raise SignInRefused(f"{address}: the code step answered {answer.status}")
    return browser.follow(answer)


# A list's link to its next page: rel="next", or the words a pager uses for it.
NEXT_LINK = re.compile(r'<a(?=[^>]*\brel="next")[^>]*\bhref="([^"]+)"|'
                       r'<a[^>]+href="([^"]+)"[^>]*>\s*(?:<[^>]+>\s*)*(?:Next|Older|Earlier|More)\b', re.IGNORECASE)


def next_link(html: str) -> str | None:
    match = NEXT_LINK.search(html)
    return (match.group(1) or match.group(2)).replace("&amp;", "&") if match else None
PAGE_OF = re.compile(r"Page\s+([\d,]+)\s+of\s+([\d,]+)")
