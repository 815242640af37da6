"""Settings for Boundaries.

Every deploy-time value comes from the environment through the small helpers
below, and a bad value stops start-up with a message that says what to set.
"""

from pathlib import Path
import datetime as dt
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
    "csp",
    "boundaries",
    "accounts",
    "audit",
    "policies",
    "scenarios",
    "notifications",
    "training",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here (README, "Security" > "Compression"); static files are compressed
    # by WhiteNoise above, which answers them before this runs. Streamed responses stay streamed.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "boundaries.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "boundaries.tenancy.AgencyMiddleware",
    "boundaries.middleware.RequestBodyLimitMiddleware",
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
                "boundaries.csrf.context",
            ],
            # `day` and `moment` on every page, so no template writes a date format of its own.
            "builtins": ["boundaries.templatetags.dates"],
        },
    },
]

WSGI_APPLICATION = "boundaries.wsgi.application"

# Persistent connections: each worker keeps its connection for CONN_MAX_AGE seconds (0 closes it after
# every request) and checks it before reuse, so a restarted database costs one failed check, not an
# error page. At 1M requests, 60 seconds gave 1.7 to 2.3 times the throughput (issue 14).
CONN_MAX_AGE = envint("CONN_MAX_AGE", "60")
if CONN_MAX_AGE < 0:
    raise ImproperlyConfigured(f"CONN_MAX_AGE must be 0 or more seconds, not {CONN_MAX_AGE}.")
CONN_HEALTH_CHECKS = envbool("CONN_HEALTH_CHECKS", "true")
# On PostgreSQL the busiest key lookups are planned once per connection (PREPARE, boundaries/prepared.py).
# Turn it off behind a pooler that hands one server connection to many clients between transactions
# (PgBouncer's transaction mode): a statement prepared on one would be missing on the next.
DATABASE_PLAN_ONCE = envbool("DATABASE_PLAN_ONCE", "true")

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=CONN_HEALTH_CHECKS,
    )
}

# A PostgreSQL streaming replica for the reads that can be a moment behind: the dashboard and the audit
# export (boundaries/replica.py, docs/scaling.md). Off unless set; writes always go to the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_HEALTH_CHECKS)
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name the same kind of database as DATABASE_URL.")
    # Tests read the replica through the primary's connection: same rows, no second test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["boundaries.replica.ReplicaRouter"]

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
    # Our user has a full name, not Django's first and last names: compare with what it has.
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ["email", "full_name"]}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The client statement is also written in Spanish (locale/es); the view picks the language per page.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and time format throughout: see boundaries/dates.py.
FORMAT_MODULE_PATH = ["boundaries.formats"]
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
# Files served at the site's root: /favicon.ico, which browsers ask for whatever the page declares.
WHITENOISE_ROOT = BASE_DIR / "public"
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent_mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Boundaries <no-reply@boundaries.invalid>")
# Where the site is reached: mails sent outside a request (notices, `send_reminders`) and the
# calendar feed link to it. Production defaults to https:// and the first allowed host.
SITE_URL = os.environ.get(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
).rstrip("/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false" if DEBUG else "true")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"


# --- Security headers, TLS behind a proxy, Content-Security-Policy and upload limits -------------
# (README "Security" > "Headers"). Production defaults are strict; each can be set from the
# environment, and `manage.py check --deploy --fail-level WARNING` is clean with them.


