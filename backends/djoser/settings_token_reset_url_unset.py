"""djoser-token_reset_url_unset: token mode without DJOSER['PASSWORD_RESET_CONFIRM_URL']. Observation only.

The ⚙ of password_reset_end_to_end names PASSWORD_RESET_CONFIRM_URL, which token mode sets (the frontend page the
mailed link points at); its only flip is leaving it unset, which no deployment wants: this mode does, so the
reset test observes what happens then.
"""

from __future__ import annotations

from backends.djoser.settings import *  # noqa: F403 -- token mode, one setting removed

DJOSER = {key: value for key, value in DJOSER.items() if key != "PASSWORD_RESET_CONFIRM_URL"}
