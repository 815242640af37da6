"""Brute force: django-axes locks an (email, client address) pair after 5 failures for 15 minutes."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD

WRONG = "That email and password don&#x27;t match an active account."
LOCKED = "Signing in is paused for this email."


def sign_in(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def fail(client, email, times, **extra):
    return [sign_in(client, email, f"wrong-password-{n}", **extra) for n in range(times)]


def same_page(body: str, email: str) -> str:
    """The page with the typed email and the per-request CSRF token taken out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.replace(email, "EMAIL"))


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_pair_and_then_the_right_one_is_refused(client, practitioner):
    responses = fail(client, "pat@riverside.example", 5)
    assert all(WRONG in r.content.decode() for r in responses[:4])
    assert responses[4].status_code == 429 and LOCKED in responses[4].content.decode()
    response = sign_in(client, "pat@riverside.example", PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429
    assert "from your network for 15 minutes" in body
    assert 'value="pat@riverside.example"' in body, "the typed email is kept"
    assert not signed_in(client)


def test_thirty_attempts_are_not_all_processed(client, practitioner):
    responses = fail(client, "pat@riverside.example", 30)
    assert sum(r.status_code == 429 for r in responses) == 26
    # Attempts during the lockout neither extend it nor add to the row.
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_an_unknown_email_gets_the_same_lockout_page(practitioner):
    known = fail(Client(), "pat@riverside.example", 6)[-1].content.decode()
    unknown = fail(Client(REMOTE_ADDR="10.0.0.2"), "nobody@riverside.example", 6)[-1].content.decode()
    assert LOCKED in known and LOCKED in unknown
    assert same_page(known, "pat@riverside.example") == same_page(unknown, "nobody@riverside.example")


def test_the_lock_is_for_the_pair_so_another_address_still_signs_in(practitioner):
    fail(Client(REMOTE_ADDR="10.0.0.1"), "pat@riverside.example", 5)
    elsewhere = Client(REMOTE_ADDR="10.0.0.9")
    assert sign_in(elsewhere, "pat@riverside.example", PASSWORD).status_code == 302
    assert signed_in(elsewhere)


def test_capitals_and_spaces_in_the_email_count_as_the_same_account(client, practitioner):
    for email in ["PAT@riverside.example", " pat@riverside.example", "Pat@Riverside.example",
                  "pat@riverside.example", "pAt@riverside.example"]:
        sign_in(client, email, "wrong-password")
    assert sign_in(client, "pat@riverside.example", PASSWORD).status_code == 429


def test_a_forged_x_forwarded_for_does_not_escape_the_lockout(client, practitioner):
    """With no trusted proxy (the default) the header is ignored: a new forged address per try doesn't help."""
    for n in range(5):
        sign_in(client, "pat@riverside.example", "wrong-password", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = sign_in(client, "pat@riverside.example", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_behind_one_trusted_proxy_the_forwarded_client_is_the_one_locked(settings, practitioner):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")  # every request arrives from the proxy
    fail(proxy, "pat@riverside.example", 5, HTTP_X_FORWARDED_FOR="198.51.100.7")
    # The attacker's own forged entry sits left of what the proxy appended, so it changes nothing.
    forged = sign_in(proxy, "pat@riverside.example", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert forged.status_code == 429
    colleague = sign_in(proxy, "pat@riverside.example", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert colleague.status_code == 302, "someone else behind the same proxy is not locked out"


def test_the_lockout_ends_after_fifteen_minutes(client, practitioner):
    fail(client, "pat@riverside.example", 5)
    assert sign_in(client, "pat@riverside.example", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=15, seconds=1))
    assert sign_in(client, "pat@riverside.example", PASSWORD).status_code == 302
    assert AccessAttempt.objects.count() == 0, "a successful sign-in clears the count"


def test_the_limits_come_from_settings(client, settings, practitioner):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=40)
    responses = fail(client, "pat@riverside.example", 2)
    assert responses[0].status_code == 200 and responses[1].status_code == 429
    assert "After 2 attempts that didn't match" in responses[1].content.decode()
    assert "for 40 minutes" in responses[1].content.decode()


def test_thirty_failures_put_one_failure_and_one_lockout_on_each_agency_trail(client, pat_at_both):
    fail(client, "pat@riverside.example", 30)
    for agency in ["riverside", "hilltop"]:
        actions = list(AuditEvent.objects.filter(agency__slug=agency).values_list("action", "data"))
        assert actions == [
            (AuditAction.SIGN_IN_FAILED, {}),
            (AuditAction.SIGN_IN_LOCKED, {"failure_limit": 5, "minutes": 15}),
        ]


def test_failures_for_an_unknown_email_touch_no_trail(client, practitioner):
    fail(client, "nobody@riverside.example", 30)
    assert AuditEvent.objects.count() == 0


def test_the_django_admin_login_is_our_sign_in_page(client, db):
    staff = get_user_model().objects.create_user("root@boundaries.example", PASSWORD, full_name="Root",
                                                 is_staff=True, is_superuser=True)
    # Posting a password to the admin's own login does nothing: it only redirects.
    for _ in range(10):
        response = client.post("/django-admin/login/?next=/django-admin/",
                               {"username": staff.email, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/django-admin/"
    assert not signed_in(client)
    fail(client, staff.email, 5)
    assert sign_in(client, staff.email, PASSWORD).status_code == 429, "the admin gets the same lockout"
    AccessAttempt.objects.all().delete()
    response = client.post("/sign-in/?next=/django-admin/", {"username": staff.email, "password": PASSWORD},
                           follow=True)
    assert response.redirect_chain[-1][0] == "/django-admin/"
    assert "Site administration" in response.content.decode()


@pytest.mark.parametrize("persona", ["practitioner", "supervisor"])
def test_thirty_refused_pages_put_one_event_on_the_trail(request, client_for, persona):
    membership = request.getfixturevalue(persona)
    client = client_for(membership)
    for _ in range(30):
        assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=membership.user).count() == 1


def test_another_person_refused_in_the_same_minute_still_gets_their_event(client_for, practitioner, supervisor):
    for membership in [practitioner, supervisor, practitioner]:
        client_for(membership).get(reverse("accounts:staff_list"))
    denied = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED)
    assert sorted(denied.values_list("actor__email", flat=True)) == ["pat@riverside.example",
                                                                     "sam@riverside.example"]


def test_a_colleague_in_another_agency_is_counted_apart(client, practitioner, outsider):
    fail(client, "pat@riverside.example", 3)
    fail(client, "olive@hilltop.example", 3)
    failed = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED)
    assert sorted(failed.values_list("agency__slug", flat=True)) == ["hilltop", "riverside"]
