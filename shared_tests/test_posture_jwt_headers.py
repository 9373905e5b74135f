"""Posture: JWT headers that name another algorithm or another key (RFC 8725 §2.1, §3.1, §3.10; ASVS V9.1.3).

Each token keeps the genuine payload (valid claims, the right subject), so only the key or algorithm is wrong.
`jwk` and `kid` attacks use keys only the test holds and run against deployments too; the others need a server
the harness started: another algorithm under the server's own key and the RS256 public key as an HMAC secret
need its key, and a `jku`/`x5u` URL points at a listener on 127.0.0.1, which only a local server can reach (the
listener records every request; any request at all fails the case, whatever the answer to the token).
"""

from __future__ import annotations

import json

import pytest
import requests

from harness.client import ContractClient
from harness.posture import NOT_APPLICABLE, PostureCheck
from harness.server import Server
from shared_tests.jwt_mint import (
    Listener,
    answers,
    attacker_certificate_pem,
    attacker_jwk,
    attacker_sign,
    b64,
    genuine_jwt,
    hs_sign,
    key_confusion_secrets,
    segment,
    server_key,
)

pytestmark = pytest.mark.posture

ATTACKER_SECRET = b"attacker-chosen-hmac-secret-0123456789"
KID_VALUES = (
    "../../../../../../../../dev/null",
    "/dev/null",
    "' OR '1'='1",
    "x' UNION SELECT 'attacker-chosen-hmac-secret-0123456789' -- ",
    "1; DROP TABLE auth_user; --",
)
OTHER_ALGORITHMS = {"HS": ("HS384", "HS512"), "RS": ("RS384", "RS512", "PS256")}


def _jwt_or_na(client: ContractClient, posture: PostureCheck) -> str | None:
    token = genuine_jwt(client)
    if token is None:
        posture.verify(NOT_APPLICABLE, "the access credential is an opaque token")
    return token


def test_jwt_other_algorithm_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if not (token := _jwt_or_na(signed_up, posture)):
        return
    key = server_key(signed_up, own_server)
    header, payload = segment(token, 0), segment(token, 1)
    others = OTHER_ALGORITHMS[key.alg[:2]]
    forged = {f"{alg} with the server's key": key.sign(payload, header, alg=alg) for alg in others if alg != key.alg}
    posture.passes_if(*answers(signed_up, forged))


def test_jwt_key_confusion_rejected(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    if not (token := _jwt_or_na(signed_up, posture)):
        return
    key = server_key(signed_up, own_server)
    if key.symmetric:
        posture.verify(NOT_APPLICABLE, f"{key.alg}: one shared secret and no public key to take for an HMAC secret")
        return
    header, payload = segment(token, 0), segment(token, 1)
    forged = {
        f"HS{bits} keyed with the {name}": hs_sign({**header, "alg": f"HS{bits}"}, payload, secret, f"sha{bits}")
        for name, secret in key_confusion_secrets(key.public_pem())
        for bits in (256, 512)
    }
    posture.passes_if(*answers(signed_up, forged))


def test_jwt_embedded_jwk_ignored(signed_up: ContractClient, posture: PostureCheck) -> None:
    if not (token := _jwt_or_na(signed_up, posture)):
        return
    payload = segment(token, 1)
    oct_jwk = {"kty": "oct", "k": b64(ATTACKER_SECRET), "kid": "attacker"}
    forged = {
        "RS256 by the attacker's key, its public key in jwk": attacker_sign(
            payload, {"jwk": attacker_jwk(), "kid": "attacker"}
        ),
        "HS256 by the attacker's secret, that secret in jwk": hs_sign(
            {"alg": "HS256", "typ": "JWT", "jwk": oct_jwk, "kid": "attacker"}, payload, ATTACKER_SECRET
        ),
    }
    posture.passes_if(*answers(signed_up, forged))


def _url_header_case(
    client: ContractClient, posture: PostureCheck, header_name: str, path: str, document: tuple[str, bytes]
) -> None:
    if not (token := _jwt_or_na(client, posture)):
        return
    payload = segment(token, 1)
    with Listener({path: document}) as listener:
        # The listener must be able to record a request, or "nothing fetched" would prove nothing.
        probe = requests.get(listener.base_url + path, timeout=5)
        assert probe.status_code == 200 and listener.requests == [f"GET {path}"], listener.requests
        listener.requests.clear()
        url = listener.base_url + path
        forged = {
            f"RS256 by the attacker's key, {header_name} at the listener": attacker_sign(
                payload, {header_name: url, "kid": "attacker"}
            ),
            f"HS256 by the attacker's secret, {header_name} at the listener": hs_sign(
                {"alg": "HS256", "typ": "JWT", header_name: url, "kid": "attacker"}, payload, ATTACKER_SECRET
            ),
        }
        refused, evidence = answers(client, forged)
        fetched = list(listener.requests)
    posture.passes_if(refused and not fetched, f"{evidence}; requests to the listener: {fetched or 'none'}")


def test_jwt_jku_not_followed(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    jwks = {"keys": [attacker_jwk(), {"kty": "oct", "k": b64(ATTACKER_SECRET), "kid": "attacker"}]}
    _url_header_case(signed_up, posture, "jku", "/jwks.json", ("application/json", json.dumps(jwks).encode()))


def test_jwt_x5u_not_followed(signed_up: ContractClient, own_server: Server, posture: PostureCheck) -> None:
    _url_header_case(signed_up, posture, "x5u", "/cert.pem", ("application/x-pem-file", attacker_certificate_pem()))


def test_jwt_kid_injection_refused(signed_up: ContractClient, posture: PostureCheck) -> None:
    if not (token := _jwt_or_na(signed_up, posture)):
        return
    payload = segment(token, 1)
    forged: dict[str, str] = {}
    for kid in KID_VALUES:
        # What a kid-driven key lookup would return: nothing (an empty file) or the attacker's injected secret.
        for label, secret in (("empty key", b""), ("injected secret", ATTACKER_SECRET)):
            forged[f"kid={kid!r}, HS256 with the {label}"] = hs_sign(
                {"alg": "HS256", "typ": "JWT", "kid": kid}, payload, secret
            )
        forged[f"kid={kid!r}, RS256 by the attacker's key"] = attacker_sign(payload, {"kid": kid})
    refused, evidence = answers(signed_up, forged)
    # The genuine token still works afterwards: no injected statement changed the accounts.
    still = signed_up.send("me")
    intact = still.status in signed_up.manifest.operation("me").status
    posture.passes_if(refused and intact, f"{evidence}; the genuine token afterwards: {still.status}")
