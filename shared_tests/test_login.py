"""Login: the right password yields a credential; a wrong password and an unknown user get the same 4xx.

The contract asks for the same status; whether the bodies are identical too (so login tells an attacker
nothing about which usernames exist) is the capability `login_failure_indistinguishable`.
"""

from __future__ import annotations

import pytest

from harness.client import ContractClient, User

pytestmark = pytest.mark.operation("login")


def test_login_returns_credential_that_me_accepts(client: ContractClient, user: User) -> None:
    client.register(user)
    device = client.fresh()
    device.login(user)
    assert device.credentials.get("access"), device.fail_message(device.login(user), "a credential in the answer")
    assert device.user_field(device.me(), "email") == user.email


def test_wrong_password_and_unknown_user_get_the_same_status(client: ContractClient, user: User) -> None:
    client.register(user)
    wrong = client.fresh().send("login", {**vars(user), "password": user.password + "-wrong"})
    unknown = client.fresh().send("login", vars(User.new()))
    assert 400 <= wrong.status < 500, client.fail_message(wrong, "a 4xx for a wrong password")
    assert wrong.status == unknown.status, (
        f"[{client.variant}] login: a wrong password ({wrong.describe()}) and an unknown user "
        f"({unknown.describe()}) must get the same status"
    )
