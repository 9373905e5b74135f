"""knox-token_no_expiry: the token mode with REST_KNOX['TOKEN_TTL'] = None. Dangerous: observation only, never deploy.

The ⚙ of `credential_expiry_enforced` names TOKEN_TTL; its only flip is None (tokens that never expire), the
unsafe side, so no hardened mode can set it. This observation-only mode (`observes = "token"` in the manifest) sets
it, ignoring the lifetime the suite cuts to seconds, so the expiry test observes the flip.
"""

from __future__ import annotations

from backends.knox.settings import *  # noqa: F403 -- token mode, one setting flipped

REST_KNOX = {**REST_KNOX, "TOKEN_TTL": None}
