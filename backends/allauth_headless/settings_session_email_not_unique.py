"""allauth_headless-session_email_not_unique: session mode with ACCOUNT_UNIQUE_EMAIL = False. Dangerous:
observation only, never deploy.

The ⚙ of email_unique_enforced names ACCOUNT_UNIQUE_EMAIL, True by default; its flip is the unsafe side, so no
hardened mode sets it. This observation-only mode (`observes = "session"` in the manifest) does.
"""

from __future__ import annotations

from backends.allauth_headless.settings import *  # noqa: F403 -- session mode, one setting flipped

ACCOUNT_UNIQUE_EMAIL = False
