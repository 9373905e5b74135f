"""Posture cases about accounts: enumeration, brute force, password rules, usernames, what answers echo."""

from __future__ import annotations

from harness.cases import ASVS, CHEAT, Case

FORGOT = "OWASP Forgot Password Cheat Sheet"
CSRF = "OWASP CSRF Prevention Cheat Sheet"

CASES: dict[str, Case] = {
    # Authentication (ASVS V6)
    "password_reset_does_not_reveal_users": Case(
        "password reset answers alike for known and unknown emails", f"{ASVS} V6.3.8"
    ),
    "registration_does_not_reveal_emails": Case(
        "registering a taken email is not told apart from a fresh one, by status or body", f"{ASVS} V6.3.8"
    ),
    "brute_force_throttled": Case("20 wrong passwords on one account meet a 429 or a lockout", f"{ASVS} V6.3.1"),
    # On the production profile, where each library's own limits apply (shared_tests/test_posture_accounts.py)
    "brute_force_does_not_lock_out_owner": Case(
        "after 20 wrong passwords from a stranger, the owner still logs in from another address", f"{ASVS} V6.1.1"
    ),
    "password_spraying_throttled": Case(
        "one wrong password across 20 accounts from one client meets a 429 or a block of that client",
        f"{ASVS} V6.3.1",
    ),
    "password_change_refuses_wrong_current_password": Case(
        "a password change with a wrong current password is refused and changes nothing", f"{ASVS} V6.2.3"
    ),
    "login_replaces_planted_credentials": Case(
        "a credential or cookie sent with a login is not the one issued and does not authenticate the user after",
        f"{ASVS} V7.2.4",
    ),
    # Password reset (shared_tests/test_posture_reset.py)
    "reset_link_single_use": Case("a mailed reset link sets a password once; the second use is refused", FORGOT),
    "reset_link_expires": Case("a reset link past the reset lifetime is refused", FORGOT),
    "reset_link_invalidated_by_login": Case("a reset link mailed before a successful login is refused", "CWE-640"),
    "reset_link_invalidated_by_password_change": Case(
        "a reset link mailed before a password change is refused", "CWE-640"
    ),
    "reset_requests_throttled": Case("10 reset requests for one address send fewer than 10 mails", f"{ASVS} V2.4.1"),
    # Cookies (shared_tests/test_posture_cookies.py); n/a where no login sets a credential cookie
    "login_csrf_refused": Case(
        "a cross-site form login (form-encoded or text/plain) sets no authenticating cookie", f"{CSRF} (login CSRF)"
    ),
    "cookie_password_change_needs_csrf": Case(
        "a cookie-authenticated form-encoded password change without CSRF proof changes nothing", f"{ASVS} V3.5.1"
    ),
    "credential_cookies_samesite": Case("credential cookies carry SameSite=Lax or Strict", f"{ASVS} V3.3.2"),
    "credential_cookies_secure_in_production": Case(
        "credential cookies carry Secure in the production profile", f"{ASVS} V3.3.1"
    ),
    "password_64_chars_accepted": Case("a 64-character password is accepted", f"{ASVS} V6.2.9"),
    "password_128_chars_accepted": Case("a 128-character password is accepted", f"{ASVS} V6.2.9"),
    "password_1mb_rejected": Case("a 1 MB password is refused with a 4xx", f"{CHEAT} (long password DoS)"),
    "password_unicode_accepted": Case("a password of non-ASCII characters works for login", f"{ASVS} V6.2.5"),
    "password_not_truncated": Case("a 100-character password's 72-character prefix does not log in", f"{ASVS} V6.2.8"),
    "username_case_variant_refused": Case(
        "'Alice' cannot register beside 'alice'", f"{CHEAT} (case-insensitive user IDs)"
    ),
    "username_confusable_refused": Case("a Cyrillic look-alike of a taken username is refused", "UTS #39"),
    "username_fullwidth_variant_refused": Case(
        "a fullwidth (NFKC-equal) twin of a taken username is refused", "UAX #15 NFKC"
    ),
    "password_not_echoed": Case("no answer of register or login contains the password", "CWE-200"),
    "credential_response_not_cacheable": Case(
        "answers carrying a credential send Cache-Control: no-store", f"{ASVS} V14.3.2"
    ),
    "nosniff_header_sent": Case("answers send X-Content-Type-Options: nosniff", f"{ASVS} V3.4.4"),
    "login_refuses_get": Case("login by GET with credentials in the query is refused", f"{ASVS} V14.2.1"),
}
