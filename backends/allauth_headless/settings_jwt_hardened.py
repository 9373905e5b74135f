"""allauth_headless, JWT mode hardened: JWT mode plus the delta in `settings_hardening.py` and the lines below.

Access tokens are validated statefully: each request loads the session the token names, so logout, a password
change or reset, deactivation and deletion end access tokens at once instead of when they expire. Refresh
tokens rotate (the default, stated). allauth's rate-limit counters move to Redis, every answer says
`Cache-Control: no-store`, and the session behind the refresh tokens lives 12 hours instead of two weeks.
"""

from __future__ import annotations

from backends.allauth_headless.settings_jwt import *  # noqa: F403 -- JWT mode, then the hardened delta

# isort: split
from backends.allauth_headless.settings_hardening import *  # noqa: F403 -- after the mode, which it overrides

CACHES = SHARED_CACHE  # Redis: rate-limit counters shared by all workers, and atomic
MIDDLEWARE += [NO_STORE_MIDDLEWARE]

HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True  # the default, stated: every refresh retires the token it used
# The refresh token may not outlive its session. The access token keeps allauth's 300 s (or the suite's knob,
# set by settings_jwt): with stateful validation its lifetime no longer bounds revocation.
SESSION_COOKIE_AGE = SESSION_LIFETIME_SECONDS
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = SESSION_LIFETIME_SECONDS
