"""Fifty people at once, headless: practitioners log requests and walk through them, supervisors
review, admins export. Then the audit trail must hold exactly the events those actions write.

A thread per person, each with its own keep-alive connection and cookies (bench/http.py), pausing
0 to 1 second between pages as a person reading would. Locust would do the same job, but it would
bring gevent, Flask and a dozen more packages into the app's pinned requirements for one headless
run; the standard library does it here in a page of code, and it drives the real forms (CSRF
tokens, one-time tokens, the walk-through's autosave) the way a browser does.
"""

from __future__ import annotations

import collections
import datetime as dt
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field

from .common import BIG
from .data import email
from .http import Browser, SignInRefused, form_with, sign_in

# Mix of the fifty: (role, how many).
MIX = (("practitioner", 35), ("supervisor", 10), ("admin", 5))
# The events each action writes on the agency's chain (audit/signals.py, scenarios/services.py, audit/exports.py).
EVENTS = {
    "sign_in": {"auth.sign_in": 1},
    "sign_in_code": {"auth.sign_in": 1, "auth.2fa_used": 1},
    "log": {"request.logged": 1, "guidance.shown": 1},
    "view": {"request.viewed": 1},
    "choose": {"option.chosen": 1},
    "step": {"step.documented": 1},
    "review": {"review.decided": 1},
    "export": {"audit.exported": 1},
    # A code refused (on a busy server a code can be a step too old by the time it is checked): the app
    # records the failure, at most once a minute per person (audit/signals.py); nobody here retries.
    "code_refused": {"auth.sign_in_failed": 1},
}
REQUEST_LINK = re.compile(r'href="/requests/(\d+)/"')


