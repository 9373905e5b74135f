"""Posture: claims of access tokens signed with the server's own key (ASVS V9.2, V7.3.2; RFC 8725 §3.8, §3.11).

Each token is the variant's genuine access token with one claim changed and signed again with the key the harness
gave the server, so only the validation of that claim can refuse it; `server_key` first proves the key by getting
an unchanged re-signed copy accepted. These cases need a server the harness started (`own_server`): against a
`--base-url` deployment the harness holds no key, and they skip saying so.
Times are relative to the token's own `iat` (the server's clock at login, the same machine's) with margins of
10 s and more, never raced against a wall clock; the declared leeway (manifest `jwt.leeway`) widens each margin.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from harness.client import ContractClient
from harness.posture import FAIL, NOT_APPLICABLE, PostureCheck
from harness.server import Server
from shared_tests.jwt_mint import ServerKey, answers, genuine_jwt, segment, server_key

pytestmark = pytest.mark.posture

MARGIN = 10  # seconds beyond the leeway: far above any clock step between login and the request
HOUR = 3600


def _minted(
    client: ContractClient, server: Server, posture: PostureCheck
) -> tuple[ServerKey, dict[str, Any], dict[str, Any]] | None:
    """(the proven server key, the genuine header, the genuine payload), or None once the case found n/a."""
    token = genuine_jwt(client)
    if token is None:
        posture.verify(NOT_APPLICABLE, "the access credential is an opaque token")
        return None
    return server_key(client, server), segment(token, 0), segment(token, 1)


def _now(payload: dict[str, Any]) -> int:
    return max(int(time.time()), int(payload.get("iat", 0)))


def _lifetime(payload: dict[str, Any]) -> int:
    return int(payload.get("exp", 0)) - int(payload.get("iat", 0)) or 300


def _refused_with(client: ContractClient, posture: PostureCheck, key: ServerKey, header: dict, tokens: dict) -> None:
    forged = {name: key.sign(payload, header) for name, payload in tokens.items()}
    posture.passes_if(*answers(client, forged))


def test_jwt_without_exp_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if minted := _minted(signed_up, own_server, posture):
        key, header, payload = minted
        without = {name: value for name, value in payload.items() if name != "exp"}
        _refused_with(signed_up, posture, key, header, {"no exp": without})


def test_jwt_future_nbf_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if minted := _minted(signed_up, own_server, posture):
        key, header, payload = minted
        nbf = _now(payload) + key.leeway + HOUR
        future = {**payload, "nbf": nbf}
        _refused_with(signed_up, posture, key, header, {f"nbf = now + {nbf - _now(payload)} s": future})


def test_jwt_future_iat_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if minted := _minted(signed_up, own_server, posture):
        key, header, payload = minted
        iat = _now(payload) + key.leeway + HOUR
        future = {**payload, "iat": iat, "exp": iat + _lifetime(payload)}
        _refused_with(signed_up, posture, key, header, {f"iat = now + {iat - _now(payload)} s": future})


def test_jwt_expired_past_leeway_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if minted := _minted(signed_up, own_server, posture):
        key, header, payload = minted
        exp = _now(payload) - key.leeway - MARGIN
        expired = {**payload, "exp": exp, "iat": exp - _lifetime(payload)}
        label = f"exp = now - {key.leeway} s leeway - {MARGIN} s"
        _refused_with(signed_up, posture, key, header, {label: expired})


def test_jwt_untyped_token_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if not (minted := _minted(signed_up, own_server, posture)):
        return
    key, header, payload = minted
    # The type claim is found, not named: the claim whose value says "access" (simplejwt token_type, allauth token_use).
    typed = [name for name, value in payload.items() if value == "access"]
    if not typed:
        posture.verify(FAIL, f"no claim of the access token names its type: claims {sorted(payload)}")
        return
    tokens = {f"no {typed[0]}": {k: v for k, v in payload.items() if k != typed[0]}}
    tokens.update({f"{typed[0]}={other!r}": {**payload, typed[0]: other} for other in ("refresh", "id", "")})
    _refused_with(signed_up, posture, key, header, tokens)


def _subject_claim(client: ContractClient, payload: dict[str, Any]) -> tuple[str, Any]:
    """The claim naming the user, found by the user's id in the current-user answer."""
    user_id = client.user_field(client.me(), "id")
    named = [name for name, value in payload.items() if str(value) == str(user_id)]
    assert named, f"[{client.variant}] no claim of {sorted(payload)} holds the user's id {user_id!r}"
    return named[0], user_id


def test_jwt_deleted_user_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if not (minted := _minted(signed_up, own_server, posture)):
        return
    key, header, payload = minted
    claim, user_id = _subject_claim(signed_up, payload)
    # An id no account has: to the server, a deleted user's row and a never-created one are the same absence.
    gone = int(user_id) + 1_000_000
    value: Any = str(gone) if isinstance(payload[claim], str) else gone
    tokens = {
        f"{claim}={value!r} (no such user)": {**payload, claim: value},
        f"{claim}='not-an-id' (no such user, not even an id)": {**payload, claim: "not-an-id"},
    }
    _refused_with(signed_up, posture, key, header, tokens)


def test_jwt_foreign_issuer_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if minted := _minted(signed_up, own_server, posture):
        key, header, payload = minted
        foreign = {**payload, "iss": "https://attacker.example/"}
        genuine = f"genuine iss: {payload.get('iss', 'none')}"
        _refused_with(signed_up, posture, key, header, {f"iss=https://attacker.example/ ({genuine})": foreign})


def test_jwt_foreign_audience_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if minted := _minted(signed_up, own_server, posture):
        key, header, payload = minted
        foreign = {**payload, "aud": "https://another-service.example/"}
        genuine = f"genuine aud: {payload.get('aud', 'none')}"
        _refused_with(signed_up, posture, key, header, {f"aud=another-service ({genuine})": foreign})
