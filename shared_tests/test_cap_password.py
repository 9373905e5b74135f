"""Capabilities of password and account management: change, reset by mail, deletion.

Password reset is observed end to end: the variant's server writes mail to files (Django's file-based
backend, shared settings), the test reads the reset link out of the mail with the manifest's pattern,
confirms a new password, and logs in with it.
"""

from __future__ import annotations

import secrets

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, User
from harness.mail import link_values
from harness.server import Server
from shared_tests.observe import absent, accepted


def _new_password() -> str:
    return f"N3w-Pass&{secrets.token_urlsafe(9)}"


def _can_log_in(client: ContractClient, user: User, password: str) -> bool:
    reply = client.fresh().send("login", {**vars(user), "password": password})
    return reply.status in client.manifest.operation("login").status


def _change_password(client: ContractClient, user: User, **overrides: str) -> tuple[int, str]:
    new = _new_password()
    body = client.body_for("password_change", {**vars(user), "new_password": new})
    reply = client.send("password_change", body={**body, **overrides})
    return reply.status, new


def test_password_change_available(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "password_change", capability, False):
        return
    status, new = _change_password(signed_up, user)
    ok = status in signed_up.manifest.operation("password_change").status
    works = ok and _can_log_in(signed_up, user, new) and not _can_log_in(signed_up, user, user.password)
    capability.verify(works, f"change answered {status}; new password works, old one refused: {works}")


def test_password_change_requires_current_password(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "password_change", capability, NOT_APPLICABLE):
        return
    field = signed_up.manifest.data["operations"]["password_change"]["current_password_field"]
    body = signed_up.body_for("password_change", {**vars(user), "new_password": _new_password()})
    reply = signed_up.send("password_change", body={k: v for k, v in body.items() if k != field})
    capability.verify(400 <= reply.status < 500, f"without {field!r}: {reply.describe()}")


def test_password_change_revokes_credentials(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "password_change", capability, NOT_APPLICABLE):
        return
    other = signed_up.fresh()
    other.login(user)
    status, _ = _change_password(signed_up, user)
    assert status in signed_up.manifest.operation("password_change").status, f"password change answered {status}"
    capability.verify(not accepted(other, other.credentials["access"]), "another device's credential, after a change")


def _reset(client: ContractClient, user: User, server: Server) -> str | None:
    """Request a reset, follow the mailed link, confirm a new password; the new password, or None."""
    client.expect(client.fresh().send("password_reset", vars(user)))
    return _confirm_mailed_reset(client, user, server)


def _confirm_mailed_reset(client: ContractClient, user: User, server: Server) -> str | None:
    """Follow the reset link mailed to `user`, confirm a new password; the new password, or None."""
    assert server.mail_dir, "the harness always knows the mail folder of a server it started"
    # Message by message (harness/mail.py): one mail file may hold several people's messages.
    values = link_values(server.mail_dir, user.email, client.manifest.data["mail"]["reset_link"])
    if values is None:
        return None
    new = _new_password()
    reply = client.fresh().send("password_reset_confirm", {**vars(user), **values, "new_password": new})
    return new if reply.status in client.manifest.operation("password_reset_confirm").status else None


def test_password_reset_end_to_end(
    signed_up: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    if absent(signed_up, "password_reset", capability, False):
        return
    reply = signed_up.fresh().send("password_reset", vars(user))
    if reply.status >= 500:  # a reset that cannot be requested does not work end to end; the claim says if expected
        capability.verify(False, f"the reset request answered {reply.describe()}")
        return
    signed_up.expect(reply)
    new = _confirm_mailed_reset(signed_up, user, own_server)
    capability.verify(bool(new) and _can_log_in(signed_up, user, new), f"reset confirmed: {bool(new)}")


def test_password_reset_revokes_credentials(
    signed_up: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    if absent(signed_up, "password_reset", capability, NOT_APPLICABLE):
        return
    credential = signed_up.credentials["access"]
    assert _reset(signed_up, user, own_server), "the reset itself must work to observe what it revokes"
    capability.verify(not accepted(signed_up, credential), "the credential issued before the reset")


def test_account_deletion(signed_up: ContractClient, user: User, capability: Check) -> None:
    if absent(signed_up, "delete_account", capability, False):
        return
    reply = signed_up.send("delete_account", vars(user))
    gone = reply.status in signed_up.manifest.operation("delete_account").status and not _can_log_in(
        signed_up, user, user.password
    )
    capability.verify(gone, f"delete answered {reply.describe()}; login afterwards refused: {gone}")
