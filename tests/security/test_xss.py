"""XSS, swept two ways, with a numbered script payload in every free-text field:

1. stored: every free-text column of agency A's rows (found from the models, not listed), of its
   people's two-factor devices and of the lockout's records about their emails holds a payload, and
   every page, as every role and by every method the page uses, is checked; and every page of the
   Django admin, as the operator's superuser (the only one who sees the lockout's records, which
   hold what anonymous callers typed);
2. typed: every free-text input and textarea of every form on every page is sent with a payload
   (with the form's own hidden fields and defaults), and the answer, and the page it leads to, checked.

A payload's `<script>` may never reach an HTML response as markup. Each payload is numbered, so
the figures say how many fields were seen on some page, escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import models, transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Agency, User
from tests.factories import UserFactory

from .registry import coverage, expected_cell
from .sweep import Persona, outcome, project_patterns
from .test_isolation import personas_of, record_figures
from .world import TENANT_APPS, World

# Rows about a person rather than an agency: their two-factor devices, and what django-axes keeps
# about failed sign-ins for their email.
DEVICE_MODELS = (TOTPDevice, StaticDevice)
LOCKOUT_MODELS = (AccessAttempt, AccessFailureLog, AccessLog)

# Written by the code, never typed by a person (a hash, a key, a path, a step's name).
MACHINE_WRITTEN = {
    "accounts.User.password", "accounts.Invitation.token_hash", "audit.AuditEvent.target_type",
    "audit.AuditEvent.target_id", "audit.AuditEvent.prev_hash", "audit.AuditEvent.hash", "audit.AuditEvent.key_id",
    "audit.AuditChainHead.hash", "boundaries.FormSubmission.key", "boundaries.FormSubmission.result_url",
    "scenarios.StepRecord.step_key", "policies.PolicyVersion.based_on", "otp_totp.TOTPDevice.key",
    "axes.AccessLog.session_hash", "notifications.ReminderSent.key", "notifications.CalendarFeed.token_hash",
    "api.ApiToken.hint", "api.ApiToken.secret_hash", "api.IdempotentResponse.path",
    "api.IdempotentResponse.body_hash",
}
RAW = re.compile(r"<script>x(\d+)</script>")
ESCAPED = re.compile(r"&lt;script&gt;x(\d+)&lt;/script&gt;")
TEXT_INPUTS = {"", "text", "search", "email", "url", "tel"}


def payload(number: int) -> str:
    return f"<script>x{number}</script>"  # 20 characters at most: it fits a client reference


def free_text_fields() -> list[models.Field]:
    found = []
    for model in [User, Agency, *_tenant_models(), *DEVICE_MODELS, *LOCKOUT_MODELS]:
        for f in model._meta.concrete_fields:
            label = f"{model._meta.label}.{f.name}"
            if (isinstance(f, (models.CharField, models.TextField)) and not isinstance(f, models.SlugField)
                    and not f.choices and label not in MACHINE_WRITTEN):
                found.append(f)
    return found


def _tenant_models():
    from .world import tenant_models

    return [model for model in tenant_models() if model._meta.app_label in TENANT_APPS]


def rows_of(model: type[models.Model], agency: Agency) -> list[int]:
    """The primary keys of the agency's rows of `model` (its people's, for a person's rows)."""
    people = User.objects.filter(memberships__agency=agency)
    if model is Agency:
        rows = Agency.objects.filter(pk=agency.pk)
    elif model is User:
        rows = people
    elif model in DEVICE_MODELS:
        rows = model.objects.filter(user__in=people)
    elif model in LOCKOUT_MODELS:
        rows = model.objects.filter(username__in=people.values("email"))
    else:
        rows = model._base_manager.filter(agency=agency)
    return list(rows.values_list("pk", flat=True).distinct())


def store_payloads(world: World) -> dict[int, str]:
    """Put a numbered payload into every free-text column of agency A's rows; number -> field."""
    agency = world.a.agency
    fields = free_text_fields()
    # Found before any is changed: the lockout's rows are found by the people's email addresses.
    rows = {model: rows_of(model, agency) for model in {f.model for f in fields}}
    numbered = {}
    for number, f in enumerate(fields, start=1):
        model = f.model
        for pk in rows[model]:
            # An address is unique, and must still look like one to the pages that link it.
            value = f"{payload(number)}{pk}@a.example" if isinstance(f, models.EmailField) else payload(number)
            model._base_manager.filter(pk=pk).update(**{f.name: value})
        numbered[number] = f"{model._meta.label}.{f.name}"
    _store_document_payloads(world, numbered)
    return numbered


# A policy's free text lives in its document: its title, each rule's reason, the exceptions, the
# procedures and the conduct notes. Every text of every kind gets one number.
DOCUMENT_TEXTS = {
    "title": lambda document: [(document, "title")],
    "connection_rules.rationale": lambda document: [(rule, "rationale") for rule in document["connection_rules"]],
    "exceptions": lambda document: [(document["exceptions"], key) for key in document["exceptions"]],
    "procedures": lambda document: [(document["procedures"], key) for key in document["procedures"]],
    "conduct.note": lambda document: [(item, "note") for item in document["conduct"].values()],
}


def _store_document_payloads(world: World, numbered: dict[int, str]) -> None:
    from policies.models import PolicyVersion

    first = max(numbered, default=0) + 1
    versions = list(PolicyVersion.objects.filter(agency=world.a.agency))
    for number, (label, places) in enumerate(DOCUMENT_TEXTS.items(), start=first):
        for version in versions:
            for holder, key in places(version.document):
                holder[key] = payload(number)
        numbered[number] = f"policies.PolicyVersion.document.{label}"
    for version in versions:
        PolicyVersion.objects.filter(pk=version.pk).update(document=version.document)


