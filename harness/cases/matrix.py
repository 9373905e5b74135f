"""Security readings of the verified capability matrix, with their references (not re-observed here)."""

from __future__ import annotations

from harness.cases import ASVS, RFC8725, Case

CASES: dict[str, Case] = {
    # Derived from the verified capability matrix
    "logout_invalidates_credential": Case(
        "logout invalidates the credential used", f"{ASVS} V7.4.1", "logout_revokes_credential"
    ),
    "expired_credential_rejected": Case(
        "a credential past its lifetime is refused", f"{ASVS} V7.3.x; {RFC8725} 3.10", "credential_expiry_enforced"
    ),
    "credentials_end_after_password_change": Case(
        "a password change ends other sessions", f"{ASVS} V7.4.3", "password_change_revokes_credentials"
    ),
    "credentials_end_after_deactivation": Case(
        "a deactivated account's credentials stop working", f"{ASVS} V7.4.2", "inactive_user_credentials_rejected"
    ),
    "tokens_stored_hashed": Case(
        "credentials are not stored in plain text", f"{ASVS} V7.2.x; V11", "credential_hashed_at_rest"
    ),
    "opaque_token_entropy": Case(
        "opaque tokens carry >= 128 bits", f"{ASVS} V7.2.3", "credential_entropy_at_least_128_bits"
    ),
    "login_answers_identical": Case(
        "wrong password and unknown user get identical answers", f"{ASVS} V6.3.8", "login_failure_indistinguishable"
    ),
    "cookie_credentials_httponly": Case("credential cookies are HttpOnly", f"{ASVS} V3.3.4", "cookie_httponly"),
    "cookie_auth_csrf_protected": Case(
        "cookie-authenticated unsafe requests need CSRF proof", f"{ASVS} V3.5.1", "csrf_enforced_for_cookie_auth"
    ),
    "refresh_revoked_at_logout": Case(
        "logout revokes the refresh token", f"{RFC8725}; {ASVS} V7.4.1", "refresh_revoked_on_logout"
    ),
    "password_change_needs_current": Case(
        "password change asks for the current password", f"{ASVS} V6.2.3", "password_change_requires_current_password"
    ),
}
