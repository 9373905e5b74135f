"""Settings every backend shares: the one stack on which only the auth library differs.

A backend's settings module star-imports this base and adds only its apps, its DRF authentication classes
and its library's own settings. Three environment variables select what a run needs: `DATABASE_URL`
(SQLite by default, PostgreSQL via psycopg 3), `AUTHCMP_PROFILE` (`production` keeps Django's default
password hasher; `test` and `bench` swap in a fast hasher and must never be used in production) and
`AUTHCMP_VARIANT` (the variant name, reported by the health endpoint so results can say what answered).
"""

from __future__ import annotations

import os
import re
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

REPO_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = REPO_ROOT / "var"

PROFILES = ("production", "test", "bench")
PROFILE = os.environ.get("AUTHCMP_PROFILE", "production")
if PROFILE not in PROFILES:
    raise ImproperlyConfigured(f"AUTHCMP_PROFILE={PROFILE!r}; expected one of {', '.join(PROFILES)}")
VARIANT = os.environ.get("AUTHCMP_VARIANT", "unnamed")

# Dangerous: the fallback key is public. Every run here is local; a deployment must set DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "authcmp-insecure-local-only-key-0123456789abcdef0123456789")
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = [
    "127.0.0.1",
    "localhost",
    "[::1]",
    *filter(None, os.environ.get("ALLOWED_HOSTS", "").split(",")),
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # The OpenAPI schema and its docs page (/api/schema/, /api/docs/), with Swagger UI served from the
    # sidecar's static files instead of a CDN.
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "backends.common",  # management commands (seed_users for the benchmarks)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (the browsable API's Bootstrap, the docs pages) served by the app itself, DEBUG or not.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "backends.common.wsgi.application"

# SQLite runs in WAL mode with immediate transactions so several gunicorn workers can write without
# "database is locked"; PostgreSQL keeps connections for a minute and checks them before reuse, so a
# killed connection is replaced instead of failing a request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's four validators, the same for every library: without them each library applies its own rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if PROFILE != "production":
    # Dangerous: MD5 is a test/benchmark profile only. It keeps suites fast and lets benchmarks show the
    # per-request cost a library adds once password hashing no longer dominates.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if PROFILE == "test":
    MIDDLEWARE.insert(0, "backends.common.middleware.QueryCountMiddleware")
    # The same MD5, counted: each hash appends a line to AUTHCMP_HASH_LOG, so the posture battery counts the
    # hashes a login costs instead of timing them (backends/common/hashers.py).
    PASSWORD_HASHERS = ["backends.common.hashers.CountingMD5PasswordHasher"]

# One knob for every library's credential lifetime, used by the matrix to observe expiry in seconds rather
# than hours. Unset, each library keeps its own default lifetime (and DRF's authtoken has none).
CREDENTIAL_TTL = (
    timedelta(seconds=int(os.environ["AUTHCMP_CREDENTIAL_TTL_SECONDS"]))
    if os.environ.get("AUTHCMP_CREDENTIAL_TTL_SECONDS")
    else None
)
# The lifetime of mailed password-reset links (Django's PASSWORD_RESET_TIMEOUT, 3 days by default), which every
# library's reset tokens use; the posture suite cuts it to seconds to observe expiry (test_posture_reset.py).
if os.environ.get("AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS"):
    PASSWORD_RESET_TIMEOUT = int(os.environ["AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS"])
# The lifetime of e-mail confirmation keys, cut to seconds by the suite to observe expiry (test_cap_verification.py).
# allauth counts it in days and multiplies by 86,400 before checking a key's signature age (EmailConfirmationHMAC
# .from_key), so a fraction of a day is a lifetime in seconds; djoser's activation links are Django's reset tokens,
# whose lifetime is PASSWORD_RESET_TIMEOUT (above). Unset, each library keeps its own (allauth: 3 days).
if os.environ.get("AUTHCMP_VERIFICATION_KEY_SECONDS"):
    ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = int(os.environ["AUTHCMP_VERIFICATION_KEY_SECONDS"]) / 86400

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise reads the apps' static folders through Django's finders once per process, so a served variant
# is styled without a collectstatic step. STATIC_ROOT stays for an optional collectstatic; until one runs
# it does not exist, which WhiteNoise would warn about in every worker.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
warnings.filterwarnings("ignore", message=f"No directory at: {re.escape(str(STATIC_ROOT))}")

# Mail is written to files so tests can read password-reset and confirmation mails.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    # DRF's defaults, with its JSON parser swapped for one that answers deeply nested JSON with a 400
    # instead of a 500 (backends/common/parsers.py); the same for every variant.
    "DEFAULT_PARSER_CLASSES": [
        "backends.common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": f"authcmp: {VARIANT}",
    "DESCRIPTION": "The variant's REST endpoints as drf-spectacular reads them; /health/ names the versions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,  # the schema endpoint is not part of the API under comparison
    # Separate request and response components, so write-only fields (passwords) and read-only ones
    # (tokens, ids) appear only where they belong: what a schema-driven fuzzer needs to send valid bodies.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# The hardened variants' cache (`CACHES = SHARED_CACHE`): Redis, so that throttle and lockout counters are shared
# by every gunicorn worker instead of counted per process. The harness gives each run its own key prefix and
# deletes the run's keys afterwards (harness/services.py); the default variants keep Django's per-process cache.
SHARED_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("AUTHCMP_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": os.environ.get("AUTHCMP_CACHE_PREFIX", f"authcmp-{VARIANT}"),
    }
}
# What every hardened settings module appends to MIDDLEWARE: Cache-Control: no-store on every answer.
NO_STORE_MIDDLEWARE = "backends.common.hardening.NoStoreMiddleware"

# Server errors go to stderr, which the harness keeps in the server log of each run.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}

# Distributions whose versions the health endpoint reports; a backend appends its libraries.
AUTHCMP_PACKAGES = ["django", "djangorestframework"]

# Server-side credential tables, counted by the `count_credentials` command the benchmarks run: model label ->
# the filter() arguments of a live row, the string "now" standing for the time of counting. A backend adds
# its library's tables (and drops what it uninstalls). Django's sessions are here because every backend
# installs the app, whether or not its login opens a session.
AUTHCMP_CREDENTIAL_TABLES: dict[str, dict[str, object]] = {"sessions.Session": {"expire_date__gt": "now"}}
