"""allauth_headless, session mode: django-allauth's own headless API for app clients (`X-Session-Token`).

The delta over the shared base is allauth's apps (account, headless, usersessions), its middleware and
backend, the headless and account settings, a cache shared by all gunicorn workers for allauth's built-in
rate limits, and allauth's DRF authentication class for the one view headless lacks (the current user).
`settings_jwt` switches the same project to allauth's JWT token strategy.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from backends.common import oidc
from backends.common.settings import *  # noqa: F403 -- a backend is the shared base plus its library

AUTH_MODE = "session"
ROOT_URLCONF = "backends.allauth_headless.urls"

INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.headless",
    "allauth.usersessions",  # session listing and revocation: GET/DELETE auth/sessions
    "allauth.mfa",  # second factors (issue #15): account/authenticators/..., auth/2fa/authenticate
]
# Social login (issue #15): allauth's generic OpenID Connect provider; headless serves auth/provider/token (an app
# posts the id_token it got) and auth/provider/redirect.
INSTALLED_APPS += ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]
MIDDLEWARE += ["allauth.account.middleware.AccountMiddleware"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "allauth.headless.contrib.rest_framework.authentication.XSessionTokenAuthentication"
]

HEADLESS_ONLY = True  # no allauth HTML views; mailed links point at the frontend below
HEADLESS_CLIENTS = ("app",)  # the default also serves the cookie-based "browser" client
# allauth's own OpenAPI document (_allauth/openapi.json): its views are not DRF views, so drf-spectacular's
# schema misses them; the suite checks every operation either document offers against the manifest.
HEADLESS_SERVE_SPECIFICATION = True
# Required with HEADLESS_ONLY for every link allauth mails; these are the single-page app's routes.
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": "/account/verify-email/{key}",
    "account_reset_password": "/account/password/reset",
    "account_reset_password_from_key": "/account/password/reset/key/{key}",
    "account_signup": "/account/signup",
}

ACCOUNT_LOGIN_METHODS = {"username"}
# Headless signup takes one `password` (bound to password1); password2 is the HTML form's repeat field.
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*"]
# Changed from the default "optional" (which logs in too, but mails a confirmation) as in allauth_restauth;
# "mandatory" would answer sign-ups without a credential until the address is confirmed.
ACCOUNT_EMAIL_VERIFICATION = "none"
# allauth.mfa's default types, stated: TOTP, with recovery codes generated when it is enabled. Adding, viewing or
# removing one needs a re-authentication (MFA_REAUTHENTICATION_REQUIRED, default True) within
# ACCOUNT_REAUTHENTICATION_TIMEOUT (300 s); a login does not count as one.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Passkeys (issue #15): a WebAuthn key added under account/authenticators/webauthn logs in alone at
# auth/webauthn/login (default False). The RP id is the request's host; fido2 accepts an http origin for localhost
# only, so MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN (which skips the origin check altogether) stays False.
MFA_PASSKEY_LOGIN_ENABLED = True
# allauth refuses to enable a second factor for an unverified address (409 unverified_email), so a stranger who
# signed up with someone's address cannot lock its owner out; with verification off above no address is ever
# verified, so that guard would refuse every user: it is lifted while ACCOUNT_EMAIL_VERIFICATION is "none".
MFA_ALLOW_UNVERIFIED_EMAIL = ACCOUNT_EMAIL_VERIFICATION == "none"

# The provider the harness starts (backends/common/oidc.py). A social login whose verified address is an existing
# account's logs into that account and connects it (default False: the login stops at a sign-up form instead); an
# unverified address never does (allauth's authenticate_by_email takes verified addresses only).
SOCIALACCOUNT_PROVIDERS = oidc.ALLAUTH_PROVIDERS
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# Session tokens are Django sessions: the shared lifetime knob cuts their age (Django's default: 2 weeks).
if CREDENTIAL_TTL:
    SESSION_COOKIE_AGE = int(CREDENTIAL_TTL.total_seconds())

# allauth's rate limits count hits in Django's cache, which must be shared by all gunicorn workers (the
# default per-process memory cache would count each worker apart). A file cache needs no server and no
# extra command; one folder per database keeps concurrent servers' counters apart (beside a SQLite file, so
# it goes with it). Its `add` is not atomic across processes, so a deployment should prefer Redis.
_DATABASE = DATABASES["default"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("AUTHCMP_CACHE_DIR")
        or (
            f"{_DATABASE['NAME']}-cache"
            if _DATABASE["ENGINE"] == "django.db.backends.sqlite3"
            else str(Path(tempfile.gettempdir()) / "authcmp-cache" / str(_DATABASE["NAME"]))
        ),
    }
}
# The load benchmark's production-profile servers set AUTHCMP_LIFT_IP_RATE_LIMITS=1 (benchmarks/run.py, recorded
# in its summary): Locust sends every login from one IP, so allauth's limits would measure 429s, not logins.
if PROFILE != "production" or os.environ.get("AUTHCMP_LIFT_IP_RATE_LIMITS") == "1":
    # Dangerous: test and bench only. The suite and the benchmarks send every request from 127.0.0.1, so
    # allauth's per-IP limits (sign-ups 20/m, logins 30/m, password reset requests 20/m and confirmations
    # 20/m answer 429; failed logins 10/m answer 400 "too many login attempts") would stop them within
    # seconds: those are lifted. The per-account budget of failed logins (default 5 per 5 minutes) is
    # raised to 20, the suite's burst of simultaneous logins of one account: allauth charges every attempt
    # to it until the password is checked, so 20 correct logins at once would now and then be refused.
    # Every per-user and other per-account limit stays as allauth ships it.
    ACCOUNT_RATE_LIMITS = {
        "signup": None,
        "login": None,
        "login_failed": "20/300s/key",
        "reset_password": "5/m/key",
        "reset_password_from_key": None,
    }

AUTHCMP_PACKAGES += ["django-allauth"]
# usersessions keeps a row per session it lists (JWT mode too: a session stands behind its refresh token).
AUTHCMP_CREDENTIAL_TABLES = {**AUTHCMP_CREDENTIAL_TABLES, "usersessions.UserSession": {}}
