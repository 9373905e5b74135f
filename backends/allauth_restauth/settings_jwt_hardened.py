"""allauth_restauth, JWT mode hardened: JWT mode plus the delta in `settings_hardening.py` and the lines below.

Over `settings_jwt`, besides the shared delta (current password for a change, throttles and lockout, reset mail
limit, ASCII usernames, no-store, JSON only): refresh tokens rotate and the rotated one is blacklisted; each
access token carries a hash of the password hash and is refused once the password changes (simplejwt's
CHECK_REVOKE_TOKEN); tokens name their issuer and audience and must; the JWT cookies need a CSRF token when they
authenticate, are SameSite=Strict, and Secure in the production profile.
"""

from __future__ import annotations

from datetime import timedelta

from backends.allauth_restauth.settings_jwt import *  # noqa: F403 -- JWT mode, then the hardened delta

# isort: split
from backends.allauth_restauth.settings_hardening import *  # noqa: F403 -- after the mode: its values win

CACHES = SHARED_CACHE  # Redis: throttle and lockout counters shared by all workers
INSTALLED_APPS += HARDENED_APPS
MIDDLEWARE += HARDENED_MIDDLEWARE
REST_FRAMEWORK = {**REST_FRAMEWORK, **HARDENED_REST_FRAMEWORK}
REST_AUTH = {
    **REST_AUTH,
    **HARDENED_REST_AUTH,
    # A cookie-authenticated unsafe request needs Django's CSRF token (X-CSRFToken; login sets the csrftoken
    # cookie). Its sibling JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED stays off: it would ask a CSRF token
    # of every request without a header, login and sign-up included, which no dj-rest-auth endpoint issues first;
    # JSON-only parsing (settings_hardening.py) is what refuses a cross-site login form.
    "JWT_AUTH_COOKIE_USE_CSRF": True,
    "JWT_AUTH_SAMESITE": "Strict",  # no cookie on any cross-site request, top-level navigations included
    "JWT_AUTH_SECURE": SECURE_COOKIES,  # production profile
    "JWT_AUTH_HTTPONLY": True,  # the default, stated: scripts never read either token cookie
}

SIMPLE_JWT = {
    **SIMPLE_JWT,  # the signing key the harness gives, and the suite's lifetime knob
    # simplejwt's default, stated (the suite's knob still cuts it): an access token outlives logout, which
    # blacklists the refresh token only, by at most this long.
    "ACCESS_TOKEN_LIFETIME": CREDENTIAL_TTL or timedelta(minutes=5),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # Stateful check of the password: tokens carry a hash of the user's password hash, compared on every
    # authentication, so a password change or reset ends every access token issued before it.
    "CHECK_REVOKE_TOKEN": True,
    # Tokens name this service and must: one signed with the same key for another service is refused.
    "ISSUER": "authcmp/allauth_restauth",
    "AUDIENCE": "authcmp/allauth_restauth/api",
}
