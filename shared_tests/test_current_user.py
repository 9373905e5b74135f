"""The current-user endpoint: it shows the credential owner's profile, updates it, and refuses strangers.

Without a credential, or with one the server never issued, the endpoint answers the status the manifest
declares (401 or 403); anything else, a 200 above all, means the endpoint is not protected.
"""

from __future__ import annotations

import pytest

from harness.client import ContractClient, User


@pytest.mark.operation("me")
def test_me_returns_every_profile_field_of_the_credential_owner(signed_up: ContractClient, user: User) -> None:
    reply = signed_up.me()
    assert signed_up.user_field(reply, "username") == user.username, signed_up.fail_message(reply, user.username)
    assert signed_up.user_field(reply, "email") == user.email, signed_up.fail_message(reply, user.email)
    for name in ("id", "first_name", "last_name"):
        assert signed_up.user_field(reply, name) is not None, signed_up.fail_message(reply, f"a {name} field")


@pytest.mark.operation("me")
def test_me_without_credential_is_refused_with_declared_status(client: ContractClient) -> None:
    reply = client.send("me", credential=None)
    client.expect(reply, client.manifest.unauthenticated_status)


@pytest.mark.operation("me")
def test_me_with_unknown_credential_is_refused_with_declared_status(client: ContractClient) -> None:
    reply = client.send("me", credential="f" * 40)
    client.expect(reply, client.manifest.unauthenticated_status)


@pytest.mark.operation("update_me")
def test_update_me_changes_first_name(signed_up: ContractClient) -> None:
    signed_up.update_me(first_name="Ada")
    reply = signed_up.me()
    assert signed_up.user_field(reply, "first_name") == "Ada", signed_up.fail_message(reply, "first_name 'Ada'")


@pytest.mark.operation("update_me")
def test_update_me_without_credential_is_refused_and_changes_nothing(signed_up: ContractClient) -> None:
    reply = signed_up.send("update_me", {"first_name": "Mallory"}, credential=None)
    signed_up.expect(reply, signed_up.manifest.unauthenticated_status)
    assert signed_up.user_field(signed_up.me(), "first_name") != "Mallory"
