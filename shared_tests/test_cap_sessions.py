"""Capabilities of sessions and devices: listing one's live sessions, ending one by id, ending all the others.

A device is a client of the same user with the credential its own login returned, sending a User-Agent of its own
so its entry can be told apart. Where a session list exists, the manifest's `[sessions]` table says where its
items are and which field of an item is its id, whether it is the current one, its device, address and time.
A variant without one answers from its served schema (`observe.absent`).
"""

from __future__ import annotations

import uuid
from typing import Any

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, Reply, User, locate
from shared_tests.observe import absent, accepted


def _device(signed_up: ContractClient, user: User) -> tuple[ContractClient, str]:
    """Another device of the user, logged in with a User-Agent no other login used."""
    agent = f"authcmp-device/{uuid.uuid4().hex[:8]}"
    device = signed_up.fresh()
    device.expect(device.send("login", vars(user), headers={"User-Agent": agent}))
    return device, agent


def _listed(client: ContractClient) -> tuple[list[dict[str, Any]], Reply]:
    reply = client.expect(client.send("sessions_list"))
    items = locate(reply, client.manifest.data["sessions"]["items"])
    return (items if isinstance(items, list) else []), reply


def _field(client: ContractClient, item: dict[str, Any], name: str) -> Any:
    return item.get(client.manifest.data["sessions"][name])


def _entry_of(client: ContractClient, agent: str) -> dict[str, Any] | None:
    items, _ = _listed(client)
    return next((item for item in items if _field(client, item, "device") == agent), None)


def _ended(client: ContractClient, ids: list[Any]) -> Reply:
    return client.expect(client.send("sessions_end", {"session_ids": ids}))


def test_sessions_listed(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "sessions_list", capability, False):
        return
    _device(signed_up, user)
    items, reply = _listed(signed_up)
    current = [item for item in items if _field(signed_up, item, "current")]
    capability.verify(len(items) >= 2 and len(current) == 1, f"after a second device's login: {reply.describe()}")


def test_session_ended_by_id(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "sessions_end", capability, False):
        return
    other, agent = _device(signed_up, user)
    entry = _entry_of(signed_up, agent)
    assert entry, f"[{signed_up.variant}] the other device's session ({agent}) is not in the list"
    reply = _ended(signed_up, [_field(signed_up, entry, "id")])
    other_out = not accepted(other, other.credentials["access"])
    here = accepted(signed_up, signed_up.credentials["access"])
    capability.verify(other_out and here, f"ended the other device: {reply.describe()}; this one still works: {here}")


def test_other_sessions_ended(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "sessions_end", capability, False):
        return
    others = [_device(signed_up, user)[0] for _ in range(2)]
    items, _ = _listed(signed_up)
    ids = [_field(signed_up, item, "id") for item in items if not _field(signed_up, item, "current")]
    reply = _ended(signed_up, ids)
    still = [device.credentials["access"][:12] for device in others if accepted(device, device.credentials["access"])]
    here = accepted(signed_up, signed_up.credentials["access"])
    capability.verify(not still and here, f"ended {len(ids)} others: {reply.describe()}; still working: {still}")


def test_session_list_shows_device(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "sessions_list", capability, NOT_APPLICABLE):
        return
    _, agent = _device(signed_up, user)
    entry = _entry_of(signed_up, agent)
    shown = bool(entry) and all(_field(signed_up, entry or {}, name) for name in ("ip", "time"))
    capability.verify(shown, f"the other device's entry: {entry}")
