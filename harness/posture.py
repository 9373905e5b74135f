"""The security posture battery: cases drawn from OWASP ASVS 5.0, RFC 8725 and OWASP cheat sheets.

Each case is observed per variant as a finding: `pass`, `fail` or `n/a` (the case cannot apply, e.g. a JWT
attack on an opaque token), with the evidence behind it. A variant expects `pass` on every case unless its
manifest's `[posture]` table declares `case = { expect = "fail" | "n/a", reason = "...", upstream = "..." }`;
the test fails when the finding differs from that expectation, so a new weakness, a fixed one and a case that
stops (or starts) applying all turn red.
Cases marked `capability` are not re-observed: the report derives them from the verified capability matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.manifest import Manifest, ManifestError

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "n/a"
ASVS, RFC8725, CHEAT = "ASVS 5.0", "RFC 8725", "OWASP Authentication Cheat Sheet"


@dataclass(frozen=True)
class Case:
    title: str
    reference: str
    capability: str | None = None  # derived: passes when the capability's observed value equals `passes_when`
    passes_when: Any = True
    credential_kind: str | None = None  # applies only where the variant's verified credential_kind claim is this


CASES: dict[str, Case] = {
    # Self-contained tokens (ASVS V9, RFC 8725)
    "jwt_alg_none_rejected": Case(
        "a JWT re-labelled alg=none without signature is refused",
        f"{RFC8725} 3.1; {ASVS} V9.1.2",
        credential_kind="jwt",
    ),
    "jwt_alg_none_case_variants_rejected": Case(
        "alg None/NONE/nOnE is refused too", f"{RFC8725} 3.1", credential_kind="jwt"
    ),
    "jwt_algorithm_swap_rejected": Case(
        "a JWT whose header names another algorithm is refused",
        f"{RFC8725} 2.1, 3.1; {ASVS} V9.1.2",
        credential_kind="jwt",
    ),
    "jwt_tampered_signature_rejected": Case(
        "a JWT with an altered signature is refused", f"{ASVS} V9.1.1", credential_kind="jwt"
    ),
    "jwt_tampered_payload_rejected": Case(
        "a JWT whose subject was changed is refused", f"{ASVS} V9.1.1", credential_kind="jwt"
    ),
    "jwt_claim_removed_rejected": Case(
        "a JWT with its exp claim removed is refused", f"{RFC8725} 3.10; {ASVS} V9.2.1", credential_kind="jwt"
    ),
    "jwt_refresh_as_access_rejected": Case(
        "a refresh token presented as an access token is refused",
        f"{RFC8725} 3.11; {ASVS} V9.2.2",
        credential_kind="jwt",
    ),
    "jwt_unsigned_header_only_rejected": Case(
        "a JWT with an empty signature segment is refused", f"{RFC8725} 3.1", credential_kind="jwt"
    ),
    "jwt_access_lifetime_at_most_1h": Case(
        "access tokens live at most an hour (exp - iat)", f"{ASVS} V7.3.2; {RFC8725} 3.10", credential_kind="jwt"
    ),
    "jwt_payload_has_no_personal_data": Case(
        "the JWT payload carries no email, name or password", f"{ASVS} V9.2.4; {RFC8725} 3.2", credential_kind="jwt"
    ),
    "credential_not_accepted_in_query_string": Case(
        "a credential in the URL query is not accepted", f"{ASVS} V7.2.x; OWASP REST cheat sheet"
    ),
    # Authentication (ASVS V6)
    "login_timing_does_not_reveal_users": Case(
        "median login time: unknown user vs wrong password within 25 %", f"{ASVS} V6.3.8; {CHEAT}"
    ),
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
    # Robustness of input (ASVS V1/V2 input handling) — a 5xx is always a fail
    "oversized_body_rejected": Case("a 3 MB JSON body gets a 4xx, not a 5xx", f"{ASVS} V2.x; CWE-400"),
    "deeply_nested_json_rejected": Case("JSON nested 100,000 deep gets a 4xx, not a 5xx", "CWE-674"),
    "wrong_content_type_rejected": Case("a text/plain or XML body gets a 415/4xx", f"{ASVS} V4.x"),
    "null_byte_in_username_rejected": Case("a NUL byte in a username gets a 4xx, not a 5xx", "CWE-158"),
    "overlong_username_rejected": Case("a 10,000-character username gets a 4xx", "CWE-400"),
    "header_credential_with_nul_rejected": Case(
        "a NUL byte in the credential header gets the unauthenticated answer", "CWE-113"
    ),
    "header_credential_overlong_rejected": Case("a 6 KB credential gets the unauthenticated answer", "CWE-400"),
    "header_scheme_without_credential_rejected": Case(
        "a bare auth scheme with no credential gets a 4xx", "RFC 9110 11.6.2"
    ),
    "header_credential_with_spaces_rejected": Case(
        "a credential split by spaces gets the unauthenticated answer", "RFC 9110 11.6.2"
    ),
    "error_answers_leak_no_traceback": Case("error answers carry no traceback or settings", f"{ASVS} V16.5.x"),
    "fuzzing_finds_no_server_error": Case(
        "schema-driven fuzzing of the contract operations meets no 5xx (harness/fuzz.py)",
        f"{ASVS} V16.5.x; schemathesis not_a_server_error",
    ),
    # Robustness under concurrency, load and faults (shared_tests/test_robustness.py)
    "concurrent_registration_creates_one_account": Case(
        "20 simultaneous sign-ups of one username: one account, no 5xx", "CWE-362; ASVS 5.0 V2.x"
    ),
    "concurrent_logins_issue_credentials_as_declared": Case(
        "20 simultaneous logins of one user all succeed", "CWE-362"
    ),
    "soak_has_no_server_errors_and_loses_no_account": Case(
        "a bounded mixed load: no 5xx, every successful sign-up stored", "CWE-400; ASVS 5.0 V16.x"
    ),
    "database_connections_killed_mid_load_recover": Case(
        "killed DB connections mid-load: recovery, at most 2 errors", "ASVS 5.0 V16.5.x"
    ),
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


def expectation(manifest: Manifest, case: str) -> tuple[str, str]:
    """(expected finding, reason) of `case` for the variant: `pass` unless its manifest declares otherwise."""
    if case not in CASES:
        raise ManifestError(f"{manifest.path}: unknown posture case {case!r}")
    declared = manifest.data.get("posture", {}).get(case)
    kind = CASES[case].credential_kind
    if declared is None and kind:
        # Pinned by a claim the capability matrix verifies over HTTP, so the n/a cannot drift from the server.
        claimed = manifest.capabilities.get("credential_kind")
        claimed = claimed.get("claim") if isinstance(claimed, dict) else claimed
        if claimed != kind:
            return NOT_APPLICABLE, f"the access credential is {claimed} (credential_kind), not a {kind}"
    if declared is None:
        return PASS, ""
    if declared.get("expect") not in (PASS, FAIL, NOT_APPLICABLE) or not declared.get("reason"):
        raise ManifestError(f"{manifest.path}: posture.{case} needs expect = 'pass' | 'fail' | 'n/a' and a reason")
    return declared["expect"], declared["reason"] + (f" ({declared['upstream']})" if declared.get("upstream") else "")


def derived(case: Case, observed: Any) -> str:
    """The finding of a case derived from a capability's observed value."""
    if observed == NOT_APPLICABLE:
        return NOT_APPLICABLE
    return PASS if observed == case.passes_when else FAIL


@dataclass
class PostureCheck:
    """One case of the battery for one variant: `verify` a finding against the variant's expectation."""

    manifest: Manifest
    case: str
    record: Any  # Callable[[dict[str, Any]], None]

    def verify(self, finding: str, evidence: str) -> None:
        expected, reason = expectation(self.manifest, self.case)
        entry = {"id": self.case, "finding": finding, "expected": expected, "reason": reason, "evidence": evidence}
        self.record(entry)
        # n/a is pinned like the other findings: a case that stops applying (an attack no longer tried because
        # the credential changed kind) fails as loudly as a new weakness.
        assert finding == expected, (
            f"[{self.manifest.variant}] posture {self.case} ({CASES[self.case].reference}): expected {expected}, "
            f"found {finding}: {evidence}" + (f"; declared because {reason}" if reason else "")
        )

    def passes_if(self, condition: bool, evidence: str) -> None:
        self.verify(PASS if condition else FAIL, evidence)
