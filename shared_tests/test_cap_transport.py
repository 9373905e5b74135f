"""Capabilities of transport and account state: how credentials travel, CSRF, inactive users, and cost.

The query figures come from the test profile's `X-Authcmp-Queries` header, added by a middleware in the
shared settings base, so they count what the library does for one authenticated GET of the user.
"""

from __future__ import annotations

import pytest

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, Reply, User
from harness.database import set_active
from harness.server import Server
from shared_tests.observe import authenticating_cookies, refused

QUERY_HEADER = "X-Authcmp-Queries"


def test_unauthenticated_answer(client: ContractClient, capability: Check) -> None:
    reply = client.send("me", credential=None)
    observed = str(reply.status) + (" + WWW-Authenticate" if "WWW-Authenticate" in reply.headers else "")
    capability.verify(observed, reply.describe())


def _login_cookies(client: ContractClient, user: User) -> tuple[Reply, dict[str, str]]:
    client.register(user)
    reply = client.fresh().login(user)
    return reply, authenticating_cookies(client, reply)


def test_cookie_transport(client: ContractClient, user: User, capability: Check) -> None:
    reply, cookies = _login_cookies(client, user)
    capability.verify(bool(cookies), f"login set {sorted(reply.cookies)}; authenticating alone: {sorted(cookies)}")


def test_cookie_httponly(client: ContractClient, user: User, capability: Check) -> None:
    reply, cookies = _login_cookies(client, user)
    if not cookies:
        capability.verify(NOT_APPLICABLE, "no cookie authenticates")
        return
    flags = {name: reply.cookie_flags[name]["httponly"] for name in cookies}
    capability.verify(all(flags.values()), f"HttpOnly per authenticating cookie: {flags}")


def test_csrf_enforced_for_cookie_auth(client: ContractClient, user: User, capability: Check) -> None:
    _, cookies = _login_cookies(client, user)
    if not cookies:
        capability.verify(NOT_APPLICABLE, "no cookie authenticates")
        return
    reply = client.fresh().send("update_me", {"first_name": "Csrf"}, credential=None, cookies=cookies)
    capability.verify(refused(reply), f"PATCH with the cookies and no CSRF token: {reply.describe()}")


def test_inactive_user_login_rejected(
    client: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    client.register(user)
    assert own_server.database_url
    set_active(own_server.database_url, user.username, False)
    reply = client.fresh().send("login", vars(user))
    capability.verify(400 <= reply.status < 500, reply.describe())


def test_inactive_user_credentials_rejected(
    signed_up: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    assert own_server.database_url
    set_active(own_server.database_url, user.username, False)
    reply = signed_up.send("me")
    capability.verify(refused(reply), reply.describe())


def _query_counts(client: ContractClient) -> dict[str, int]:
    client.me()  # the first request may warm caches (e.g. content types); measure the second
    header = client.me().headers.get(QUERY_HEADER)
    if header is None:
        pytest.skip(f"the server sends no {QUERY_HEADER} header (only the test profile does)")
    return {key: int(value) for key, value in (part.split("=") for part in header.split())}


def test_queries_per_authenticated_request(signed_up: ContractClient, capability: Check) -> None:
    capability.verify(_query_counts(signed_up)["total"])


def test_writes_per_authenticated_request(signed_up: ContractClient, capability: Check) -> None:
    capability.verify(_query_counts(signed_up)["writes"])
