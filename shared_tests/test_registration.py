"""Registration: a new account can log in, duplicates and weak passwords are refused with a reason.

Every variant applies Django's four password validators (set once in the shared settings base), so a
password any of them rejects must be refused by every library, and the refusal must create no account.
"""

from __future__ import annotations

import pytest

from harness.client import ContractClient, User
from shared_tests.observe import client_error

pytestmark = pytest.mark.operation("register")


def test_registered_account_can_log_in(client: ContractClient, user: User) -> None:
    client.register(user)
    device = client.fresh()
    device.login(user)
    assert device.user_field(device.me(), "username") == user.username


def test_duplicate_username_is_refused_with_field_error(client: ContractClient, user: User) -> None:
    client.register(user)
    twin = User.new()
    twin.username = user.username
    reply = client.fresh().send("register", vars(twin))
    assert client_error(client, reply), client.fail_message(reply, "a 4xx for a taken username")
    assert "username" in client.field_errors(reply), client.fail_message(reply, "a field error on username")


WEAK_PASSWORDS = {
    "too_short": "x7#Kq2",
    "common": "password123",
    "numeric": "84736251907",
    "similar_to_username": "{username}",
}


@pytest.mark.parametrize("password", WEAK_PASSWORDS.values(), ids=WEAK_PASSWORDS.keys())
def test_password_failing_validators_is_refused_and_creates_nothing(
    client: ContractClient, user: User, password: str
) -> None:
    user.password = password.format(username=user.username)
    reply = client.send("register", vars(user))
    assert client_error(client, reply), client.fail_message(reply, "a 4xx for a password the validators reject")
    assert reply.text.strip(), client.fail_message(reply, "a reason in the body")
    login = client.fresh().send("login", vars(user))
    assert client_error(client, login), client.fail_message(login, "no account after a refused registration")
