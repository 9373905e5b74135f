"""Posture cases about credentials themselves: JWT forgeries and claims, where a credential may travel."""

from __future__ import annotations

from harness.cases import ASVS, RFC8725, Case

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
}