@dataclass
class Scan:
    pages: int = 0
    shown: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def check(self, where: str, response, body: bytes) -> None:
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        self.pages += 1
        text = body.decode("utf-8", errors="replace")
        self.problems += [f"{where}: payload {n} is markup on the page" for n in sorted(set(RAW.findall(text)))]
        self.shown |= {int(n) for n in ESCAPED.findall(text)}


def test_stored_payloads_are_escaped_on_every_page(world):
    numbered = store_payloads(world)
    found = coverage(project_patterns())
    scan = Scan()
    for persona in personas_of(world):
        for pattern, target in found.targets.items():
            if expected_cell(pattern, persona.name, found.matrix) != "allow":
                continue
            path = pattern.path(target.kwargs(world.a))
            for method in target.methods:
                sent = persona.send(method, path, target.data(world.a), session=target.session(world.a))
                scan.check(f"{method} {path} as {persona.name}", sent.response, sent.body)
    operator_pages = scan_the_django_admin(world, found, scan)
    assert scan.problems == [], "\n".join(scan.problems)
    shown = sorted(numbered[n] for n in scan.shown)
    # The people, the policy and the request the pages are about are shown, escaped; and in the
    # Django admin, what callers typed at the sign-in page and the two-factor devices' names.
    for label in ("accounts.User.full_name", "accounts.Agency.name", "policies.PolicyVersion.document.title",
                  "scenarios.ContactRequest.client_reference", "scenarios.ContactRequest.context",
                  "scenarios.StepRecord.text", "policies.PolicyVersion.document.connection_rules.rationale",
                  "policies.PolicyVersion.document.conduct.note", "axes.AccessAttempt.username",
                  "axes.AccessAttempt.user_agent", "axes.AccessAttempt.post_data", "axes.AccessFailureLog.user_agent",
                  "axes.AccessLog.user_agent", "otp_totp.TOTPDevice.name", "otp_static.StaticDevice.name"):
        assert label in shown, f"{label} was on no page: {shown}"
    record_figures("xss_stored", fields=len(numbered), fields_shown=len(shown), pages=scan.pages,
                   admin_pages=operator_pages)


def scan_the_django_admin(world: World, found, scan: Scan) -> int:
    """Every page of the Django admin, on agency A's objects, as a superuser; returns the pages seen."""
    operator = UserFactory(full_name="Otto Operator", email="otto@operator.example", is_staff=True,
                           is_superuser=True)
    persona = Persona.sign_in("operator", operator)
    before = scan.pages
    for pattern, target in found.targets.items():
        if not pattern.route.startswith("django-admin/"):
            continue
        path = pattern.path(target.kwargs(world.a))
        sent = persona.send("GET", path)
        if sent.response.status_code >= 500:
            scan.problems.append(f"GET {path} as the operator failed with {sent.response.status_code}")
        scan.check(f"GET {path} as the operator", sent.response, sent.body)
    return scan.pages - before


class Forms(HTMLParser):
    """The forms of a page: action, method, and the fields a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").upper(),
                          "fields": {}, "free": []}
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        fields, name = self._form["fields"], a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "").lower()
            if kind in TEXT_INPUTS:
                self._form["free"].append(name)
            elif kind in ("radio", "checkbox"):
                if "checked" in a or (kind == "radio" and name not in fields):
                    fields[name] = a.get("value", "on")
                return
            elif kind in ("submit", "button", "file", "password"):
                return
            fields.setdefault(name, a.get("value", ""))
        elif tag == "textarea" and name:
            self._form["free"].append(name)
            self._textarea = name
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and (self._select not in fields or "selected" in a):
            fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(body: bytes) -> list[dict]:
    parser = Forms()
    parser.feed(body.decode("utf-8", errors="replace"))
    return [form for form in parser.forms if form["free"]]


def submit(persona: Persona, page: str, form: dict, first: int, scan: Scan, session: dict | None = None) -> int:
    """Send the form with a payload in each free-text field, and check the answer and where it leads."""
    data = dict(form["fields"])
    for offset, name in enumerate(form["free"]):
        data[name] = payload(first + offset)
    action = form["action"] or page
    where = f"{form['method']} {action} (form on {page}) as {persona.name}"
    with transaction.atomic():
        persona.prepare(session)
        client = persona.client
        response = (client.post(action, data) if form["method"] == "POST" else client.get(action, data))
        scan.check(where, response, response.content)
        if outcome(response) == "allow" and response.status_code in (301, 302, 303):
            location = urlsplit(response["Location"])
            landed = client.get(location.path + (f"?{location.query}" if location.query else ""))
            scan.check(f"{where}, then {location.path}", landed, landed.content)
        transaction.set_rollback(True)
    return first + len(form["free"])


def test_typed_payloads_are_escaped_in_every_answer(world):
    found = coverage(project_patterns())
    scan, number, sent_forms, fields = Scan(), 1, set(), 0
    for persona in personas_of(world):
        for pattern, target in found.targets.items():
            if expected_cell(pattern, persona.name, found.matrix) != "allow" or "GET" not in target.methods:
                continue
            path, session = pattern.path(target.kwargs(world.a)), target.session(world.a)
            page = persona.send("GET", path, target.data(world.a), session=session)
            for form in forms_of(page.body):
                key = (persona.name, form["method"], form["action"] or path, tuple(form["free"]))
                if key in sent_forms:
                    continue
                sent_forms.add(key)
                fields += len(form["free"])
                number = submit(persona, path, form, number, scan, session)
    assert scan.problems == [], "\n".join(scan.problems)
    assert len(sent_forms) >= 10 and fields >= 30, (sent_forms, fields)
    record_figures("xss_typed", forms=len(sent_forms), fields=fields, pages=scan.pages)
