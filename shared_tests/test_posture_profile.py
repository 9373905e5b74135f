"""Posture: what a client may change about its own account through the current-user endpoint.

Round trips send back exactly what GET returned, by PATCH (the contract's update_me) and by PUT where the
served schema offers PUT on the same path. Fields a client must not set (privileges, password, id, account
state) are sent in an update by both methods; the account's row is read before and after (harness.database,
for servers the harness started), since GET does not show is_staff or the password hash, and the old password
must still log in. "Ignored or refused" both pass; a 5xx fails, as bad input must get a 4xx.
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from harness.client import ContractClient, Reply, User
from harness.database import connect
from harness.mail import count_mails_to, folder_of
from harness.manifest import Manifest
from harness.posture import NOT_APPLICABLE, PostureCheck
from harness.server import Server
from shared_tests.observe import served_operations

pytestmark = pytest.mark.posture
COLUMNS = ("id", "password", "email", "is_staff", "is_superuser", "is_active", "last_login", "date_joined")


def _row(server: Server, username: str) -> dict[str, Any]:
    assert server.database_url, "the harness knows the database of a server it started"
    placeholder = "?" if server.database_url.startswith("sqlite:") else "%s"
    with connect(server.database_url) as connection:
        query = f"SELECT {', '.join(COLUMNS)} FROM auth_user WHERE username = {placeholder}"
        found = connection.execute(query, (username,)).fetchone()
    assert found, f"no auth_user row for {username!r}"
    return dict(zip(COLUMNS, found, strict=True))


def _replacing(client: ContractClient) -> ContractClient | None:
    """A client whose update_me is PUT on the same path, when the served schema offers it; else None."""
    op = client.manifest.operation("update_me")
    if f"PUT {op.path}" not in served_operations(client.manifest, client.base_url):
        return None
    data = {**client.manifest.data, "operations": {**client.manifest.data["operations"]}}
    data["operations"]["update_me"] = {**data["operations"]["update_me"], "method": "PUT"}
    manifest = Manifest(
        client.manifest.variant, client.manifest.backend, client.manifest.mode, client.manifest.path, data
    )
    return ContractClient(manifest, client.base_url, credentials=dict(client.credentials))


def _updates(client: ContractClient, extra: dict[str, Any]) -> list[Reply]:
    """The current user's GET body plus `extra`, sent by PATCH and, where served, by PUT."""
    current = client.me().json
    replies = [client.send("update_me", body={**current, **extra})]
    put = _replacing(client)
    if put:
        replies.append(put.send("update_me", body={**current, **extra}))
    return replies


def _no_server_error(replies: list[Reply]) -> bool:
    return all(reply.status < 500 for reply in replies)


def _statuses(replies: list[Reply]) -> str:
    return ", ".join(f"{reply.method} {reply.status}" for reply in replies)


def _round_trip(signed_up: ContractClient, posture: PostureCheck, client: ContractClient, method: str) -> None:
    before = signed_up.me().json
    reply = client.send("update_me", body=before)
    after = signed_up.me().json
    ok = reply.status in signed_up.manifest.operation("update_me").status and after == before
    posture.passes_if(
        ok, f"{method} of the GET body {sorted(before)}: {reply.describe()}; unchanged: {after == before}"
    )


def test_profile_patch_roundtrip_changes_nothing(signed_up: ContractClient, posture: PostureCheck) -> None:
    _round_trip(signed_up, posture, signed_up, "PATCH")


def test_profile_put_roundtrip_changes_nothing(signed_up: ContractClient, posture: PostureCheck) -> None:
    put = _replacing(signed_up)
    if put is None:
        posture.verify(NOT_APPLICABLE, f"the served schema offers no PUT {signed_up.manifest.operation('me').path}")
        return
    _round_trip(signed_up, posture, put, "PUT")


def _unchanged(
    signed_up: ContractClient, user: User, server: Server, posture: PostureCheck, extra: dict[str, Any]
) -> None:
    before = _row(server, user.username)
    replies = _updates(signed_up, extra)
    after = _row(server, user.username)
    changed = sorted(column for column in COLUMNS if before[column] != after[column])
    posture.passes_if(
        not changed and _no_server_error(replies),
        f"update with {sorted(extra)}: {_statuses(replies)}; stored columns changed: {changed or 'none'}",
    )


def test_profile_update_cannot_grant_staff(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    _unchanged(signed_up, user, own_server, posture, {"is_staff": True, "is_superuser": True})


def test_profile_update_cannot_change_id(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    _unchanged(signed_up, user, own_server, posture, {"id": 987654321, "pk": 987654321})


def test_profile_update_cannot_change_account_state(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    old = "2001-02-03T04:05:06Z"
    _unchanged(signed_up, user, own_server, posture, {"is_active": False, "last_login": old, "date_joined": old})


def test_profile_update_cannot_set_password(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    new = f"N3w-Pass&{secrets.token_urlsafe(9)}"
    before = _row(own_server, user.username)["password"]
    replies = _updates(signed_up, {"password": new})
    stored_same = _row(own_server, user.username)["password"] == before
    login = signed_up.manifest.operation("login").status
    old_works = signed_up.fresh().send("login", vars(user)).status in login
    new_works = signed_up.fresh().send("login", {**vars(user), "password": new}).status in login
    posture.passes_if(
        stored_same and old_works and not new_works and _no_server_error(replies),
        f"update with a password: {_statuses(replies)}; stored hash unchanged: {stored_same}; old password logs "
        f"in: {old_works}; new one: {new_works}",
    )


def test_email_change_needs_password_or_confirmation(
    signed_up: ContractClient, user: User, posture: PostureCheck
) -> None:
    new = f"changed{secrets.token_hex(4)}@example.com"
    reply = signed_up.send("update_me", body={"email": new})
    me = signed_up.send("me")
    if me.status in signed_up.manifest.operation("me").status:
        shown, now = signed_up.user_field(me, "email"), ""
    else:  # djoser with SEND_ACTIVATION_EMAIL deactivates the account until the new address confirms the change
        folder = signed_up.mail_dir or folder_of(signed_up.base_url)
        mailed = count_mails_to(folder, new) if folder else 0
        shown = None if mailed else new
        now = f"; the account then answers {me.status} and {mailed} mail(s) went to the new address to confirm it"
    posture.passes_if(
        shown != new and reply.status < 500,
        f"PATCH {{'email': new}} with no password: {reply.describe()}; the user's email is now {shown!r}{now}",
    )
