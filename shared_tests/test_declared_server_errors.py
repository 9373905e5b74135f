"""A declared server error must still happen: each `[fuzz.server_errors]` entry's recipe is replayed.

The fuzz run (harness/fuzz.py) fails on a 5xx the manifest does not declare; this is the other direction,
deterministic where a fuzzer is not: a declaration whose recipe no longer answers 5xx is stale (the library
fixed it, or the cause was misread) and fails here, so a report never repeats a finding that is gone.
"""

from __future__ import annotations

from typing import Any

import requests

from harness.client import ContractClient, User
from harness.fuzz import declared_server_errors
from harness.manifest import Manifest
from harness.server import Server


def _replay(client: ContractClient, steps: list[dict[str, Any]]) -> int:
    """Run a recipe for one fresh user; the status of its last step."""
    user, status = User.new("se"), 0
    for step in steps:
        if "request" in step:
            method, path = step["request"].split(" ", 1)
            headers = {"Accept": "application/json"}
            if step.get("authenticated"):
                name, template = client.manifest.auth_header
                headers[name] = template.format_map(client.credentials)
            reply = requests.request(method, client.base_url + path, headers=headers, json=step.get("json"), timeout=30)
            status = reply.status_code
        elif step.get("same_email"):  # another account holding this user's address
            twin = User.new("se")
            twin.email = user.email
            other = client.fresh()
            reply = other.send(step["operation"], vars(twin))
            status = reply.status
            registered = step["operation"] == "register" and status in client.manifest.operation("register").status
            if registered and step.get("confirm", True):
                other.confirm_signup(twin)  # where verification is mandatory: an account like the user's
        else:
            status = client.send(step["operation"], vars(user)).status
            # `confirm = false`: the account stays as sign-up left it (not yet activated where verification is
            # mandatory), which is what some recipes need.
            if step["operation"] == "register" and step.get("confirm", True):
                client.confirm_signup(user)  # where verification is mandatory
                if "access" not in client.credentials:
                    client.login(user)  # later steps may need the user's credential
    return status


def test_every_declared_server_error_still_happens(manifest: Manifest, server: Server, client: ContractClient) -> None:
    declared = declared_server_errors(manifest, server.database_url)  # those of this server's database
    stale = {
        endpoint: status
        for endpoint, entry in declared.items()
        if (status := _replay(client.fresh(), entry["reproduce"])) < 500
    }
    assert not stale, (
        f"[{manifest.variant}] declared server errors no longer happen (their recipe answered {stale}): "
        "remove them from [fuzz.server_errors] or correct the recipe"
    )
