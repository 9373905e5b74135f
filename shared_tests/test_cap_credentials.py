"""Capabilities of credentials: what registration and login hand out, and how it is kept.

Each test is named after the capability it observes; it fails when the observation differs from the
variant's claim in either direction, naming variant, capability, declared and observed values.
"""

from __future__ import annotations

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, User
from harness.database import tables_containing
from harness.server import Server
from shared_tests.observe import authenticating_values, encoded_bits, is_jwt

SESSION_COOKIE = "sessionid"  # Django's default SESSION_COOKIE_NAME, shared by every backend


def test_registration_returns_credential(client: ContractClient, user: User, capability: Check) -> None:
    reply = client.register(user)
    found = authenticating_values(client, reply)
    capability.verify(bool(found), f"registration answered {reply.status} with {len(found)} working credential(s)")


def test_login_by_username(client: ContractClient, user: User, capability: Check) -> None:
    client.register(user)
    device = client.fresh()
    reply = device.send("login", vars(user))
    ok = reply.status in device.manifest.operation("login").status and device.me().status == 200
    capability.verify(ok, reply.describe())


def test_login_by_email(client: ContractClient, user: User, capability: Check) -> None:
    client.register(user)
    device = client.fresh()
    reply = device.send("login", {**vars(user), "username": user.email})
    ok = reply.status in device.manifest.operation("login").status and "access" in device.credentials
    capability.verify(ok, reply.describe())


def test_credential_kind(signed_up: ContractClient, capability: Check) -> None:
    capability.verify("jwt" if is_jwt(signed_up.credentials["access"]) else "opaque")


def test_new_credential_per_login(client: ContractClient, user: User, capability: Check) -> None:
    client.register(user)
    first, second = client.fresh(), client.fresh()
    first.login(user)
    second.login(user)
    capability.verify(first.credentials["access"] != second.credentials["access"])


def test_credential_hashed_at_rest(
    signed_up: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    signed_up.fresh().login(user)
    assert own_server.database_url, "the harness always knows the database of a server it started"
    stored = {name: tables_containing(own_server.database_url, value) for name, value in signed_up.credentials.items()}
    plain = {name: where for name, where in stored.items() if where}
    capability.verify(not plain, f"stored in plain text: {plain}" if plain else "no credential found in any table")


ENTROPY_SAMPLE = 16  # accounts: enough for their tokens to show every symbol of a 64-symbol alphabet


def test_credential_entropy_at_least_128_bits(client: ContractClient, capability: Check) -> None:
    # Several accounts, one token each: libraries keeping one token per user repeat it on a second login.
    credentials = [client.fresh().sign_up(User.new()).credentials["access"] for _ in range(ENTROPY_SAMPLE)]
    if any(is_jwt(credential) for credential in credentials):
        capability.verify(NOT_APPLICABLE, "a signed token: forging it depends on the signing key, not its randomness")
        return
    bits, how = encoded_bits(credentials)
    capability.verify(bits >= 128, f"at most {bits} bits: {how}")


def test_login_failure_indistinguishable(client: ContractClient, user: User, capability: Check) -> None:
    client.register(user)
    wrong = client.fresh().send("login", {**vars(user), "password": user.password + "-wrong"})
    unknown = client.fresh().send("login", vars(User.new()))
    same = (wrong.status, wrong.json) == (unknown.status, unknown.json)
    capability.verify(same, f"wrong password: {wrong.describe()}; unknown user: {unknown.describe()}")


def test_email_unique_enforced(client: ContractClient, user: User, capability: Check) -> None:
    client.register(user)
    twin = User.new()
    twin.email = user.email
    reply = client.fresh().send("register", vars(twin))
    capability.verify(400 <= reply.status < 500, reply.describe())


def test_login_creates_server_session(client: ContractClient, user: User, capability: Check) -> None:
    client.register(user)
    reply = client.fresh().login(user)
    capability.verify(SESSION_COOKIE in reply.cookies, f"login set cookies {sorted(reply.cookies)}")
