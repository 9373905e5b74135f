"""Posture cases about credentials themselves: JWT forgeries and claims, where a credential may travel.

One property per case, and one reference per property. Forgeries that keep or drop the genuine signature are one
case (the signature is verified); the others mint tokens: with a key only the test holds (alg none, an embedded
`jwk`, `jku`/`x5u` URLs, a `kid` pointing elsewhere, the RS256 public key as an HMAC secret) or with the server's
own key, which the harness gives every server it starts (tokens only a key holder could make: no `exp`, a future
`nbf`, another audience...), so those test the validation rules rather than the key's secrecy.
"""

from __future__ import annotations

from harness.cases import ASVS, RFC8725, Case

JWT = "jwt"

CASES: dict[str, Case] = {
    # Forged without the key (shared_tests/test_posture_tokens.py)
    "jwt_signature_verified": Case(
        "a JWT whose payload, header or signature was altered (or whose signature was dropped) is refused",
        f"{ASVS} V9.1.1",
        credential_kind=JWT,
    ),
    "jwt_alg_none_rejected": Case(
        "a JWT re-labelled alg=none (none/None/NONE/nOnE) without signature is refused",
        f"{ASVS} V9.1.2",
        credential_kind=JWT,
    ),
    "jwt_refresh_as_access_rejected": Case(
        "a refresh token, genuine or minted with the server's key, is refused as an access token",
        f"{ASVS} V9.2.2",
        credential_kind=JWT,
    ),
    "jwt_access_as_refresh_rejected": Case(
        "an access token is refused by the refresh operation", f"{RFC8725} 3.12", credential_kind=JWT
    ),
    "jwt_access_lifetime_at_most_1h": Case(
        "access tokens live at most an hour (exp - iat)", f"{ASVS} V7.3.2", credential_kind=JWT
    ),
    "jwt_payload_has_no_personal_data": Case(
        "the JWT payload carries no email or password", f"{ASVS} V14.2.6", credential_kind=JWT
    ),
    # Headers that name another key or algorithm (shared_tests/test_posture_jwt_headers.py)
    "jwt_other_algorithm_rejected": Case(
        "a token signed with the server's own key under another algorithm (HS512, RS512, PS256) is refused",
        f"{RFC8725} 3.1",
        credential_kind=JWT,
    ),
    "jwt_key_confusion_rejected": Case(
        "an RS256 variant refuses an HS256 token whose HMAC secret is its RSA public key",
        f"{RFC8725} 2.1",
        credential_kind=JWT,
    ),
    "jwt_embedded_jwk_ignored": Case(
        "a token signed by an attacker's key and carrying that key in a `jwk` header is refused",
        f"{ASVS} V9.1.3",
        credential_kind=JWT,
    ),
    "jwt_jku_not_followed": Case(
        "a `jku` header pointing at the attacker's JWK set is neither fetched nor trusted",
        f"{RFC8725} 3.10",
        credential_kind=JWT,
    ),
    "jwt_x5u_not_followed": Case(
        "an `x5u` header pointing at the attacker's certificate is neither fetched nor trusted",
        f"{RFC8725} 3.10",
        credential_kind=JWT,
    ),
    "jwt_kid_injection_refused": Case(
        "`kid` path traversal (../../../../dev/null) and SQL-ish values with attacker-chosen keys are refused, no 5xx",
        f"{RFC8725} 3.10",
        credential_kind=JWT,
    ),
    # Claims of tokens signed with the server's key (shared_tests/test_posture_jwt_claims.py)
    "jwt_without_exp_rejected": Case(
        "a validly signed access token without `exp` (one that never expires) is refused",
        f"{ASVS} V7.3.2",
        credential_kind=JWT,
    ),
    "jwt_future_nbf_rejected": Case(
        "a validly signed access token whose `nbf` is an hour ahead is refused", f"{ASVS} V9.2.1", credential_kind=JWT
    ),
    "jwt_future_iat_rejected": Case(
        "a validly signed access token issued an hour in the future (`iat`) is refused",
        f"{ASVS} V9.2.1",
        credential_kind=JWT,
    ),
    "jwt_expired_past_leeway_rejected": Case(
        "a validly signed access token whose `exp` passed just beyond the declared leeway is refused",
        f"{ASVS} V9.2.1",
        credential_kind=JWT,
    ),
    "jwt_untyped_token_rejected": Case(
        "a validly signed access token without its type claim (token_type, token_use) is refused",
        f"{RFC8725} 3.11",
        credential_kind=JWT,
    ),
    "jwt_deleted_user_rejected": Case(
        "a validly signed access token naming a user who does not exist (deleted) is refused, no 5xx",
        f"{RFC8725} 3.8",
        credential_kind=JWT,
    ),
    "jwt_foreign_issuer_rejected": Case(
        "a validly signed access token naming another issuer (`iss`) is refused", f"{RFC8725} 3.8", credential_kind=JWT
    ),
    "jwt_foreign_audience_rejected": Case(
        "a validly signed access token meant for another service (`aud`) is refused",
        f"{ASVS} V9.2.3",
        credential_kind=JWT,
    ),
    # Not JWT-specific
    "credential_not_accepted_in_query_string": Case("a credential in the URL query is not accepted", f"{ASVS} V14.2.1"),
}
