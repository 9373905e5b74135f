"""Login: the right password yields a credential; a wrong password and an unknown user look the same.

Identical answers for both failures keep login from telling an attacker which usernames exist; the
status and the body must match, not only the status class.
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


def test_wrong_password_and_unknown_user_get_the_same_answer(client: ContractClient, user: User) -> None:
    client.register(user)
    wrong = client.fresh().send("login", {**vars(user), "password": user.password + "-wrong"})
    unknown = client.fresh().send("login", vars(User.new()))
    assert 400 <= wrong.status < 500, client.fail_message(wrong, "a 4xx for a wrong password")
    assert (wrong.status, wrong.json) == (unknown.status, unknown.json), (
        f"[{client.variant}] login: a wrong password ({wrong.describe()}) and an unknown user "
        f"({unknown.describe()}) must get the same answer"
    )
