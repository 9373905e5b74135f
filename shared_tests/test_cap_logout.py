"""Capabilities of logout: what it revokes, on this device and on others, and what outlives it.

Two devices are two clients of the same user, each with the credential its own login returned.
"""

from __future__ import annotations

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, User
from shared_tests.observe import absent, is_jwt, refused


def test_logout_revokes_credential(signed_up: ContractClient, capability: Check) -> None:
    credential = signed_up.credentials["access"]
    signed_up.logout()
    reply = signed_up.send("me", credential=credential)
    capability.verify(refused(reply), f"after logout, {reply.describe()}")


def test_logout_ends_other_sessions(signed_up: ContractClient, user: User, capability: Check) -> None:
    other = signed_up.fresh()
    other.login(user)
    signed_up.logout()
    reply = other.send("me")
    capability.verify(refused(reply), f"the other device, after this one logged out: {reply.describe()}")


def test_logout_all_available(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "logout_all", capability, False):
        return
    other = signed_up.fresh()
    other.login(user)
    signed_up.expect(signed_up.send("logout_all"))
    both = refused(other.send("me")) and refused(signed_up.send("me"))
    capability.verify(both, "after logout_all, both devices' credentials")


def test_access_token_valid_after_logout(signed_up: ContractClient, capability: Check) -> None:
    credential = signed_up.credentials["access"]
    if not is_jwt(credential):
        capability.verify(NOT_APPLICABLE, "the opaque token is the only credential; see logout_revokes_credential")
        return
    signed_up.logout()
    reply = signed_up.send("me", credential=credential)
    capability.verify(not refused(reply), f"after logout, {reply.describe()}")


def test_refresh_revoked_on_logout(signed_up: ContractClient, capability: Check) -> None:
    if absent(signed_up, "refresh", capability, NOT_APPLICABLE):
        return
    refresh = signed_up.credentials["refresh"]
    signed_up.logout()
    reply = signed_up.fresh().send("refresh", {"refresh": refresh})
    capability.verify(400 <= reply.status < 500, f"refreshing after logout: {reply.describe()}")
