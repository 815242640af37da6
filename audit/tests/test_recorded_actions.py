"""Each user action puts exactly one event on the trail, with codes only: no free text or secrets."""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD


@pytest.fixture
def new_events():
    """Call with a user action; get back the actions it recorded, in order."""

    def run(action) -> list[str]:
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        action()
        return list(AuditEvent.objects.filter(pk__gt=last).order_by("pk").values_list("action", flat=True))

    return run


def test_sign_in_success_failure_and_sign_out(new_events, practitioner):
    client = Client()
    sign_in = {"username": "pat@riverside.example", "password": PASSWORD}
    assert new_events(lambda: client.post(reverse("login"), sign_in)) == [AuditAction.SIGN_IN]
    assert new_events(lambda: client.post(reverse("logout"))) == [AuditAction.SIGN_OUT]
    wrong = {**sign_in, "password": "Not-my-password-1"}
    assert new_events(lambda: client.post(reverse("login"), wrong)) == [AuditAction.SIGN_IN_FAILED]
    unknown = {"username": "nobody@riverside.example", "password": "x"}
    assert new_events(lambda: client.post(reverse("login"), unknown)) == [], "no agency to record it for"


def test_staff_added_role_changed_deactivated_reactivated(new_events, client_for, admin, practitioner):
    client = client_for(admin)
    add = {"full_name": "Nina New", "email": "nina@riverside.example", "role": Role.PRACTITIONER}
    assert new_events(lambda: client.post(reverse("accounts:staff_add"), add)) == [AuditAction.STAFF_ADDED]
    role = reverse("accounts:staff_role", args=[practitioner.pk])
    assert new_events(lambda: client.post(role, {"role": Role.SUPERVISOR})) == [AuditAction.ROLE_CHANGED]
    assert new_events(lambda: client.post(role, {"role": Role.SUPERVISOR})) == [], "nothing changed"
    deactivate = reverse("accounts:staff_deactivate", args=[practitioner.pk])
    assert new_events(lambda: client.get(deactivate)) == [], "the confirmation page changes nothing"
    assert new_events(lambda: client.post(deactivate)) == [AuditAction.STAFF_DEACTIVATED]
    reactivate = reverse("accounts:staff_reactivate", args=[practitioner.pk])
    assert new_events(lambda: client.post(reactivate)) == [AuditAction.STAFF_REACTIVATED]


def test_access_denied_and_password_changed(new_events, client_for, practitioner):
    client = client_for(practitioner)
    assert new_events(lambda: client.get(reverse("audit:event_list"))) == [AuditAction.ACCESS_DENIED]
    assert new_events(lambda: client.get(reverse("accounts:staff_list"))) == [], "one refusal a minute"
    change = {"old_password": PASSWORD, "new_password1": "Fresh-secret-2026", "new_password2": "Fresh-secret-2026"}
    assert new_events(lambda: client.post(reverse("password_change"), change)) == [AuditAction.PASSWORD_CHANGED]


def test_exports_from_the_page_and_the_command(new_events, client_for, admin):
    client = client_for(admin)

    def download() -> None:
        b"".join(client.post(reverse("audit:export", args=["csv"])).streaming_content)

    def command() -> None:
        call_command("audit_export", "--agency", "riverside", "--format", "jsonl", stdout=io.StringIO())

    assert new_events(download) == [AuditAction.AUDIT_EXPORTED]
    assert new_events(command) == [AuditAction.AUDIT_EXPORTED]
    assert new_events(lambda: client.get(reverse("audit:event_list"))) == [], "browsing is not recorded"


def test_no_event_holds_names_emails_passwords_or_free_text(client_for, admin, practitioner):
    client = client_for(admin)
    client.post(reverse("accounts:staff_add"),
                {"full_name": "Nina New", "email": "nina@riverside.example", "role": Role.PRACTITIONER})
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Fresh-secret-2026",
                                             "new_password2": "Fresh-secret-2026"})
    Client().post(reverse("login"), {"username": "pat@riverside.example", "password": "Typed-by-mistake-9"})
    stored = json.dumps(list(AuditEvent.objects.values("target_type", "target_id", "data")))
    for secret in ("Nina", "nina@", "riverside.example", "Fresh-secret", "Typed-by-mistake", PASSWORD, "Pat"):
        assert secret not in stored
