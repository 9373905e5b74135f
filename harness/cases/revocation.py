"""Posture cases about revocation: every credential a login issues, after every event that should end it.

The capability matrix already observes the access credential on the header transport after logout, password
change and reset and deactivation, and the refresh token after logout. These cases cover the rest: the refresh
token after the other events, every other credential a login issues (a second token in its answer, each cookie
that authenticates alone), logout sent on every transport the variant accepts, the cookies logout must expire,
account deletion, and refresh-token replay and races. Their tests are shared_tests/test_revocation_*.py.
"""

from __future__ import annotations

from harness.cases import ASVS, Case

RFC9700 = "RFC 9700"  # OAuth 2.0 Security Best Current Practice

CASES: dict[str, Case] = {
    # Logout (ASVS 5.0 V7.4.1: logout terminates the session)
    "logout_revokes_other_credentials": Case(
        "logout also ends every credential besides the access and refresh tokens (other tokens, auth cookies)",
        f"{ASVS} V7.4.1",
    ),
    "logout_by_cookie_revokes_what_header_logout_revokes": Case(
        "a logout carried by the login's cookies alone revokes every credential a header logout revokes",
        f"{ASVS} V7.4.1",
    ),
    "logout_by_header_and_cookie_revokes_what_header_logout_revokes": Case(
        "a logout carrying both the header and the cookies revokes every credential a header logout revokes",
        f"{ASVS} V7.4.1",
    ),
    "logout_expires_every_credential_cookie": Case(
        "logout answers Set-Cookie with Max-Age=0 or a past expiry for each credential cookie the login set",
        f"{ASVS} V7.4.1",
    ),
    # Password change and reset (ASVS 5.0 V7.4.3: other sessions end after an authentication factor changes)
    "password_change_revokes_refresh_token": Case(
        "another device's refresh token stops working after a password change", f"{ASVS} V7.4.3"
    ),
    "password_change_revokes_other_credentials": Case(
        "another device's other credentials (tokens, auth cookies) stop working after a password change",
        f"{ASVS} V7.4.3",
    ),
    "password_reset_revokes_refresh_token": Case(
        "a refresh token issued before a password reset stops working", f"{ASVS} V7.4.3"
    ),
    "password_reset_revokes_other_credentials": Case(
        "the other credentials (tokens, auth cookies) issued before a password reset stop working", f"{ASVS} V7.4.3"
    ),
    # Disabled or deleted accounts (ASVS 5.0 V7.4.2)
    "deactivation_revokes_refresh_token": Case("a deactivated account's refresh token is refused", f"{ASVS} V7.4.2"),
    "deactivation_revokes_other_credentials": Case(
        "a deactivated account's other credentials (tokens, auth cookies) are refused", f"{ASVS} V7.4.2"
    ),
    "account_deletion_revokes_every_credential": Case(
        "every credential another device holds (access, refresh, others) stops working when the account is deleted",
        f"{ASVS} V7.4.2",
    ),
    # Refresh token rotation (RFC 9700 section 4.14.2: refresh token protection)
    "refresh_replay_revokes_token_family": Case(
        "replaying a rotated refresh token also revokes the newest refresh token of its family",
        f"{RFC9700} 4.14.2",
    ),
    "concurrent_refresh_succeeds_at_most_once": Case(
        "where refresh rotates, two simultaneous refreshes of one token do not both succeed", f"{RFC9700} 4.14.2"
    ),
}
