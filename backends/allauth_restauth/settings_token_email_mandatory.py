"""allauth_restauth, token mode with ACCOUNT_EMAIL_VERIFICATION = "mandatory".

Dangerous: observation only, never deploy. Mandatory verification is no weakness in itself, but the suite's
sign-up cannot confirm a mail, so every case past registration would stop at its first login: this mode only
observes that registration then answers without a credential (registration_returns_credential).
"""

from __future__ import annotations

from backends.allauth_restauth.settings import *  # noqa: F403 -- token mode, one setting flipped

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
