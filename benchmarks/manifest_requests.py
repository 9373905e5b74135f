"""Manifest-driven requests for load generators: the contract client's semantics without its HTTP library.

`harness.client.ContractClient` performs operations with `requests`; Locust needs the same request (method,
path, headers, body, cookies) handed to its own client, and the same capture of credentials from the answer.
These helpers build that request from an `Operation` and read credentials with the contract client's own
`locate` ("body:a.b", "body:items[].x", "cookie:NAME"), so a benchmark exercises what the contract suite
verified. Importing it never imports Locust.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from harness.client import Reply, fill, locate
from harness.manifest import Manifest, Operation

__all__ = ["PreparedRequest", "answer", "captured", "fill", "locate", "prepare"]


@dataclass(frozen=True)
class PreparedRequest:
    """Everything a load generator sends for one operation."""

    operation: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    cookies: dict[str, str] = field(default_factory=dict)


def answer(text: str, cookies: dict[str, str]) -> Reply:
    """A load generator's answer in the contract client's form, so its locators read it the same way."""
    return Reply(operation="", method="", url="", status=0, headers={}, cookies=cookies, text=text)


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def prepare(manifest: Manifest, name: str, values: dict[str, Any]) -> PreparedRequest:
    """The request operation `name` makes with `values` (user fields plus captured credentials)."""
    op = manifest.operation(name)
    headers = {"Accept": "application/json"}
    access = values.get("access")
    if op.authenticated and access:
        header, template = manifest.auth_header
        headers[header] = template.format_map(values)
    body = None
    if op.method != "GET":
        body = json.dumps(fill(op.body, values)).encode()
        headers["Content-Type"] = "application/json"
    cookies = {key: str(fill(value, values)) for key, value in op.cookies.items()}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)  # only what the manifest declares; no jar adds to it
    return PreparedRequest(name, op.method, op.path, headers, body, cookies)


def captured(op: Operation, reply: Reply) -> dict[str, str]:
    """The credentials a successful answer to `op` carries, where the manifest says they are."""
    found = {name: locate(reply, locator) for name, locator in op.credentials.items()}
    return {name: value for name, value in found.items() if value}


def missing_credentials(op: Operation, got: dict[str, str]) -> list[str]:
    """Credentials the manifest promises for `op` that the answer did not carry."""
    return [name for name in op.credentials if name not in got]