@dataclass
class Tally:
    """Everything the fifty did, shared between their threads."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    actions: collections.Counter = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, label: str, response, expected: tuple[int, ...] = (200,)) -> bool:
        with self.lock:
            self.latencies.append(response.seconds)
            if response.status not in expected:
                self.errors.append(f"{label}: {response.status}")
                return False
        return True

    def did(self, action: str) -> None:
        with self.lock:
            self.actions[action] += 1

    def failed(self, label: str, error: Exception) -> None:
        with self.lock:
            self.errors.append(f"{label}: {type(error).__name__}: {error}")


class Person(threading.Thread):
    def __init__(self, role: str, number: int, port: int, deadline: float, tally: Tally, code, seed: int,
                 delay: float = 0.0):
        super().__init__(daemon=True)
        self.delay, self.refusals = delay, 0
        self.role, self.number, self.deadline, self.tally, self.code = role, number, deadline, tally, code
        self.address = email(BIG, role, number)
        self.browser = Browser("127.0.0.1", port, timeout=180)
        self.random = random.Random(seed)

    def run(self) -> None:
        time.sleep(self.delay)  # people arrive over the ramp, not all in the same second
        try:
            page = sign_in(self.browser, self.address, code=self.code, refused=self.code_refused)
            self.tally.did("sign_in_code" if self.role != "practitioner" else "sign_in")
            self.tally.page("sign in", page)
        except (SignInRefused, OSError) as error:
            if isinstance(error, SignInRefused) and "code step" in str(error):
                self.code_refused()
            self.tally.failed(f"{self.role} sign-in", error)
            return
        turn = 0
        while time.monotonic() < self.deadline:
            try:
                getattr(self, self.role)(turn)
            except OSError as error:
                self.tally.failed(self.role, error)
            turn += 1
        self.browser.close()

    def code_refused(self) -> None:
        """A refused code is an error a person sees, and an event on the trail (at most one a minute)."""
        if not self.refusals:
            self.tally.did("code_refused")
        self.refusals += 1
        with self.tally.lock:
            self.tally.errors.append(f"{self.role} {self.number}: a code was refused at sign-in")

    def pause(self) -> None:
        time.sleep(self.random.random())

    # --- practitioners: log a request, choose the recommended option, document a step ----------------

    def practitioner(self, turn: int) -> None:
        form_page = self.browser.get("/requests/new/")
        if not self.tally.page("log form", form_page):
            return
        form = form_with(form_page.body, "/requests/new/", "/requests/new/")
        now = dt.datetime.now() - dt.timedelta(days=1)  # only if the form had no time of its own
        answers = {**form.fields, "kind": "friend_request", "medium": "facebook", "relationship": "client_family",
                   "client_status": "current", "client_reference": f"LD-{self.number}-{turn}", "context": "",
                   "received_at": form.fields.get("received_at") or now.strftime("%Y-%m-%dT%H:%M")}
        self.pause()
        logged = self.browser.post("/requests/new/", answers)
        if not self.tally.page("log", logged, (302,)):
            return
        self.tally.did("log")
        detail_path = logged.location
        detail = self.browser.get(detail_path)
        if self.tally.page("guidance page", detail):
            self.tally.did("view")
        choose = form_with(detail.body, detail_path, "/choose/")
        if choose is None or "option" not in choose.fields:
            return
        self.pause()
        chosen = self.browser.post(choose.action, choose.fields)
        if not self.tally.page("choose", chosen, (302,)):
            return
        self.tally.did("choose")
        detail = self.browser.get(detail_path)
        if self.tally.page("guidance page", detail):
            self.tally.did("view")
        phase = form_with(detail.body, detail_path, "/phases/")
        if phase is None:
            return  # waiting for a supervisor's approval: nothing to document yet
        step = next(((name, kind) for name, kind, value, checked in phase.inputs
                     if name.endswith("-value") and not (checked if kind == "checkbox" else value)), None)
        if step is None:
            return
        name, kind = step
        key = name[: -len("-value")]
        # The day it arrived, in the agency's own time: the log form showed it, and no step may be later.
        value = {"checkbox": "on", "date": answers["received_at"][:10]}.get(kind, "Talked it through at supervision.")
        self.pause()
        saved = self.browser.post(f"/requests/{detail_path.strip('/').split('/')[-1]}/steps/{key}/",
                                  {"csrfmiddlewaretoken": phase.fields.get("csrfmiddlewaretoken", ""),
                                   f"{key}-revision": phase.fields.get(f"{key}-revision", "0"), name: value},
                                  headers={"HX-Request": "true"})
        if self.tally.page("step", saved):
            self.tally.did("step")
        self.pause()
        self.tally.page("my requests", self.browser.get("/requests/"))

    # --- supervisors: the review list, a request waiting for them, their decision ----------------------

    def supervisor(self, turn: int) -> None:
        listing = self.browser.get("/review/?needs_decision=on")
        if not self.tally.page("review list", listing):
            return
        # Each supervisor takes its own share of what waits, so two never decide the same request.
        mine = [int(pk) for pk in REQUEST_LINK.findall(listing.body) if int(pk) % 10 == self.number % 10]
        if turn % 3 == 2:
            self.pause()
            self.tally.page("dashboard", self.browser.get("/dashboard/"))
        if not mine:
            self.pause()
            return
        path = f"/requests/{mine[0]}/"
        self.pause()
        detail = self.browser.get(path)
        if not self.tally.page("request (supervisor)", detail):
            return
        self.tally.did("view")
        review = form_with(detail.body, path, "/review/")
        if review is None:
            return
        self.pause()
        decided = self.browser.post(f"/review/{mine[0]}/", {**review.fields, "decision": "approved", "note": ""})
        if self.tally.page("review", decided, (302,)):
            self.tally.did("review")

    # --- admins: the audit page, and today's entries exported ------------------------------------------

    def admin(self, turn: int) -> None:
        listing = self.browser.get("/audit/")
        if not self.tally.page("audit page", listing):
            return
        export = form_with(listing.body, "/audit/", "/audit/export/csv/")
        if export is not None and turn % 2 == 0:
            self.pause()
            # Since yesterday (UTC), so today in any agency's zone is in it.
            since = (dt.date.today() - dt.timedelta(days=1)).isoformat()
            download = self.browser.post("/audit/export/csv/", {**export.fields, "since": since})
            if self.tally.page("export", download):
                self.tally.did("export")
        self.pause()
        self.tally.page("home (admin)", self.browser.get("/"))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(port: int, seconds: float, code, ramp: float = 10.0) -> dict:
    """Start the fifty over `ramp` seconds, let them work until `seconds` after the last has arrived,
    wait for each to finish what it is doing, and say what happened."""
    tally = Tally()
    started = time.monotonic()
    deadline = started + ramp + seconds
    people = []
    for role, count in MIX:
        # Not the people the page measurements signed in as: number 0 (and admin 1) stay out of it.
        first = 2 if role == "admin" else 1
        people += [Person(role, first + n, port, deadline, tally, code, seed=n * 7919 + len(role))
                   for n in range(count)]
    order = random.Random(2026).sample(range(len(people)), len(people))
    for position, person in zip(order, people):
        person.delay = ramp * position / len(people)
        person.start()
    for person in people:
        person.join(timeout=ramp + seconds + 300)
    elapsed = time.monotonic() - started
    expected = collections.Counter()
    for action, count in tally.actions.items():
        for event, each in EVENTS[action].items():
            expected[event] += each * count
    return {
        "users": len(people), "seconds": elapsed, "requests": len(tally.latencies),
        "throughput": len(tally.latencies) / elapsed if elapsed else 0.0,
        "p50_ms": percentile(tally.latencies, 0.50) * 1000, "p95_ms": percentile(tally.latencies, 0.95) * 1000,
        "p99_ms": percentile(tally.latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(tally.latencies) * 1000 if tally.latencies else 0.0,
        "errors": len(tally.errors), "error_samples": tally.errors[:10], "actions": dict(tally.actions),
        "expected_events": dict(expected),
    }
