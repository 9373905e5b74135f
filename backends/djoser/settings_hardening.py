"""What both hardened modes add to their default mode, star-imported by settings_hardened and settings_jwt_hardened.

New names only (each settings module appends `HARDENED_APPS` and `HARDENED_MIDDLEWARE` and merges
`HARDENED_REST_FRAMEWORK` itself): django-axes locks an (account, client address) pair out after failed logins
(djoser's and simplejwt's login serializers call `authenticate(request=...)`, which axes watches); DRF throttles
limit logins and reset requests per client address and reset requests per address mailed (backends/djoser/throttles
.py); bodies are capped. Counters live in Redis (`CACHES = SHARED_CACHE`), shared by every worker.
"""

from __future__ import annotations

import os
from datetime import timedelta

from backends.common.settings import NO_STORE_MIDDLEWARE, PROFILE

# Dangerous: test and bench only (and production servers of one load generator, AUTHCMP_LIFT_IP_RATE_LIMITS=1, as
# benchmarks/run.py and the timing cases start them). The suite sends every request from 127.0.0.1, so a limit per
# client address would stop it within seconds: the DRF per-address throttles are left out. The per-account ones
# (axes' pair of account and address, the reset budget per mailed address) stay.
IP_LIMITS = PROFILE == "production" and os.environ.get("AUTHCMP_LIFT_IP_RATE_LIMITS") != "1"

HARDENED_APPS = ["axes"]
# AxesMiddleware last, as axes' installation asks (under DRF its lockout flag lands on DRF's request, so a locked
# login answers the library's usual refusal, not 429: a stranger cannot tell a lockout from a wrong password).
HARDENED_MIDDLEWARE = [NO_STORE_MIDDLEWARE, "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "social_core.backends.open_id_connect.OpenIdConnectAuth",  # social login, as in token mode
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"  # counters in the shared Redis cache, no table writes
# The pair, not the account alone: a lock per account would let any stranger lock its owner out
# (brute_force_does_not_lock_out_owner); guessing from many addresses meets the per-address login throttle.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True  # on djoser's token login (it sends user_logged_in); simplejwt's login sends none

# No login until the account is activated by the mailed link (djoser creates it inactive): an account then owns its
# address, the one reset links are mailed to. The link leads to the frontend's page (ACTIVATION_URL, a path under
# the site's domain), which POSTs its uid and token to users/activation/. The token is Django's reset token, so it
# lives PASSWORD_RESET_TIMEOUT; a second use is refused as stale (403: the account is already active).
HARDENED_DJOSER = {"SEND_ACTIVATION_EMAIL": True, "ACTIVATION_URL": "activate/{uid}/{token}"}

HARDENED_REST_FRAMEWORK = {
    # The client address is REMOTE_ADDR: with NUM_PROXIES unset DRF keys throttles on X-Forwarded-For, which any
    # client can forge. Behind a proxy, set the number of proxies.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_CLASSES": [
        *(["backends.djoser.throttles.RouteThrottle"] if IP_LIMITS else []),
        "backends.djoser.throttles.ResetAddressThrottle",
        "backends.djoser.throttles.ResendAddressThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "login": "10/min",  # per client address: stops one client spraying a password over many accounts
        "reset_password": "10/min",  # per client address
        "reset_password_address": "5/hour",  # per mailed address, whoever asks
        "resend_activation_address": "3/hour",  # activation mails resent per address, whoever asks
    },
}

# The API's bodies are a few hundred bytes; Django's default cap is 2.5 MB, so a 1 MB password was read, validated
# and hashed (password_1mb_rejected). Django answers a larger body with 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
