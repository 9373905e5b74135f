"""Posture: what a mailed password-reset link can do, and for how long.

The variant's server writes mail to files (Django's file-based backend, shared settings); a test reads the
link out of the newest mail to the account with the manifest's `[mail].reset_link` pattern and confirms a new
password with it, as `test_cap_password.py` does. Expiry is observed on a second server whose reset lifetime is
cut to seconds through `AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS` (Django's PASSWORD_RESET_TIMEOUT, which every
library's reset tokens use). A variant without a reset operation is n/a, pinned in its manifest.
"""

from __future__ import annotations

import quopri
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.client import ContractClient, Reply, User
from harness.manifest import Manifest
from harness.posture import INCONCLUSIVE, NOT_APPLICABLE, PostureCheck
from harness.server import Server
from shared_tests.observe import offers
from shared_tests.servers import another_server

pytestmark = pytest.mark.posture
# Long enough for a control link to be mailed, read and used on a loaded machine; short enough to wait out.
RESET_TIMEOUT_SECONDS = 4
BOMB_REQUESTS = 10


def _new_password() -> str:
    return f"N3w-Pass&{secrets.token_urlsafe(9)}"


def _logs_in(client: ContractClient, user: User, password: str) -> bool:
    reply = client.fresh().send("login", {**vars(user), "password": password})
    return reply.status in client.manifest.operation("login").status


def _mails(server: Server) -> list[str]:
    assert server.mail_dir, "the harness always knows the mail folder of a server it started"
    files = sorted(server.mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
    # One file per connection, messages separated by a line of dashes (Django's file-based backend).
    return [
        message
        for path in files
        for message in quopri.decodestring(Path(path).read_bytes()).decode(errors="replace").split("\n" + "-" * 79)
        if message.strip()
    ]


def _mails_to(server: Server, email: str) -> list[str]:
    to = re.compile(rf"^To: .*{re.escape(email)}", re.MULTILINE)
    return [message for message in _mails(server) if to.search(message)]


def _request_link(client: ContractClient, user: User, server: Server) -> dict[str, str]:
    """Request a reset for `user` and read the values of the link the newest mail carries."""
    client.expect(client.fresh().send("password_reset", vars(user)))
    pattern = re.compile(client.manifest.data["mail"]["reset_link"])
    for message in reversed(_mails_to(server, user.email)):
        match = pattern.search(message)
        if match:
            return match.groupdict()
    raise AssertionError(f"[{client.variant}] no reset link in the mail to {user.email}")


def _confirm(client: ContractClient, user: User, link: dict[str, str]) -> tuple[Reply, str]:
    new = _new_password()
    return client.fresh().send("password_reset_confirm", {**vars(user), **link, "new_password": new}), new


def _refused(client: ContractClient, user: User, link: dict[str, str]) -> tuple[bool, str]:
    """Is the link refused: a 4xx, and the password it tried to set does not log in?"""
    reply, new = _confirm(client, user, link)
    took = _logs_in(client, user, new)
    return 400 <= reply.status < 500 and not took, f"{reply.describe()}; its password logs in: {took}"


def _not_offered(client: ContractClient, posture: PostureCheck, *names: str) -> bool:
    for name in names:
        offered, evidence = offers(client, name)
        if not offered:
            posture.verify(NOT_APPLICABLE, evidence)
            return True
    return False


def test_reset_link_single_use(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    if _not_offered(signed_up, posture, "password_reset"):
        return
    link = _request_link(signed_up, user, own_server)
    first, password = _confirm(signed_up, user, link)
    assert first.status in signed_up.manifest.operation("password_reset_confirm").status, first.describe()
    assert _logs_in(signed_up, user, password), "the first use of the link must set the password"
    refused, evidence = _refused(signed_up, user, link)
    posture.passes_if(refused, f"the link used a second time: {evidence}")


@pytest.fixture(scope="module")
def short_reset(manifest: Manifest, pytestconfig: pytest.Config) -> Iterator[Server]:
    env = {"AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS": str(RESET_TIMEOUT_SECONDS)}
    with another_server(manifest, pytestconfig, "to cut the reset lifetime", env=env) as server:
        yield server


def test_reset_link_expires(
    client: ContractClient, manifest: Manifest, user: User, posture: PostureCheck, request: pytest.FixtureRequest
) -> None:
    # Observed on the session's server first, so a variant without reset starts no second server.
    if _not_offered(client, posture, "password_reset"):
        return
    server: Server = request.getfixturevalue("short_reset")
    with ContractClient(manifest, server.base_url) as client:
        client.sign_up(user)
        control = User.new()
        client.fresh().sign_up(control)
        fresh_reply, fresh_password = _confirm(client, control, _request_link(client, control, server))
        if not _logs_in(client, control, fresh_password):
            # The control link did not work within the lifetime: the machine was too slow to tell, not a finding.
            why = f"a link used at once failed on the short-lived server: {fresh_reply.describe()}"
            posture.verify(INCONCLUSIVE, why)
            return
        link = _request_link(client, user, server)
        time.sleep(RESET_TIMEOUT_SECONDS + 1.5)
        refused, evidence = _refused(client, user, link)
    posture.passes_if(
        refused,
        f"{RESET_TIMEOUT_SECONDS + 1.5} s after the mail, with a {RESET_TIMEOUT_SECONDS} s lifetime: {evidence}",
    )


def test_reset_link_invalidated_by_login(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    if _not_offered(signed_up, posture, "password_reset"):
        return
    link = _request_link(signed_up, user, own_server)
    time.sleep(1.1)  # Django's reset token hashes last_login to the second: a login in the same second hides
    assert _logs_in(signed_up, user, user.password), "the owner's login must succeed"
    refused, evidence = _refused(signed_up, user, link)
    posture.passes_if(refused, f"the link mailed before a successful login, used after it: {evidence}")


def test_reset_link_invalidated_by_password_change(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    if _not_offered(signed_up, posture, "password_reset", "password_change"):
        return
    link = _request_link(signed_up, user, own_server)
    changed = _new_password()
    reply = signed_up.send("password_change", {**vars(user), "new_password": changed})
    assert reply.status in signed_up.manifest.operation("password_change").status, reply.describe()
    refused, evidence = _refused(signed_up, user, link)
    posture.passes_if(refused, f"the link mailed before a password change, used after it: {evidence}")


def test_reset_requests_throttled(client: ContractClient, user: User, own_server: Server, posture: PostureCheck):
    if _not_offered(client, posture, "password_reset"):
        return
    client.register(user)
    before = len(_mails_to(own_server, user.email))
    statuses = [client.fresh().send("password_reset", vars(user)).status for _ in range(BOMB_REQUESTS)]
    mailed = len(_mails_to(own_server, user.email)) - before
    posture.passes_if(
        mailed < BOMB_REQUESTS, f"{BOMB_REQUESTS} requests for one address answered {statuses}; mails sent: {mailed}"
    )
