"""allauth_headless-session_frontend_urls_unset: session mode without HEADLESS_FRONTEND_URLS. Observation only.

The ⚙ of password_reset_end_to_end names HEADLESS_FRONTEND_URLS, which the project sets (with HEADLESS_ONLY the
mailed links can only point at a frontend); its only flip is leaving it empty, which no deployment wants: this
mode does, so the reset test observes what happens then.
"""

from __future__ import annotations

from backends.allauth_headless.settings import *  # noqa: F403 -- session mode, one setting emptied

HEADLESS_FRONTEND_URLS: dict[str, str] = {}
