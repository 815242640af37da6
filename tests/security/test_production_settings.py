"""Production settings: `check --deploy` clean, HSTS, the SSL redirect and the proxy header from the
environment, and emailed links that say https behind a TLS proxy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
# What production needs at the least; start-up or the deploy check fails without any one of them.
REQUIRED = {
    "SECRET_KEY": "kD8s-2vQ_pX7mN4rT9wZ1yB6cF3hJ5lA0eG8iK2oU7qS4tV9xR1nM6bW3zY5jH0d",
    "ALLOWED_HOSTS": "boundaries.example.org",
    "AUDIT_KEYS": "2026a:Qm7vX2pL9sT4wZ8kR1nB6cF3hJ5yA0eG8iK2oU7qS4tV",
}
PRODUCTION = {"DEBUG": "false", **REQUIRED, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"}
# Every variable settings.py reads, each set as a real deployment would set it.
FULL_PRODUCTION = {
    **PRODUCTION,
    "DATABASE_URL": "postgres://boundaries_app@db.internal:5432/boundaries",
    "CONN_MAX_AGE": "60",
    "CONN_HEALTH_CHECKS": "true",
    "DATABASE_PLAN_ONCE": "true",
    "DATABASE_REPLICA_URL": "postgres://boundaries_app@db-replica.internal:5432/boundaries",
    "DATABASE_RUNTIME_ROLE": "boundaries_app",
    "CSRF_TRUSTED_ORIGINS": "https://boundaries.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_FILE_PATH": "/var/lib/boundaries/sent_mail",
    "DEFAULT_FROM_EMAIL": "Boundaries <no-reply@boundaries.example.org>",
    "SITE_URL": "https://boundaries.example.org",
    "STATIC_MANIFEST": "true",
    "TIME_ZONE": "America/Chicago",
    "LOG_LEVEL": "INFO",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "63072000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "REQUEST_BODY_MAX_BYTES": "2097152",
    "TRUSTED_PROXY_COUNT": "1",
    "SIGN_IN_FAILURE_LIMIT": "5",
    "API_RATE": "120/min",
    # One host's workers share it; several hosts use redis://, which needs the redis package (docs/scaling.md).
    "CACHE_URL": "file:///var/cache/boundaries",
    "API_AUTH_FAILURE_LIMIT": "20",
    "API_AUTH_FAILURE_MINUTES": "15",
    "SIGN_IN_LOCKOUT_MINUTES": "15",
    "PASSWORD_RESET_PER_ADDRESS": "3",
    "PASSWORD_RESET_PER_IP": "10",
    "SESSION_IDLE_MINUTES": "20",
    "SESSION_MAX_HOURS": "10",
}
SETTINGS_FILE = ROOT / "boundaries" / "settings.py"
README = ROOT / "README.md"


def settings_variables() -> set[str]:
    """The environment variables settings.py reads (through its env helpers or os.environ)."""
    source = SETTINGS_FILE.read_text()
    # dj_database_url reads DATABASE_URL itself.
    return set(re.findall(r'(?:env\w*\(|environ\.get\()\s*"([A-Z][A-Z0-9_]+)"', source)) | {"DATABASE_URL"}


# Nothing of the test process's own environment reaches the "deployment", only what a test passes.
# (The browser journeys set DJANGO_ALLOW_ASYNC_UNSAFE for the test process; a deployment never does.)
NOT_PASSED_ON = ("DJANGO_ALLOW_ASYNC_UNSAFE", "AUDIT_KEY")


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    unwanted = set(NOT_PASSED_ON) | settings_variables()
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def setting(name: str, **env: str) -> subprocess.CompletedProcess:
    return run("-c", f"import boundaries.settings as s; print(repr(s.{name}))", **env)


def test_the_deploy_check_is_clean_with_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_is_clean_with_every_variable_set_for_production():
    assert set(FULL_PRODUCTION) >= settings_variables(), settings_variables() - set(FULL_PRODUCTION)
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **FULL_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("name, says", [
    ("SECRET_KEY", "SECRET_KEY is not set."),
    ("AUDIT_KEYS", "AUDIT_KEYS is not set."),
    ("ALLOWED_HOSTS", "(security.W020) ALLOWED_HOSTS must not be empty in deployment."),
])
def test_production_stops_without_each_required_variable(name, says):
    without = {key: value for key, value in PRODUCTION.items() if key != name}
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **without)
    assert result.returncode != 0
    assert says in result.stderr


def test_the_readme_names_every_variable_and_what_production_needs():
    readme = README.read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert settings_variables() <= documented, settings_variables() - documented
    needs = next(paragraph for paragraph in table.split("\n\n") if paragraph.startswith("In production set"))
    assert all(f"`{name}`" in needs for name in REQUIRED), needs


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


@pytest.mark.parametrize("url, backend", [
    ("", "LocMemCache"),
    ("locmem://", "LocMemCache"),
    ("file:///var/cache/boundaries", "FileBasedCache"),
])
def test_the_rate_limits_cache_comes_from_cache_url(url, backend):
    result = setting("CACHES['default']", DEBUG="true", CACHE_URL=url)
    assert result.returncode == 0, result.stderr
    assert backend in result.stdout and ("/var/cache/boundaries" in result.stdout) == url.startswith("file")


@pytest.mark.parametrize("url, says", [
    ("memcache://user:hunter2@cache.internal", "CACHE_URL must be locmem://, file:///a/directory or "
                                               "redis://host:6379/0, not 'cache.internal'."),
    ("file://relative/dir", "CACHE_URL must be locmem://"),
])
def test_a_bad_cache_url_stops_start_up_without_showing_a_password(url, says):
    result = setting("CACHES", DEBUG="true", CACHE_URL=url)
    assert result.returncode != 0 and says in result.stderr and "hunter2" not in result.stderr


# Settings load in a fresh interpreter, so the test process's own sys.modules can't reach them: the
# child starts with "redis" in sys.modules already settled, then runs manage.py as a deployment would.
# None there makes `import redis` raise ImportError, whatever this machine has installed.
WITHOUT_REDIS = "import sys; sys.modules['redis'] = None"
WITH_REDIS = "import sys, types; sys.modules['redis'] = types.ModuleType('redis')"


def start_up(prelude: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    code = f"{prelude}; import runpy; sys.argv = ['manage.py', *{list(args)!r}]; runpy.run_path('manage.py', run_name='__main__')"
    return run("-c", code, **env)


def test_a_redis_cache_url_without_the_redis_package_stops_start_up_saying_what_to_install():
    # requirements.txt does not install redis: a deployment that names Redis must add it itself.
    assert not re.search(r"^redis\b", (ROOT / "requirements.txt").read_text(), re.MULTILINE | re.IGNORECASE)
    result = start_up(WITHOUT_REDIS, "check", DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode != 0
    assert ("django.core.exceptions.ImproperlyConfigured: CACHE_URL names Redis, but the redis package is not "
            "installed: pip install redis (docs/scaling.md).") in result.stderr


def test_a_redis_cache_url_with_the_redis_package_is_django_s_redis_cache():
    result = start_up(WITH_REDIS, "shell", "-c", "from django.conf import settings; print(settings.CACHES['default'])",
                      DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stderr
    assert "'BACKEND': 'django.core.cache.backends.redis.RedisCache'" in result.stdout
    assert "'LOCATION': 'redis://127.0.0.1:6379/1'" in result.stdout
