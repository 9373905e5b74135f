"""allauth_restauth, token mode hardened: token mode plus the delta in `settings_hardening.py`.

What changes over `settings`: a password change needs the current password; login is throttled per client address
(DRF, production profile) and locked per account and address after 5 failures (django-axes); reset mails are
limited per address; usernames are ASCII; every answer says `Cache-Control: no-store`; bodies are JSON only; the
counters live in Redis, shared by every gunicorn worker. DRF's authtoken itself has nothing to harden: one
unhashed token per user that never expires, which no setting of dj-rest-auth changes (see the manifest).
"""

from __future__ import annotations

from backends.allauth_restauth.settings import *  # noqa: F403 -- token mode, then the hardened delta

# isort: split
from backends.allauth_restauth.settings_hardening import *  # noqa: F403 -- after the mode: its values win

CACHES = SHARED_CACHE  # Redis: throttle and lockout counters shared by all workers
INSTALLED_APPS += HARDENED_APPS
MIDDLEWARE += HARDENED_MIDDLEWARE
REST_AUTH = {**REST_AUTH, **HARDENED_REST_AUTH}
REST_FRAMEWORK = {**REST_FRAMEWORK, **HARDENED_REST_FRAMEWORK}
