"""Bad input: malformed JSON, empty bodies, missing fields and wrong types get a 4xx with a reason.

Never a 5xx, and nothing is lost: a refused update leaves the profile as it was. The cases are data: each
operation that takes a body is tried with every malformation; wrong types replace one field at a time.
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.client import ContractClient, Reply, User
from shared_tests.observe import client_error

pytestmark = pytest.mark.operation("bad_input")

BODY_OPERATIONS = ("register", "login", "update_me")
MALFORMED = {
    "truncated_json": b'{"username": ',
    "empty_body": b"",
    "json_array": b"[]",
    "json_string": b'"username"',
    "form_encoded_as_json": b"username=a&password=b",
    "invalid_utf8": b'{"username": "\xff\xfe"}',
}
WRONG_TYPES: dict[str, Any] = {"list": ["x"], "object": {"x": 1}, "boolean": True, "null": None}


def _prepared(client: ContractClient, user: User, operation: str) -> ContractClient:
    """Authenticated operations need a signed-up client; login needs an existing account."""
    if operation == "register":
        return client
    return client.sign_up(user)


def _check_refused(client: ContractClient, reply: Reply, what: str) -> str | None:
    if client_error(client, reply) and reply.text.strip():
        return None
    return client.fail_message(reply, f"a 4xx with a reason for {what}")


# An empty PATCH is a valid partial update of nothing, so the empty body is bad input only where fields
# are required.
MALFORMED_CASES = [
    (operation, kind) for operation in BODY_OPERATIONS for kind in MALFORMED
    if (operation, kind) != ("update_me", "empty_body")
]  # fmt: skip


@pytest.mark.parametrize(("operation", "kind"), MALFORMED_CASES)
def test_malformed_body_is_refused_with_reason(client: ContractClient, user: User, operation: str, kind: str) -> None:
    ready = _prepared(client, user, operation)
    reply = ready.send(operation, raw=MALFORMED[kind])
    failure = _check_refused(ready, reply, f"a {kind.replace('_', ' ')} body")
    assert failure is None, failure


@pytest.mark.parametrize("operation", ["register", "login"])
def test_each_missing_field_is_refused_naming_it(client: ContractClient, user: User, operation: str) -> None:
    ready = _prepared(client, user, operation)
    body = ready.body_for(operation, vars(user))
    failures = []
    for name in body:
        reply = ready.fresh().send(operation, body={k: v for k, v in body.items() if k != name})
        failures.append(_check_refused(ready, reply, f"a missing {name!r}"))
        if name not in reply.text:
            failures.append(ready.fail_message(reply, f"the reason to name the missing field {name!r}"))
    assert not any(failures), "\n".join(filter(None, failures))


@pytest.mark.parametrize("operation", BODY_OPERATIONS)
@pytest.mark.parametrize("kind", WRONG_TYPES)
def test_wrong_field_type_is_refused(client: ContractClient, user: User, operation: str, kind: str) -> None:
    ready = _prepared(client, user, operation)
    body = ready.body_for(operation, {**vars(user), "first_name": "Grace"})
    failures = [
        _check_refused(ready, ready.send(operation, body={**body, name: WRONG_TYPES[kind]}), f"{kind} in {name!r}")
        for name in body
    ]
    assert not any(failures), "\n".join(filter(None, failures))
    if operation == "update_me":
        assert ready.user_field(ready.me(), "first_name") == "", "a refused update must change nothing"
