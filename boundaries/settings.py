"""Settings for Boundaries.

Every deploy-time value comes from the environment through the small helpers
below, and a bad value stops start-up with a message that says what to set.
"""

from pathlib import Path
import os
import re

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envkeys(name: str) -> tuple[tuple[str, str], ...]:
    """`id:secret` pairs separated by commas, newest first. The secrets never appear in a message."""
    keys: list[tuple[str, str]] = []
    for position, item in enumerate(envlist(name, ""), start=1):
        key_id, _, secret = item.partition(":")
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,16}", key_id) or len(secret) < 32:
            raise ImproperlyConfigured(
                f"{name} must be id:secret pairs separated by commas, each id up to 16 letters, digits, dots, "
                f"dashes or underscores, each secret at least 32 characters; entry {position} is not."
            )
        if key_id in dict(keys):
            raise ImproperlyConfigured(f"{name} names the key id {key_id!r} twice.")
        keys.append((key_id, secret))
    return tuple(keys)


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example the output of `python -c \"import secrets; print(secrets.token_urlsafe(50))\"`), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

# The audit chain is keyed (HMAC-SHA256) with the first of these keys; the others still verify older
# events, so a key can be rotated by putting a new one first. Never stored in the database.
AUDIT_KEYS = envkeys("AUDIT_KEYS" if os.environ.get("AUDIT_KEYS") else "AUDIT_KEY")
if not AUDIT_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "AUDIT_KEYS is not set. Set it to an id and a long random secret, for example "
            "AUDIT_KEYS=\"2026a:$(python -c 'import secrets; print(secrets.token_urlsafe(48))')\" "
            "(keep the secret outside the database and its backups), or set DEBUG=true for local development."
        )
    AUDIT_KEYS = (("dev", "insecure-development-audit-key-never-use-in-production"),)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "pgtrigger",
    "bootstrap",
    "boundaries",
    "accounts",
    "audit",
    "policies",
    "scenarios",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "boundaries.tenancy.AgencyMiddleware",
]

ROOT_URLCONF = "boundaries.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "boundaries.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "boundaries.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
    )
}

# Least privilege on PostgreSQL: `migrate` runs as the owner role; the app connects as this runtime
# role, which may only read and append to the audit tables. When set, every `migrate` ends by
# granting this role its privileges on the tables it has just made (audit/roles.py).
DATABASE_RUNTIME_ROLE = os.environ.get("DATABASE_RUNTIME_ROLE", "")
if DATABASE_RUNTIME_ROLE and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", DATABASE_RUNTIME_ROLE):
    raise ImproperlyConfigured(
        f"DATABASE_RUNTIME_ROLE must be a PostgreSQL role name in lower case letters, digits and "
        f"underscores, not {DATABASE_RUNTIME_ROLE!r}."
    )

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", "false" if DEBUG else "true")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# With STATIC_MANIFEST off (development and tests) WhiteNoise serves straight from the finders,
# so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent_mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Boundaries <no-reply@boundaries.invalid>")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false" if DEBUG else "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
