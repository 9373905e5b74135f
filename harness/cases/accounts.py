"""Posture cases about accounts: enumeration, brute force, password rules, usernames, what answers echo."""

from __future__ import annotations

from harness.cases import ASVS, CHEAT, Case

CASES: dict[str, Case] = {
    # Authentication (ASVS V6)
    "password_reset_does_not_reveal_users": Case(
        "password reset answers alike for known and unknown emails", f"{ASVS} V6.3.8; {CHEAT}"
    ),
    "registration_does_not_reveal_emails": Case(
        "registering a taken email is not told apart from a fresh one", f"{ASVS} V6.3.8"
    ),
    "brute_force_throttled": Case(
        "20 wrong passwords on one account meet a 429 or a lockout", f"{ASVS} V6.3.1; {CHEAT}"
    ),
    "password_64_chars_accepted": Case("a 64-character password is accepted", f"{ASVS} V6.2.9"),
    "password_128_chars_accepted": Case("a 128-character password is accepted", f"{ASVS} V6.2.9; {CHEAT}"),
    "password_1mb_rejected": Case("a 1 MB password is refused with a 4xx", f"{CHEAT} (long password DoS)"),
    "password_unicode_accepted": Case("a password of non-ASCII characters works for login", f"{ASVS} V6.2.10"),
    "password_not_truncated": Case(
        "a 100-character password's 72-character prefix does not log in", f"{CHEAT} (bcrypt truncation)"
    ),
    "username_case_variant_refused": Case(
        "'Alice' cannot register beside 'alice'", f"{CHEAT} (case-insensitive user IDs)"
    ),
    "username_confusable_refused": Case("a Cyrillic look-alike of a taken username is refused", f"{CHEAT}; UTS #39"),
    "username_fullwidth_variant_refused": Case(
        "a fullwidth (NFKC-equal) twin of a taken username is refused", "UAX #15 NFKC"
    ),
    "password_not_echoed": Case("no answer of register or login contains the password", f"{ASVS} V6.x; V14"),
    "credential_response_not_cacheable": Case(
        "answers carrying a credential send Cache-Control: no-store", f"{ASVS} V14.3.2; RFC 6749 5.1"
    ),
    "nosniff_header_sent": Case("answers send X-Content-Type-Options: nosniff", f"{ASVS} V3.4.x"),
    "login_refuses_get": Case("login by GET with credentials in the query is refused", f"{ASVS} V7.2.x"),
}
