"""Production settings: `check --deploy` clean, HSTS, the SSL redirect and the proxy header from the
environment, and emailed links that say https behind a TLS proxy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "kD8s-2vQ_pX7mN4rT9wZ1yB6cF3hJ5lA0eG8iK2oU7qS4tV9xR1nM6bW3zY5jH0d",
    "ALLOWED_HOSTS": "boundaries.example.org",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


# The browser journeys set DJANGO_ALLOW_ASYNC_UNSAFE for the test process; a deployment never does.
NOT_PASSED_ON = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                 "SECURE_PROXY_SSL_HEADER", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_PASSED_ON}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def setting(name: str, **env: str) -> subprocess.CompletedProcess:
    return run("-c", f"import boundaries.settings as s; print(repr(s.{name}))", **env)


def test_the_deploy_check_is_clean_with_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_names_a_switched_off_redirect():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_production_defaults_to_a_year_of_hsts_and_the_ssl_redirect():
    assert setting("SECURE_HSTS_SECONDS", **PRODUCTION).stdout.strip() == "31536000"
    assert setting("SECURE_SSL_REDIRECT", **PRODUCTION).stdout.strip() == "True"
    assert setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", **PRODUCTION).stdout.strip() == "True"


def test_hsts_shorter_than_a_year_stops_start_up_with_a_message():
    result = setting("SECURE_HSTS_SECONDS", **PRODUCTION, SECURE_HSTS_SECONDS="3600")
    assert "SECURE_HSTS_SECONDS must be at least 31536000 (a year), not 3600." in result.stderr


def test_the_proxy_header_comes_from_the_environment():
    assert setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION).stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    unset = {**PRODUCTION}
    del unset["SECURE_PROXY_SSL_HEADER"]
    assert setting("SECURE_PROXY_SSL_HEADER", **unset).stdout.strip() == "None"
    bad = setting("SECURE_PROXY_SSL_HEADER", **{**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"})
    assert "SECURE_PROXY_SSL_HEADER must be the header as Django sees it and the value that means https" in bad.stderr


# What the TLS proxy passes on: the public host name, and that the caller's connection was https.
BEHIND_PROXY = {"Host": "boundaries.example.org", "X-Forwarded-Proto": "https"}


def test_emailed_links_are_https_behind_a_tls_proxy(settings, client_for, admin):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["boundaries.example.org"]
    client = client_for(admin)
    client.post(reverse("accounts:staff_add"), {"full_name": "Nina New", "email": "nina@riverside.example",
                                                "role": "practitioner"}, headers=BEHIND_PROXY)
    client.post(reverse("password_reset"), {"email": "alex@riverside.example"}, headers=BEHIND_PROXY)
    welcome, reset = mail.outbox
    assert "https://boundaries.example.org/password/reset/" in welcome.body
    assert "https://boundaries.example.org/password/reset/" in reset.body
    assert "http://" not in welcome.body + reset.body


def test_an_invitation_link_is_https_behind_a_tls_proxy(settings, client_for, admin, outsider):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["boundaries.example.org"]
    client_for(admin).post(reverse("accounts:staff_add"), {
        "full_name": "Olive Outsider", "email": outsider.user.email, "role": "practitioner",
    }, headers=BEHIND_PROXY)
    (invitation,) = mail.outbox
    assert "https://boundaries.example.org/join/riverside/" in invitation.body


def test_without_the_proxy_setting_the_forwarded_header_is_not_believed(settings, client_for, admin):
    settings.ALLOWED_HOSTS = ["boundaries.example.org"]
    client_for(admin).post(reverse("accounts:staff_add"), {"full_name": "Nina New", "email": "nina@riverside.example",
                                                           "role": "practitioner"}, headers=BEHIND_PROXY)
    assert "http://boundaries.example.org/password/reset/" in mail.outbox[0].body
