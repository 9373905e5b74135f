"""Posture: JWTs forged without any key (RFC 8725, ASVS V9), token types, and credentials where they do not belong.

The forgeries here need only the variant's genuine access token, so they run against a `--base-url` deployment
too. Every way of reusing or dropping the genuine signature is one property, "the signature is verified", and one
case; alg=none in its spellings is another. Cases that mint tokens with a key live in test_posture_jwt_headers.py
and test_posture_jwt_claims.py. On opaque tokens the JWT cases find n/a (pinned by the credential_kind claim).
"""

from __future__ import annotations

import json
import time

import pytest

from harness.client import ContractClient
from harness.posture import NOT_APPLICABLE, PostureCheck
from shared_tests.jwt_mint import answers, b64, genuine_jwt, segment
from shared_tests.observe import refused

pytestmark = pytest.mark.posture


def _jwt_or_na(client: ContractClient, posture: PostureCheck) -> str | None:
    token = genuine_jwt(client)
    if token is None:
        posture.verify(NOT_APPLICABLE, "the access credential is an opaque token")
    return token


def _with(token: str, header: dict | None = None, payload: dict | None = None, signature: str | None = None) -> str:
    """The token with one part replaced and the others kept byte for byte (so the genuine signature is reused)."""
    head, body, sig = token.split(".")
    return ".".join(
        (
            b64(json.dumps(header).encode()) if header is not None else head,
            b64(json.dumps(payload).encode()) if payload is not None else body,
            sig if signature is None else signature,
        )
    )


def test_jwt_signature_verified(signed_up: ContractClient, posture: PostureCheck) -> None:
    if not (token := _jwt_or_na(signed_up, posture)):
        return
    header, payload = segment(token, 0), segment(token, 1)
    signature = token.split(".")[2]
    middle = len(signature) // 2  # not the last character, whose low bits may be padding
    flipped = signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1 :]
    subject = next((key for key in ("user_id", "sub") if key in payload), "user_id")
    swaps = ["HS512", "RS256"] if header["alg"].startswith("HS") else ["HS256", "RS512"]
    forged = {
        "signature flipped": _with(token, signature=flipped),
        "signature dropped": _with(token, signature=""),
        f"{subject}=1, genuine signature": _with(token, payload={**payload, subject: "1"}),
        "exp removed, genuine signature": _with(token, payload={k: v for k, v in payload.items() if k != "exp"}),
        "exp a year later, genuine signature": _with(token, payload={**payload, "exp": payload["exp"] + 31536000}),
        **{f"alg={alg}, genuine signature": _with(token, header={**header, "alg": alg}) for alg in swaps},
    }
    posture.passes_if(*answers(signed_up, forged))


def test_jwt_alg_none_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if not (token := _jwt_or_na(signed_up, posture)):
        return
    forged = {
        f"alg={alg}": _with(token, {"alg": alg, "typ": "JWT"}, signature="") for alg in ("none", "None", "NONE", "nOnE")
    }
    # The same with the genuine signature still attached: a verifier that skips "none" must not read it either.
    forged["alg=none, genuine signature kept"] = _with(token, {"alg": "none", "typ": "JWT"})
    posture.passes_if(*answers(signed_up, forged))


def test_jwt_refresh_as_access_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if not _jwt_or_na(signed_up, posture):
        return
    refresh = signed_up.credentials.get("refresh")
    if not refresh:
        posture.verify(NOT_APPLICABLE, "no refresh token was issued")
        return
    posture.passes_if(*answers(signed_up, {"genuine refresh token": refresh}))


def test_jwt_access_as_refresh_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if not (token := _jwt_or_na(signed_up, posture)):
        return
    if not signed_up.manifest.has_operation("refresh"):
        posture.verify(NOT_APPLICABLE, "the variant binds no refresh operation")
        return
    # A client with no cookies: the access token in the refresh field is all it sends.
    reply = signed_up.fresh().send("refresh", {"refresh": token})
    ok = 400 <= reply.status < 500
    posture.passes_if(ok, f"the access token sent as the refresh token: {reply.describe()}")


def test_jwt_access_lifetime_at_most_1h(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_na(signed_up, posture):
        payload = segment(token, 1)
        # A token without iat (simplejwt before 5.0) is measured from now: it was issued moments ago, at sign-up.
        issued = payload.get("iat")
        lifetime = payload.get("exp", float("inf")) - (issued if issued is not None else time.time())
        since = "iat" if issued is not None else "now (no iat claim)"
        posture.passes_if(lifetime <= 3600, f"exp - {since} = {lifetime:.0f} s")


def test_jwt_payload_has_no_personal_data(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_na(signed_up, posture):
        payload = segment(token, 1)
        email = signed_up.user_field(signed_up.me(), "email")
        leaked = ["email"] if email and email in json.dumps(payload) else []
        leaked += [key for key in payload if "password" in key.lower()]
        posture.passes_if(not leaked, f"claims {sorted(payload)}; personal data: {leaked or 'none'}")


def test_credential_not_accepted_in_query_string(signed_up: ContractClient, posture: PostureCheck) -> None:
    token = signed_up.credentials["access"]
    params = {name: token for name in ("token", "access_token", "auth_token", "key", "jwt")}
    reply = signed_up.send("me", credential=None, params=params)
    posture.passes_if(refused(reply), f"GET me?token=…: {reply.describe()}")
