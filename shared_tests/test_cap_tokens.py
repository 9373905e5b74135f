"""Capabilities of token lifecycles: refresh, rotation, verification and expiry.

Expiry is observed on a second server of the same variant whose credential lifetime is cut to a few
seconds through the shared `AUTHCMP_CREDENTIAL_TTL_SECONDS` knob, so the wait stays short.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, User
from harness.manifest import Manifest
from harness.server import Server
from shared_tests.observe import absent, accepted, refused
from shared_tests.servers import another_server

TTL_SECONDS = 2


def test_refresh_available(signed_up: ContractClient, capability: Check) -> None:
    if absent(signed_up, "refresh", capability, False):
        return
    before = signed_up.credentials["access"]
    reply = signed_up.send("refresh")
    after = signed_up.credentials["access"]
    ok = (
        reply.status in signed_up.manifest.operation("refresh").status
        and after != before
        and accepted(signed_up, after)
    )
    capability.verify(ok, reply.describe())


def test_refresh_rotation(signed_up: ContractClient, capability: Check) -> None:
    if absent(signed_up, "refresh", capability, NOT_APPLICABLE):
        return
    before = signed_up.credentials["refresh"]
    reply = signed_up.expect(signed_up.send("refresh"))
    capability.verify(signed_up.credentials["refresh"] != before, reply.describe())


def test_rotated_refresh_reuse_rejected(signed_up: ContractClient, capability: Check) -> None:
    if absent(signed_up, "refresh", capability, NOT_APPLICABLE):
        return
    before = signed_up.credentials["refresh"]
    signed_up.expect(signed_up.send("refresh"))
    if signed_up.credentials["refresh"] == before:
        capability.verify(NOT_APPLICABLE, "refresh does not rotate the refresh token")
        return
    reply = signed_up.fresh().send("refresh", {"refresh": before})
    capability.verify(400 <= reply.status < 500, f"reusing the rotated refresh token: {reply.describe()}")


def test_verify_available(signed_up: ContractClient, capability: Check) -> None:
    if absent(signed_up, "verify", capability, False):
        return
    good = signed_up.send("verify")
    forged = signed_up.send("verify", {"access": signed_up.credentials["access"][:-4] + "AAAA"})
    ok = good.status in signed_up.manifest.operation("verify").status and 400 <= forged.status < 500
    capability.verify(ok, f"valid: {good.describe()}; forged: {forged.describe()}")


@pytest.fixture(scope="module")
def short_lived(manifest: Manifest, pytestconfig: pytest.Config) -> Iterator[Server]:
    env = {"AUTHCMP_CREDENTIAL_TTL_SECONDS": str(TTL_SECONDS)}
    with another_server(manifest, pytestconfig, "to cut the credential lifetime", env=env) as server:
        yield server


def test_credential_expiry_enforced(manifest: Manifest, short_lived: Server, user: User, capability: Check) -> None:
    with ContractClient(manifest, short_lived.base_url) as client:
        client.sign_up(user)
        assert accepted(client, client.credentials["access"]), "a fresh credential must work"
        time.sleep(TTL_SECONDS + 1.5)
        reply = client.send("me")
    capability.verify(
        refused(reply), f"{TTL_SECONDS + 1.5}s after login with a {TTL_SECONDS}s lifetime: {reply.describe()}"
    )
