"""The loopback OpenID Connect provider's faults are the faults they claim to be, and nothing else.

A social capability cell that says a bad id_token was "refused" is evidence only if the token was bad in exactly
the named way: a token that were broken some other way (unparseable, unsigned) would be refused by every library
and prove nothing about the check the cell names. So the provider's own tokens are verified here against its
published JWKS: a clean one passes every check; each fault fails exactly its own (signature, audience, expiry).
"""

from __future__ import annotations

import jwt
import pytest
import requests

from harness import oidc


def _issued(client_env: dict[str, str], fault: str | None) -> str:
    oidc.set_fault(client_env, fault)
    try:
        verifier, challenge = oidc.pkce_pair()
        back = oidc.UserAgent(oidc.new_user("h")).authorize(
            oidc.authorization_url(client_env, state="s", nonce="n", challenge=challenge)
        )
        return oidc.exchange(client_env, back["code"], verifier)["id_token"]
    finally:
        oidc.set_fault(client_env, None)


@pytest.fixture(scope="module")
def client_env() -> dict[str, str]:
    return oidc.register("harness-tests-faults")


def _verify(client_env: dict[str, str], token: str, **options: bool) -> dict:
    discovery = requests.get(f"{client_env[oidc.URL_ENV]}/.well-known/openid-configuration", timeout=30).json()
    key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(token).key
    return jwt.decode(
        token, key, algorithms=["RS256"], audience=client_env[oidc.CLIENT_ID_ENV], issuer=discovery["issuer"],
        options={"verify_signature": True, "verify_aud": True, "verify_exp": True, **options},
    )  # fmt: skip


def test_a_clean_id_token_passes_every_check(client_env: dict[str, str]) -> None:
    claims = _verify(client_env, _issued(client_env, None))
    assert claims["nonce"] == "n" and claims["email_verified"] is True


@pytest.mark.parametrize(
    ("fault", "error", "unchecked"),
    [
        ("bad_signature", jwt.InvalidSignatureError, "verify_signature"),
        ("wrong_audience", jwt.InvalidAudienceError, "verify_aud"),
        ("expired", jwt.ExpiredSignatureError, "verify_exp"),
    ],
)
def test_each_fault_breaks_exactly_its_own_check(
    client_env: dict[str, str], fault: str, error: type[Exception], unchecked: str
) -> None:
    token = _issued(client_env, fault)
    with pytest.raises(error):
        _verify(client_env, token)
    _verify(client_env, token, **{unchecked: False})  # every other check still passes
