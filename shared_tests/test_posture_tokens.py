"""Posture: forged and misused tokens (RFC 8725, ASVS V9) and credentials where they do not belong.

The JWT cases take a genuine access token of the variant and alter one thing at a time (algorithm,
signature, payload, type); every altered token must be refused. On opaque tokens they are not applicable.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from harness.client import ContractClient
from harness.posture import NOT_APPLICABLE, PostureCheck
from shared_tests.observe import is_jwt, refused

pytestmark = pytest.mark.posture


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _with(token: str, header: dict | None = None, payload: dict | None = None, signature: str | None = None) -> str:
    head, body, sig = token.split(".")
    return ".".join(
        (
            _b64(json.dumps(header).encode()) if header is not None else head,
            _b64(json.dumps(payload).encode()) if payload is not None else body,
            sig if signature is None else signature,
        )
    )


def _jwt_or_skip(client: ContractClient, posture: PostureCheck) -> str | None:
    token = client.credentials["access"]
    if not is_jwt(token):
        posture.verify(NOT_APPLICABLE, "the access credential is an opaque token")
        return None
    return token


def _forgeries_refused(client: ContractClient, posture: PostureCheck, forged: dict[str, str]) -> None:
    answers = {name: client.send("me", credential=token).status for name, token in forged.items()}
    posture.passes_if(all(status in (400, 401, 403) for status in answers.values()), f"statuses: {answers}")


def test_jwt_alg_none_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        _forgeries_refused(signed_up, posture, {"none": _with(token, {"alg": "none", "typ": "JWT"}, signature="")})


def test_jwt_alg_none_case_variants_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        forged = {alg: _with(token, {"alg": alg, "typ": "JWT"}, signature="") for alg in ("None", "NONE", "nOnE")}
        _forgeries_refused(signed_up, posture, forged)


def test_jwt_algorithm_swap_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        header = _segment(token, 0)
        swaps = ["HS512", "RS256"] if header["alg"].startswith("HS") else ["HS256", "HS512"]
        _forgeries_refused(signed_up, posture, {alg: _with(token, {**header, "alg": alg}) for alg in swaps})


def test_jwt_tampered_signature_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        signature = token.split(".")[2]
        middle = len(signature) // 2  # not the last character, whose low bits may be padding
        flipped = signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1 :]
        _forgeries_refused(signed_up, posture, {"flipped": _with(token, signature=flipped)})


def test_jwt_tampered_payload_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        payload = _segment(token, 1)
        subject = next((key for key in ("user_id", "sub") if key in payload), None)
        payload[subject or "user_id"] = "1"
        _forgeries_refused(signed_up, posture, {f"{subject}=1": _with(token, payload=payload)})


def test_jwt_claim_removed_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        payload = {key: value for key, value in _segment(token, 1).items() if key != "exp"}
        _forgeries_refused(signed_up, posture, {"no exp": _with(token, payload=payload)})


def test_jwt_unsigned_header_only_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        _forgeries_refused(signed_up, posture, {"empty signature": _with(token, signature="")})


def test_jwt_refresh_as_access_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    if _jwt_or_skip(signed_up, posture) is None:
        return
    refresh = signed_up.credentials.get("refresh")
    if not refresh:
        posture.verify(NOT_APPLICABLE, "no refresh token was issued")
        return
    _forgeries_refused(signed_up, posture, {"refresh token": refresh})


def test_jwt_access_lifetime_at_most_1h(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        payload = _segment(token, 1)
        lifetime = payload.get("exp", float("inf")) - payload.get("iat", 0)
        posture.passes_if(lifetime <= 3600, f"exp - iat = {lifetime} s")


def test_jwt_payload_has_no_personal_data(signed_up: ContractClient, posture: PostureCheck) -> None:
    if token := _jwt_or_skip(signed_up, posture):
        payload = _segment(token, 1)
        email = signed_up.user_field(signed_up.me(), "email")
        leaked = ["email"] if email and email in json.dumps(payload) else []
        leaked += [key for key in payload if "password" in key.lower()]
        posture.passes_if(not leaked, f"claims {sorted(payload)}; personal data: {leaked or 'none'}")


def test_credential_not_accepted_in_query_string(signed_up: ContractClient, posture: PostureCheck) -> None:
    token = signed_up.credentials["access"]
    params = {name: token for name in ("token", "access_token", "auth_token", "key", "jwt")}
    reply = signed_up.send("me", credential=None, params=params)
    posture.passes_if(refused(reply), f"GET me?token=…: {reply.describe()}")
