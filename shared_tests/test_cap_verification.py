"""Capabilities of e-mail verification: the mail a sign-up sends, what its link confirms, how its key behaves.

Each test signs up with a bare `send("register")` (not the client's `register`, which confirms by mail where the
manifest says sign-up must), reads the variant's mail folder for the link `[mail].verify_link` matches
(harness/mail.py), and POSTs what the link carries to `verify_email`, as the frontend page it leads to would. A
variant whose sign-up mails no link is observed so: its cells are false, or n/a where they ask how the key behaves.
Expiry is observed on a second server whose confirmation keys live KEY_SECONDS (allauth's
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS as a fraction of a day, djoser's PASSWORD_RESET_TIMEOUT: shared settings),
started only for a variant whose sign-up mails a link. Resend throttling is in test_cap_throttling.py (it is
observed with the production profile's limits).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, Reply, User
from harness.mail import count_mails_to, link_url, link_values
from harness.manifest import Manifest
from harness.server import Server
from shared_tests.observe import absent
from shared_tests.servers import another_server

KEY_SECONDS = 2  # the confirmation key's lifetime on the short-lived server; the test waits 1.5 s past it


def _pattern(client: ContractClient) -> str | None:
    return client.manifest.data.get("mail", {}).get("verify_link")


def _sign_up_unconfirmed(client: ContractClient, user: User, server: Server) -> tuple[Reply, dict[str, str] | None]:
    """Register without confirming; the values the mailed verification link carries, or None when none came."""
    assert server.mail_dir, "the harness knows the mail folder of a server it started"
    reply = client.expect(client.fresh().send("register", vars(user)))
    pattern = _pattern(client)
    return reply, link_values(server.mail_dir, user.email, pattern) if pattern else None


def _confirm(client: ContractClient, user: User, values: dict[str, str]) -> Reply:
    return client.fresh().send("verify_email", {**vars(user), **values})


def _confirmed(client: ContractClient, reply: Reply) -> bool:
    return reply.status in client.manifest.operation("verify_email").status


def _logs_in(client: ContractClient, user: User) -> bool:
    return client.fresh().send("login", vars(user)).status in client.manifest.operation("login").status


def test_verification_mail_sent_on_signup(
    client: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    reply, values = _sign_up_unconfirmed(client, user, own_server)
    assert own_server.mail_dir
    mails = count_mails_to(own_server.mail_dir, user.email)
    # Without a declared link pattern, any mail to the address counts: one would need a pattern to be followed.
    sent = values is not None if _pattern(client) else mails > 0
    capability.verify(sent, f"sign-up answered {reply.status}; mails to the address: {mails}; link found: {sent}")


def test_login_refused_before_verification(client: ContractClient, user: User, capability: Check) -> None:
    client.expect(client.send("register", vars(user)))
    right = client.fresh().send("login", vars(user))
    if right.status in client.manifest.operation("login").status:
        capability.verify(False, f"the right password before any confirmation: {right.describe()}")
        return
    assert 400 <= right.status < 500, client.fail_message(right, "a 4xx refusal or a login")
    wrong = client.fresh().send("login", {**vars(user), "password": user.password + "-wrong"})
    told = (right.status, right.json) != (wrong.status, wrong.json)
    capability.verify(
        True if told else "refused as a wrong password",
        f"right password, unconfirmed: {right.describe()}; wrong password: {wrong.describe()}",
    )


def test_verification_confirms_address(
    client: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    _, values = _sign_up_unconfirmed(client, user, own_server)
    if values is None:
        capability.verify(False, "sign-up mailed no verification link")
        return
    reply = _confirm(client, user, values)
    logs_in = _logs_in(client, user)
    capability.verify(_confirmed(client, reply) and logs_in, f"{reply.describe()}; login afterwards: {logs_in}")


def test_verification_key_single_use(client: ContractClient, user: User, own_server: Server, capability: Check) -> None:
    _, values = _sign_up_unconfirmed(client, user, own_server)
    if values is None:
        capability.verify(NOT_APPLICABLE, "sign-up mailed no verification link")
        return
    first = _confirm(client, user, values)
    assert _confirmed(client, first), client.fail_message(first, "the first use of the mailed key to confirm")
    second = _confirm(client, user, values)
    capability.verify(400 <= second.status < 500, f"the same key again: {second.describe()}")


@pytest.fixture(scope="module")
def short_lived(manifest: Manifest, pytestconfig: pytest.Config) -> Iterator[Server]:
    seconds = str(KEY_SECONDS)
    env = {"AUTHCMP_VERIFICATION_KEY_SECONDS": seconds, "AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS": seconds}
    with another_server(manifest, pytestconfig, f"with {KEY_SECONDS} s confirmation keys", env=env) as server:
        yield server


def test_verification_key_expires(
    client: ContractClient, user: User, own_server: Server, request: pytest.FixtureRequest, capability: Check
) -> None:
    _, values = _sign_up_unconfirmed(client, user, own_server)
    if values is None:
        capability.verify(NOT_APPLICABLE, "sign-up mailed no verification link")
        return
    server: Server = request.getfixturevalue("short_lived")
    with ContractClient(client.manifest, server.base_url, mail_dir=server.mail_dir) as short:
        other = User.new()
        _, mailed = _sign_up_unconfirmed(short, other, server)
        assert mailed, f"[{client.variant}] the short-lived server mailed no verification link"
        time.sleep(KEY_SECONDS + 1.5)
        reply = _confirm(short, other, mailed)
    waited = f"the key {KEY_SECONDS + 1.5} s after the mail, with a {KEY_SECONDS} s lifetime"
    capability.verify(400 <= reply.status < 500, f"{waited}: {reply.describe()}")


def test_verification_resend_available(
    client: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    if absent(client, "resend_verification", capability, False):
        return
    assert own_server.mail_dir
    client.expect(client.send("register", vars(user)))
    before = count_mails_to(own_server.mail_dir, user.email)
    reply = client.fresh().send("resend_verification", vars(user))
    mailed = count_mails_to(own_server.mail_dir, user.email) - before
    pattern = _pattern(client)
    values = link_values(own_server.mail_dir, user.email, pattern) if mailed and pattern else None
    confirmed = values is not None and _confirmed(client, _confirm(client, user, values))
    capability.verify(
        reply.status < 500 and mailed > 0 and confirmed,
        f"resend {reply.describe()}; new mails: {mailed}; the resent link confirms: {confirmed}",
    )


def test_verification_link_target_configurable(
    client: ContractClient, user: User, own_server: Server, capability: Check
) -> None:
    _, values = _sign_up_unconfirmed(client, user, own_server)
    pattern = _pattern(client)
    if values is None or not pattern:
        capability.verify(False, "sign-up mailed no verification link")
        return
    assert own_server.mail_dir
    url = link_url(own_server.mail_dir, user.email, pattern)
    assert url, f"[{client.variant}] the verification link has no absolute URL around it"
    # A frontend's page is not the API's: on another origin, or a path the API does not serve (404).
    api = urlsplit(client.base_url)
    same_origin = urlsplit(url).netloc == api.netloc
    served = requests.get(url, allow_redirects=False, timeout=30).status_code if same_origin else None
    frontend = not same_origin or served == 404
    confirmed = _confirmed(client, _confirm(client, user, values))
    where = f"the API answers it {served}" if same_origin else "another origin than the API's"
    capability.verify(frontend and confirmed, f"link {url}: {where}; its values POSTed back confirm: {confirmed}")
