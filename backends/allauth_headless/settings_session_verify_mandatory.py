"""allauth_headless-session_verify_mandatory: session mode with ACCOUNT_EMAIL_VERIFICATION = "mandatory".

Observation only (`observes = "session"` in the manifest). Mandatory verification is the safer side, but sign-up
and login then answer a pending verify_email flow until the mailed key is confirmed, which the suite's sign-up
cannot do yet; so the hardened mode keeps "none" and this mode observes the flip of registration_returns_credential.
"""

from __future__ import annotations

from backends.allauth_headless.settings import *  # noqa: F403 -- session mode, one setting flipped

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
