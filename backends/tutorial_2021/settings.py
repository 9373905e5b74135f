"""tutorial_2021, token mode: the 2021 tutorial's settings, literally, on the releases it pinned (Django 3.2).

The tutorial adds to a fresh project: its apps, `REST_FRAMEWORK` (IsAuthenticated; session and token
authentication), `SITE_ID = 1` and the console e-mail backend; `settings_jwt` adds its JWT lines. This module is
the shared base (the same validators, hasher policy, profiles and serving stack as every variant) plus exactly
those lines, except where noted:
- `EMAIL_BACKEND` stays the base's file backend: the suite reads reset mails from the variant's mail folder, and
  the console backend would print them to the server log (the tutorial's line is kept below, commented out).
- `DATABASES["default"]["OPTIONS"]`: Django 3.2's SQLite backend passes OPTIONS to sqlite3.connect(), which knows
  neither `init_command` nor `transaction_mode` (both Django 5.1), so only the busy timeout is kept; the WAL
  journal is set per connection by `apps.SQLiteWAL` instead.
The server runs in this backend's own environment (requirements.txt on Python 3.9; manifest.toml `[environment]`).
"""

from __future__ import annotations

from backends.common.settings import *  # noqa: F403 -- a backend is the shared base plus its library

# isort: split
from backends.common import releases

AUTH_MODE = "token"
ROOT_URLCONF = "backends.tutorial_2021.urls"

INSTALLED_APPS += [
    # startproject's default, which the tutorial's project keeps (the shared base has no admin): its templates hold
    # registration/password_reset_email.html, which dj-rest-auth 2.1.7's reset form renders (without it: a 500).
    "django.contrib.admin",
    "rest_framework.authtoken",
    "dj_rest_auth",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    # "allauth.socialaccount",  (commented out in the tutorial)
    "dj_rest_auth.registration",
    "backends.tutorial_2021.apps.SQLiteWAL",  # not the tutorial's: the base's SQLite journal on Django 3.2
]

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
}

SITE_ID = 1

# EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  (the tutorial's; see the docstring)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
# Django 3.2 names no connection health checks; dj-database-url adds the key, which that Django never reads.
DATABASES["default"].pop("CONN_HEALTH_CHECKS", None)

AUTHCMP_PACKAGES += ["dj-rest-auth", "django-allauth"]
# DRF's authtoken: one row per user, which never expires.
AUTHCMP_CREDENTIAL_TABLES = {"authtoken.Token": {}, **AUTHCMP_CREDENTIAL_TABLES}

# On the 2021 releases this adds nothing. A history run of these settings on today's releases (harness/history.py)
# first serves them as they are (today's allauth refuses to start), then asks for what today's releases require.
releases.require(globals())
