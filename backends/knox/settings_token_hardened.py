"""knox, hardened token mode: knox's own settings turned to the safer side, plus DRF throttles and django-axes.

The delta over `settings` (knox-token): a short idle lifetime renewed on use with an absolute cap (`TOKEN_TTL`,
`AUTO_REFRESH`, `AUTO_REFRESH_MAX_TTL`), a limit of live tokens per user, a token prefix secret scanners can
match, Cache-Control: no-store on every answer, per-address throttles of login and registration (DRF's
ScopedRateThrottle, production profile) and a per-account-and-address lockout after failed logins (django-axes,
which knox lacks). Counters live in Redis (`SHARED_CACHE`), shared by every gunicorn worker.
"""

from __future__ import annotations

import os
from datetime import timedelta

from backends.knox.settings import *  # noqa: F403 -- the default token mode, then the hardening delta

CACHES = SHARED_CACHE
INSTALLED_APPS += ["axes"]
# Axes' middleware last, as its docs ask; no-store before it so axes' own lockout answers carry the header too.
MIDDLEWARE += [NO_STORE_MIDDLEWARE, "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

REST_KNOX = {
    **REST_KNOX,
    # 30 minutes of inactivity end a token (knox: 10 hours in all); each use pushes the expiry on, written at
    # most once a minute (MIN_REFRESH_INTERVAL, kept), and never past 10 hours after login. The run's lifetime
    # knob replaces the idle lifetime, so the suite still observes expiry in seconds.
    "TOKEN_TTL": CREDENTIAL_TTL or timedelta(minutes=30),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": max(CREDENTIAL_TTL or timedelta(0), timedelta(hours=10)),
    # At most 12 live tokens (devices) per user: the 13th login answers 403 until one expires or logs out.
    "TOKEN_LIMIT_PER_USER": 12,
    # Marks every token so a leaked one is found by a secret scanner's pattern (knox allows 10 characters).
    "TOKEN_PREFIX": "knox_",
    # Kept: SHA-512 of a 256-bit random token (knox's defaults) leaves nothing to gain from another hash.
}
if PROFILE == "bench":
    # Dangerous: bench only. Locust logs its 1,000 seeded accounts in over and over (dozens of live tokens
    # each within a minute) and the scale study plants 100 per account: the limit would measure 403s.
    REST_KNOX["TOKEN_LIMIT_PER_USER"] = None

# django-axes: 5 failed logins of one account from one address lock that pair for 15 minutes (counted in the
# cache, not in tables). Per pair, not per account alone, so a stranger cannot lock the owner out elsewhere.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

# DRF's throttles by client address, on the two views that take a password (views.py names their scopes).
# NUM_PROXIES = 0: the address is REMOTE_ADDR; DRF's default (None) trusts any X-Forwarded-For a client sends.
REST_FRAMEWORK["NUM_PROXIES"] = 0
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"login": "10/min", "register": "5/min"}
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["rest_framework.throttling.ScopedRateThrottle"]
if PROFILE != "production" or os.environ.get("AUTHCMP_LIFT_IP_RATE_LIMITS") == "1":
    # Dangerous: test and bench only (and production-profile servers of the benchmarks and the timing cases,
    # which set AUTHCMP_LIFT_IP_RATE_LIMITS=1). Every request of the suite and of Locust comes from
    # 127.0.0.1, so per-address limits would stop them within seconds; the per-account lockout above stays.
    REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