def envpair(name: str) -> tuple[str, str] | None:
    """`HTTP_X_FORWARDED_PROTO,https` becomes the pair Django's SECURE_PROXY_SSL_HEADER wants."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    header, _, expected = (part.strip() for part in value.partition(","))
    if not header.startswith("HTTP_") or not expected or "," in expected:
        raise ImproperlyConfigured(
            f"{name} must be the header as Django sees it and the value that means https, separated by a "
            f"comma, for example HTTP_X_FORWARDED_PROTO,https; not {value!r}."
        )
    return header, expected


# Only set behind a proxy that always overwrites this header: otherwise a caller could claim https.
SECURE_PROXY_SSL_HEADER = envpair("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
# The load balancer's health check may come over plain http inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false" if DEBUG else "true")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false" if DEBUG else "true")
if not DEBUG and 0 < SECURE_HSTS_SECONDS < 31536000:
    raise ImproperlyConfigured(f"SECURE_HSTS_SECONDS must be at least 31536000 (a year), not {SECURE_HSTS_SECONDS}.")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Scripts, styles, fonts and images come from our own static files only; no inline script or
# style and no eval (htmx is told so in base.html's htmx-config). Bootstrap's CSS draws its small
# icons from data: URIs, hence img-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Browser features the product never uses, switched off for every page (boundaries/middleware.py).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "hid",
    "magnetometer", "microphone", "midi", "payment", "screen-wake-lock", "serial", "usb",
    "xr-spatial-tracking",
))

# A request body larger than this is refused with 413 before any of it is read
# (boundaries/middleware.py); set the same limit at the proxy (nginx: client_max_body_size 2m).
REQUEST_BODY_MAX_BYTES = envint("REQUEST_BODY_MAX_BYTES", str(2 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
# Uploads within the limit stay in memory: no temporary file holds a client document.
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = 5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# ---------------------------------------------------------------------------------------------
# Sign-in and sessions (issue 9): lockout after failed sign-ins, two-factor sign-in, session
# limits. Kept together in this block; docs/accounts.md explains each value.
# ---------------------------------------------------------------------------------------------


def envpositive(name: str, default: str) -> int:
    value = envint(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be 1 or more, not {value}.")
    return value


INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]

# OTPMiddleware needs the signed-in user; the session limits must run before the agency is chosen,
# so that a session ended here never reaches a page. Axes turns a lockout into our sign-in page.
_agency_middleware = MIDDLEWARE.index("boundaries.tenancy.AgencyMiddleware")
MIDDLEWARE[_agency_middleware:_agency_middleware] = [
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
]
MIDDLEWARE += ["accounts.middleware.TwoFactorPolicyMiddleware", "axes.middleware.AxesMiddleware"]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked pair is refused before any password check
    "django.contrib.auth.backends.ModelBackend",
]

# Proxies in front of the app that each append to X-Forwarded-For. 0 (the default) ignores the
# header entirely, so a client can't choose the address its failures are counted against.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}.")

# Lock an (account, address) pair after SIGN_IN_FAILURE_LIMIT failures for SIGN_IN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = envpositive("SIGN_IN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = dt.timedelta(minutes=envpositive("SIGN_IN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.client.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Attempts made while locked neither extend the lockout nor write a row: hammering costs us nothing.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Successful sign-ins are on the audit trail already; axes keeps only the failures.
AXES_DISABLE_ACCESS_LOG = True

# Password-reset mails: at most this many per address and per client address in an hour.
PASSWORD_RESET_PER_ADDRESS = envpositive("PASSWORD_RESET_PER_ADDRESS", "3")
PASSWORD_RESET_PER_IP = envpositive("PASSWORD_RESET_PER_IP", "10")

# A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# sign-in whatever happens; the page warns SESSION_WARNING_SECONDS before.
SESSION_IDLE_SECONDS = envpositive("SESSION_IDLE_MINUTES", "30") * 60
SESSION_MAX_SECONDS = envpositive("SESSION_MAX_HOURS", "12") * 3600
SESSION_WARNING_SECONDS = 60
# Activity is written to the session at most once a minute, not on every request.
SESSION_ACTIVITY_WRITE_SECONDS = 60
# The cookie and the stored session outlive the idle limit only by that minute.
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + SESSION_ACTIVITY_WRITE_SECONDS

OTP_TOTP_ISSUER = "Boundaries"
TWO_FACTOR_PENDING_SECONDS = 300


# ---------------------------------------------------------------------------------------------
# The REST API (docs/api.md): personal bearer tokens only, problem+json errors, OpenAPI 3.1.
# ---------------------------------------------------------------------------------------------
API_RATE = os.environ.get("API_RATE", "120/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", API_RATE):
    raise ImproperlyConfigured(f"API_RATE must look like 120/min, not {API_RATE!r}.")


def envcache(name: str) -> dict:
    """The cache the per-token rate limit counts in: `locmem://` (each process its own), `file:///dir`
    (shared by the processes of one host) or `redis://host:port/db` (shared by every host; Django's own
    RedisCache, which needs the `redis` package installed)."""
    value = os.environ.get(name, "").strip() or "locmem://"
    scheme, _, rest = value.partition("://")
    if scheme == "locmem" and not rest:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "file" and rest.startswith("/") and len(rest) > 1:
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": rest}
    if scheme in ("redis", "rediss") and rest:
        try:
            import redis  # noqa: F401 -- Django's RedisCache imports it only when first used
        except ImportError:
            raise ImproperlyConfigured(f"{name} names Redis, but the redis package is not installed: "
                                       "pip install redis (docs/scaling.md).") from None
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
    raise ImproperlyConfigured(f"{name} must be locmem://, file:///a/directory or redis://host:6379/0, "
                               f"not {value.split('@')[-1]!r}.")


CACHES = {"default": envcache("CACHE_URL")}
# Failed bearer authentications per client address before further failures get 429.
API_AUTH_FAILURE_LIMIT = envpositive("API_AUTH_FAILURE_LIMIT", "20")
API_AUTH_FAILURE_WINDOW = dt.timedelta(minutes=envpositive("API_AUTH_FAILURE_MINUTES", "15"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Boundaries API",
    "DESCRIPTION": "Guidance, requests, policies and the audit trail of one agency, for case-management "
                   "systems and security teams. See docs/api.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SECURITY": [{"bearer": []}],
    "APPEND_COMPONENTS": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "AUTHENTICATION_WHITELIST": [],
    "ENUM_NAME_OVERRIDES": {"OptionEnum": "scenarios.models.OPTION_CHOICES"},
}
