"""Capabilities of throttling: login per account and per client, reset requests per client, resent verification mail.

Observed on a second server of the variant with the production profile (Django's PBKDF2 hasher, and every limit
the variant's settings set for production: the test profile lifts the per-address ones, since the whole suite
comes from 127.0.0.1) and two gunicorn workers, so a limit counted per worker shows as one that does not hold.
Each actor connects from a loopback address of its own (shared_tests/addresses.py): per-account guessing comes
from a new address each time, per-client probing from one. A throttle that does not answer within a bounded
number of requests is observed as false, the bound stated in the evidence; a case stops at the first refusal, so
the variants that throttle early pay few password hashes. The posture battery asks related questions (brute force
from one client, spraying over real accounts, reset mails per address): these cells are the matrix's view of the
same limits, keyed the other way.
"""

from __future__ import annotations

import secrets

from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import User
from harness.mail import count_mails_to
from harness.manifest import Manifest
from harness.server import Server
from shared_tests.addresses import client_from
from shared_tests.observe import absent

LOGIN_GUESSES = 8  # per account, one address each: allauth's per-account limit is 5 failures per 5 minutes
CLIENT_ATTEMPTS = 21  # from one address: the hardened modes allow 10 or 20 a minute per address
RESEND_REQUESTS = 6  # for one address


def _signed_up(manifest: Manifest, server: Server, address: str) -> User:
    """A new account, signed up (and confirmed by mail where sign-up must be) from a set-up address."""
    user = User.new("t")
    with client_from(manifest, server, address) as setup:
        setup.register(user)
    return user


def _login_status(manifest: Manifest, server: Server, address: str, user: User, password: str) -> int:
    with client_from(manifest, server, address) as one:
        return one.send("login", {**vars(user), "password": password}).status


def _ok(manifest: Manifest, status: int) -> bool:
    return status in manifest.operation("login").status


def _refused_as_throttle(status: int) -> bool:
    return status == 429


def test_login_throttled_per_account(manifest: Manifest, production: Server, capability: Check) -> None:
    owner = _signed_up(manifest, production, "127.0.1.250")
    assert _ok(manifest, _login_status(manifest, production, "127.0.1.251", owner, owner.password)), (
        f"[{manifest.variant}] the owner must log in before the guessing for the case to judge"
    )
    statuses: list[int] = []
    for attempt in range(1, LOGIN_GUESSES + 1):
        statuses.append(_login_status(manifest, production, f"127.0.1.{attempt}", owner, f"guess-{attempt}"))
        if _refused_as_throttle(statuses[-1]):
            break
    after = _login_status(manifest, production, "127.0.1.252", owner, owner.password)
    capability.verify(
        429 in statuses or not _ok(manifest, after),
        f"{len(statuses)} wrong passwords (at most {LOGIN_GUESSES}), each from another address: {statuses}; the "
        f"owner's right password from yet another address then answered {after}",
    )


def test_login_throttled_per_client(manifest: Manifest, production: Server, capability: Check) -> None:
    control = _signed_up(manifest, production, "127.0.2.250")
    statuses: list[int] = []
    for _ in range(CLIENT_ATTEMPTS):
        stranger = User.new("nobody")  # a different, unknown account each time: no per-account counter adds up
        statuses.append(_login_status(manifest, production, "127.0.2.1", stranger, stranger.password))
        if _refused_as_throttle(statuses[-1]):
            break
    same_client = _login_status(manifest, production, "127.0.2.1", control, control.password)
    elsewhere = _login_status(manifest, production, "127.0.2.2", control, control.password)
    assert _ok(manifest, elsewhere), f"[{manifest.variant}] the control account must log in from another address"
    capability.verify(
        429 in statuses or not _ok(manifest, same_client),
        f"{len(statuses)} failed logins (at most {CLIENT_ATTEMPTS}) of unknown accounts from one address: "
        f"{sorted(set(statuses))}; a real account's right password from that address then answered {same_client} "
        f"(from another: {elsewhere})",
    )


def test_password_reset_throttled_per_client(manifest: Manifest, production: Server, capability: Check) -> None:
    with client_from(manifest, production, "127.0.3.1") as requester:
        if absent(requester, "password_reset", capability, NOT_APPLICABLE):
            return
        statuses: list[int] = []
        for _ in range(CLIENT_ATTEMPTS):
            address = f"reset-{secrets.token_hex(6)}@example.com"  # one request per address: no per-address limit
            statuses.append(requester.send("password_reset", {"email": address}).status)
            if _refused_as_throttle(statuses[-1]):
                break
    capability.verify(
        429 in statuses,
        f"{len(statuses)} reset requests (at most {CLIENT_ATTEMPTS}) for as many addresses from one client: "
        f"{sorted(set(statuses))}",
    )


def test_verification_resend_throttled(manifest: Manifest, production: Server, capability: Check) -> None:
    assert production.mail_dir
    with client_from(manifest, production, "127.0.4.1") as client:
        if absent(client, "resend_verification", capability, NOT_APPLICABLE):
            return
        user = User.new("t")
        client.expect(client.send("register", vars(user)))
        before = count_mails_to(production.mail_dir, user.email)
        statuses = []
        for number in range(RESEND_REQUESTS):
            with client_from(manifest, production, f"127.0.4.{number + 2}") as elsewhere:
                statuses.append(elsewhere.send("resend_verification", vars(user)).status)
            if number == 0 and count_mails_to(production.mail_dir, user.email) == before:
                capability.verify(NOT_APPLICABLE, f"the first resend mailed nothing: {statuses}")
                return
    mailed = count_mails_to(production.mail_dir, user.email) - before
    capability.verify(
        429 in statuses or mailed < RESEND_REQUESTS,
        f"{RESEND_REQUESTS} resends for one address, each from another client: {statuses}; mails sent: {mailed}",
    )
