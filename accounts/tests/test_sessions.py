"""Sessions end after 30 idle minutes and 12 hours in all, from the environment; the page is told when."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.middleware import SEEN_KEY, STARTED_KEY
from audit.models import AuditAction, AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def shift(client, **seconds_ago) -> None:
    """Pretend the session started, or was last used, that many seconds ago."""
    session = client.session
    now = int(time.time())
    if "started" in seconds_ago:
        session[STARTED_KEY] = now - seconds_ago["started"]
    if "seen" in seconds_ago:
        session[SEEN_KEY] = now - seconds_ago["seen"]
    session.save()


def test_thirty_idle_minutes_end_the_session(client_for, practitioner):
    client = client_for(practitioner)
    shift(client, seen=30 * 60)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "You were signed out after 30 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditAction.SIGN_OUT)
    assert event.actor == practitioner.user and event.data == {"reason": "idle"}


def test_a_request_within_the_half_hour_keeps_it_going(client_for, practitioner):
    client = client_for(practitioner)
    shift(client, seen=29 * 60)
    assert client.get(reverse("home")).status_code == 200
    assert int(time.time()) - client.session[SEEN_KEY] < 5, "the activity was written"


def test_activity_is_written_at_most_once_a_minute(client_for, practitioner):
    client = client_for(practitioner)
    shift(client, seen=30)
    before = client.session[SEEN_KEY]
    client.get(reverse("home"))
    assert client.session[SEEN_KEY] == before


def test_twelve_hours_end_the_session_however_busy(client_for, practitioner):
    client = client_for(practitioner)
    shift(client, started=12 * 3600, seen=10)
    response = client.get(reverse("home"), follow=True)
    assert "because you had been signed in for 12 hours" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action=AuditAction.SIGN_OUT).data == {"reason": "limit"}


def test_the_limits_follow_the_settings(client_for, practitioner, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60
    client = client_for(practitioner)
    shift(client, seen=6 * 60)
    response = client.get(reverse("home"), follow=True)
    assert "after 5 minutes without activity" in response.content.decode()


def test_the_status_check_says_what_is_left_and_does_not_count_as_activity(client_for, practitioner):
    client = client_for(practitioner)
    shift(client, seen=10 * 60)
    seen = client.session[SEEN_KEY]
    status = client.get(reverse("session_status")).json()
    assert status["signed_in"] and status["ends"] == "idle"
    assert 20 * 60 - 5 <= status["seconds_left"] <= 20 * 60
    assert client.session[SEEN_KEY] == seen


def test_staying_signed_in_restarts_the_idle_clock(client_for, practitioner):
    client = client_for(practitioner)
    shift(client, seen=29 * 60 + 10)
    status = client.post(reverse("session_keepalive")).json()
    assert status["signed_in"] and 30 * 60 - 5 <= status["seconds_left"] <= 30 * 60
    assert client.get(reverse("home")).status_code == 200


def test_near_the_twelve_hours_the_status_says_the_limit_is_what_ends_it(client_for, practitioner):
    client = client_for(practitioner)
    shift(client, started=12 * 3600 - 50)
    status = client.get(reverse("session_status")).json()
    assert status["ends"] == "limit" and status["seconds_left"] <= 50


def test_an_ended_session_reports_so_to_the_page(client_for, client, practitioner):
    assert client.get(reverse("session_status")).json() == {"signed_in": False}
    signed_in = client_for(practitioner)
    shift(signed_in, seen=31 * 60)
    assert signed_in.get(reverse("session_status")).json() == {"signed_in": False}


def test_every_page_carries_the_warning_settings_and_no_inline_script(client_for, practitioner):
    body = client_for(practitioner).get(reverse("home")).content.decode()
    seconds_left = int(re.search(r'data-seconds-left="(\d+)"', body).group(1))
    assert 30 * 60 - 5 <= seconds_left <= 30 * 60
    assert 'data-warning-seconds="60"' in body
    assert 'src="/static/accounts/js/session_timeout.js"' in body
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == [], "every script is a static file"
    assert not re.search(r"\son[a-z]+=", body)


def test_the_sign_in_page_has_no_warning(client, db):
    assert "session-timeout" not in client.get(reverse("login")).content.decode()


def _settings_in_a_fresh_process(**env) -> subprocess.CompletedProcess:
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.SESSION_IDLE_SECONDS, settings.SESSION_MAX_SECONDS, settings.SESSION_COOKIE_AGE, "
            "settings.AXES_FAILURE_LIMIT, int(settings.AXES_COOLOFF_TIME.total_seconds()))")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "boundaries.settings", "DEBUG": "true", **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_the_limits_come_from_the_environment():
    result = _settings_in_a_fresh_process(SESSION_IDLE_MINUTES="20", SESSION_MAX_HOURS="8",
                                          SIGN_IN_FAILURE_LIMIT="7", SIGN_IN_LOCKOUT_MINUTES="30")
    assert result.stdout.split() == ["1200", "28800", "1260", "7", "1800"]
    defaults = _settings_in_a_fresh_process()
    assert defaults.stdout.split() == ["1800", "43200", "1860", "5", "900"], "not 14 days any more"


@pytest.mark.parametrize("name, value, message", [
    ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES must be 1 or more, not 0."),
    ("SESSION_MAX_HOURS", "twelve", "SESSION_MAX_HOURS must be a whole number, not 'twelve'."),
    ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT must be 0 or more, not -1."),
])
def test_a_bad_value_stops_start_up_with_a_clear_message(name, value, message):
    result = _settings_in_a_fresh_process(**{name: value})
    assert result.returncode != 0
    assert message in result.stderr
