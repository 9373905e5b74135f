"""allauth_headless, session mode hardened: session mode plus the delta in `settings_hardening.py` and the lines below.

What changes over `settings`: allauth's rate-limit counters move from the file cache to Redis (shared by every
worker, atomic), every answer says `Cache-Control: no-store`, and a session token lives 12 hours instead of
Django's two weeks. allauth's own limits stay as shipped (the test profile lifts the per-IP ones, as in `settings`).
"""

from __future__ import annotations

from backends.allauth_headless.settings import *  # noqa: F403 -- session mode, then the hardened delta

# isort: split
from backends.allauth_headless.settings_hardening import *  # noqa: F403 -- after the mode, which it overrides

CACHES = SHARED_CACHE  # Redis: rate-limit counters shared by all workers, and atomic
MIDDLEWARE += [NO_STORE_MIDDLEWARE]

# The shared lifetime knob still cuts it, so the suite observes expiry in seconds.
SESSION_COOKIE_AGE = int(CREDENTIAL_TTL.total_seconds()) if CREDENTIAL_TTL else SESSION_LIFETIME_SECONDS
