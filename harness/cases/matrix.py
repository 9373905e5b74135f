"""Security readings of the verified capability matrix: which capability value is the safe one, and why.

These are not posture cases and are not counted with them: the capability test already observed each value
over HTTP, and re-stating it as a second "case" would count one observation twice. The report shows them as
a security view of the matrix, linked to the capability tests, each with the one reference it reads against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.cases import ASVS


@dataclass(frozen=True)
class Reading:
    title: str
    reference: str
    capability: str
    safe: Any = True  # the observed capability value that meets the reference


_V = ASVS  # short, to keep the table one reading a line
READINGS: dict[str, Reading] = {
    r.capability: r
    for r in (
        Reading("logout ends the credential used", f"{_V} V7.4.1", "logout_revokes_credential"),
        Reading("a credential past its lifetime is refused", f"{_V} V7.3.2", "credential_expiry_enforced"),
        Reading("a password change ends other sessions", f"{_V} V7.4.3", "password_change_revokes_credentials"),
        Reading("a password reset ends every session", f"{_V} V7.4.3", "password_reset_revokes_credentials"),
        Reading("a disabled account's credentials fail", f"{_V} V7.4.2", "inactive_user_credentials_rejected"),
        Reading("no credential is stored in plain text", "CWE-312", "credential_hashed_at_rest"),
        Reading("opaque credentials carry >= 128 bits", f"{_V} V7.2.3", "credential_entropy_at_least_128_bits"),
        Reading("failed logins answer alike", f"{_V} V6.3.8", "login_failure_indistinguishable"),
        Reading("credential cookies are HttpOnly", f"{_V} V3.3.4", "cookie_httponly"),
        Reading("cookie-authenticated writes need CSRF proof", f"{_V} V3.5.1", "csrf_enforced_for_cookie_auth"),
        Reading("logout revokes the refresh token", f"{_V} V7.4.1", "refresh_revoked_on_logout"),
        Reading("a rotated refresh token is refused", "RFC 9700 §4.14.2", "rotated_refresh_reuse_rejected"),
        Reading("password change needs the current one", f"{_V} V6.2.3", "password_change_requires_current_password"),
    )
}  # fmt: skip


def reading(capability: str, observed: Any) -> str:
    """`pass` when the observed value is the safe one, `fail` when not, `n/a` when the capability does not apply."""
    if observed == "n/a":
        return "n/a"
    return "pass" if observed == READINGS[capability].safe else "fail"
