"""The settings delta both hardened modes share, star-imported by `settings_token_hardened` and
`settings_jwt_hardened` after the mode they harden; not a settings module by itself.

Plain values only: each settings module merges the `HARDENED_*` pieces into the lists and dicts of its mode. Every
value is a dj-rest-auth or django-allauth setting turned to its safer side, then the companions: DRF's throttle
classes (per client address) and django-axes (per account and address: dj-rest-auth's login calls Django's
`authenticate()` directly, so allauth's own failed-login limit, which lives in its adapter, never applies).
"""

from __future__ import annotations

import os
from datetime import timedelta

from backends.common.settings import NO_STORE_MIDDLEWARE, PROFILE

# django-axes first, as it requires; then allauth's backend alone: it subclasses Django's ModelBackend (permissions,
# admin login by username still work), but listing ModelBackend too, as allauth's installation guide does, makes
# every failed login hash twice (once per backend) and a successful one once.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "allauth.account.auth_backends.AuthenticationBackend"]
# glue.LockoutAnswer: an axes lockout answers 429 through DRF (see glue.py for why the middleware cannot).
HARDENED_APPS = ["axes", "backends.allauth_restauth.glue.LockoutAnswer"]
# No-store on every answer (backends/common/hardening.py); axes' middleware last, as its docs ask.
HARDENED_MIDDLEWARE = [NO_STORE_MIDDLEWARE, "axes.middleware.AxesMiddleware"]

HARDENED_REST_AUTH = {
    # A password change needs the current password: a stolen credential alone cannot take the account over.
    "OLD_PASSWORD_FIELD_ENABLED": True,
    # Ends the Django session the change was made in (not the DRF token: see the manifest's finding).
    "LOGOUT_ON_PASSWORD_CHANGE": True,
    # allauth's per-address limit of reset mails, which dj-rest-auth's own serializer skips (serializers.py).
    "PASSWORD_RESET_SERIALIZER": "backends.allauth_restauth.serializers.ThrottledPasswordResetSerializer",
    # SESSION_LOGIN stays True (settings.py): django.contrib.auth.login() is what records last_login, which Django's
    # reset tokens hash (a reset link dies at the next login), and in JWT mode it issues the CSRF cookie that the
    # cookie transport's CSRF check needs. The session authenticates no API view.
}

# Login by email too: not a hardening, but the ⚙ of login_by_email, flipped because it is harmless (allauth's
# backend tries the address first, then the username, hashing once for a unique address).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_UNIQUE_EMAIL = True  # the default, stated: dj-rest-auth honours it for verified addresses only (manifest)
# No login until the address is confirmed by the mailed link (POST its key to registration/verify-email/): an account
# proves it owns its address, which is what a reset link is then mailed to, and a taken address, once verified, is
# refused to a second account.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# ASCII usernames only: no mixed-script look-alike or fullwidth twin of a taken name registers (glue.py).
ACCOUNT_USERNAME_VALIDATORS = "backends.allauth_restauth.glue.USERNAME_VALIDATORS"

# Reset links (allauth's token generator is Django's) live an hour instead of three days; the posture suite's own
# lifetime (AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS, read by the shared base) wins.
if not os.environ.get("AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS"):
    PASSWORD_RESET_TIMEOUT = 60 * 60

# django-axes: 5 failed logins of one account from one address lock that pair for 15 minutes (counted in the cache,
# not in tables). Per pair, not per account alone, so a stranger cannot lock the owner out from elsewhere.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

# DRF's throttle by client address (by user once authenticated) on every dj-rest-auth view: they share the scope
# `dj_rest_auth` (registration, login, logout, password change and reset). NUM_PROXIES = 0: the address is
# REMOTE_ADDR; DRF's default (None) trusts any X-Forwarded-For a client sends.
HARDENED_REST_FRAMEWORK = {
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    # dj_rest_auth.mfa's verify view has a scope of its own; ScopedRateThrottle answers 500 for a scope without a
    # rate (ImproperlyConfigured), so enabling the MFA app next to this throttle needs the line.
    "DEFAULT_THROTTLE_RATES": {"dj_rest_auth": "20/min", "dj_rest_auth_mfa_verify": "10/min"},
    # JSON only: a cross-site HTML form can send only form-encoded, multipart or text/plain bodies, now 415, so no
    # form can log a victim in (login CSRF) or act with the cookies. The shared parser answers deep nesting 400.
    "DEFAULT_PARSER_CLASSES": ["backends.common.parsers.JSONParser"],
}
# allauth's limits, of which only reset_password applies here (serializers.py charges it); as shipped in production.
ACCOUNT_RATE_LIMITS: dict[str, str | None] = {}
if PROFILE != "production" or os.environ.get("AUTHCMP_LIFT_IP_RATE_LIMITS") == "1":
    # Dangerous: test and bench only (and the production-profile servers of the benchmarks and the timing cases,
    # which set AUTHCMP_LIFT_IP_RATE_LIMITS=1). Every request of the suite and of Locust comes from 127.0.0.1, so
    # per-address limits would stop them within seconds: DRF's throttle and allauth's 20 resets a minute per
    # address are lifted. The per-account lockout (axes) and the 5 reset mails a minute per address stay.
    HARDENED_REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
    ACCOUNT_RATE_LIMITS = {"reset_password": "5/m/key"}

# Cookies go out with Secure in the production profile: the test and bench profiles serve plain http on 127.0.0.1.
SECURE_COOKIES = PROFILE == "production"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
