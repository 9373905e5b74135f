"""Observations shared by the capability tests: small questions asked of a variant over HTTP.

Each helper answers from what the server does, never from the manifest alone, so a capability test can
tell a claim that holds from one that only looks right on paper.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
from collections.abc import Iterator
from typing import Any

import requests

from harness.capabilities import Check
from harness.client import ContractClient, Reply
from harness.manifest import Manifest

REFUSED = (401, 403)
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def refused(reply: Reply) -> bool:
    return reply.status in REFUSED


def client_error(client: ContractClient, reply: Reply) -> bool:
    """A 4xx that is not the operation's own success: allauth headless answers a sign-up awaiting confirmation 401,
    the state it leaves the client in, so a status alone does not tell a refusal from an account created."""
    return 400 <= reply.status < 500 and reply.status not in client.manifest.operation(reply.operation).status


def accepted(client: ContractClient, credential: str) -> bool:
    """Does the current-user endpoint accept `credential` as the access credential?"""
    return client.send("me", credential=credential).status in client.manifest.operation("me").status


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def authenticating_values(client: ContractClient, reply: Reply) -> list[str]:
    """Every string in the answer's body that the current-user endpoint accepts as a credential."""
    candidates = [value for value in _strings(reply.json) if len(value) >= 16]
    return [value for value in candidates if accepted(client.fresh(), value)]


def authenticating_cookies(client: ContractClient, reply: Reply) -> dict[str, str]:
    """The cookies `reply` set that, each alone and with no header, get the current-user endpoint to answer."""
    me_ok = client.manifest.operation("me").status
    return {
        name: value
        for name, value in reply.cookies.items()
        if client.fresh().send("me", credential=None, cookies={name: value}).status in me_ok
    }


def is_jwt(credential: str) -> bool:
    parts = credential.split(".")
    if len(parts) != 3:
        return False
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (ValueError, binascii.Error):
        return False
    return isinstance(header, dict) and "alg" in header


def encoded_bits(credentials: list[str]) -> tuple[int, str]:
    """An upper bound of the randomness several credentials' text carries, from what they show: the positions
    that vary between them times log2 of the symbols seen at those positions (the alphabet actually used, not
    the one the characters might belong to: 32 digits and lower-case letters are 5.2 bits each, not 6).
    A fixed prefix or a constant position carries nothing and counts nothing; with fewer than 8 credentials an
    unused symbol or a position that varies by chance alone would skew the estimate, so that is refused."""
    assert len(credentials) >= 8, f"an observed-alphabet estimate needs at least 8 credentials, got {len(credentials)}"
    length = min(map(len, credentials))
    varying = [index for index in range(length) if len({credential[index] for credential in credentials}) > 1]
    symbols = {credential[index] for credential in credentials for index in varying}
    bits = int(len(varying) * math.log2(len(symbols))) if len(symbols) > 1 else 0
    shown = "".join(sorted(symbols)) if len(symbols) <= 16 else f"{len(symbols)} symbols"
    return bits, f"{len(varying)} varying characters of {len(credentials)} credentials over {shown} observed"


@functools.cache
def _served(base_url: str, document: str) -> frozenset[str]:
    reply = requests.get(base_url + document, headers={"Accept": "application/json"}, timeout=30)
    assert reply.status_code == 200, f"{base_url}{document} answered {reply.status_code}: {reply.text[:300]}"
    paths = reply.json().get("paths", {})
    return frozenset(
        f"{method.upper()} {path}" for path, item in paths.items() for method in item if method in HTTP_METHODS
    )


def served_operations(manifest: Manifest, base_url: str) -> frozenset[str]:
    """ "METHOD /path" of every operation the variant's served OpenAPI documents offer."""
    return frozenset().union(*(_served(base_url, document) for document in manifest.schema_documents))


def unaccounted_operations(manifest: Manifest, base_url: str) -> list[str]:
    """Served operations the manifest neither binds nor declares unbound: what it may not call absent."""
    bound = {manifest.operation_key(name) for name in manifest.data["operations"]}
    return sorted(served_operations(manifest, base_url) - bound - set(manifest.unbound_operations))


def offers(client: ContractClient, name: str) -> tuple[bool, str]:
    """Does the variant offer operation `name`? Observed, not read off the manifest: when it is not bound, every
    operation the served schema lists must be bound or declared unbound, so an endpoint that a release adds
    cannot hide behind a "no" (the cell fails, naming it)."""
    manifest = client.manifest
    unaccounted = unaccounted_operations(manifest, client.base_url)
    served = served_operations(manifest, client.base_url)
    if manifest.has_operation(name):
        key = manifest.operation_key(name)
        return True, f"bound to {key}" + ("" if key in served else " (not in the served schema)")
    assert not unaccounted, (
        f"[{manifest.variant}] {name} is unbound, but the served schema offers {', '.join(unaccounted)}, which the "
        f"manifest neither binds nor declares unbound ([schema.unbound]): is one of them a {name} operation?"
    )
    return False, f"none of the {len(served)} operations the served schema lists is a {name} operation"


def absent(client: ContractClient, name: str, capability: Check, verdict: Any) -> bool:
    """Record `verdict` for the capability when the variant is observed not to offer operation `name` (see
    `offers`); True then, and the test is done. False when it offers it: the test goes on to exercise it."""
    offered, evidence = offers(client, name)
    if not offered:
        capability.verify(verdict, evidence)
    return not offered
