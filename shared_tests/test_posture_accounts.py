"""Posture: what accounts and passwords let through — enumeration, brute force, lengths, look-alikes."""

from __future__ import annotations

import secrets
import time

import pytest

from harness.client import ContractClient, User
from harness.posture import NOT_APPLICABLE, PostureCheck
from shared_tests.observe import offers

pytestmark = pytest.mark.posture


def _created(client: ContractClient, user: User) -> bool:
    return client.fresh().send("register", vars(user)).status in client.manifest.operation("register").status


def _logs_in(client: ContractClient, user: User, password: str) -> bool:
    reply = client.fresh().send("login", {**vars(user), "password": password})
    return reply.status in client.manifest.operation("login").status


def test_password_reset_does_not_reveal_users(signed_up: ContractClient, user: User, posture: PostureCheck) -> None:
    offered, evidence = offers(signed_up, "password_reset")
    if not offered:
        posture.verify(NOT_APPLICABLE, evidence)
        return
    known = signed_up.fresh().send("password_reset", vars(user))
    unknown = signed_up.fresh().send("password_reset", vars(User.new()))
    same = (known.status, known.json) == (unknown.status, unknown.json)
    posture.passes_if(same, f"known: {known.describe()}; unknown: {unknown.describe()}")


def test_registration_does_not_reveal_emails(client: ContractClient, user: User, posture: PostureCheck) -> None:
    client.register(user)
    twin, stranger = User.new(), User.new()
    twin.email = user.email
    taken, fresh = client.fresh().send("register", vars(twin)), client.fresh().send("register", vars(stranger))
    posture.passes_if(taken.status == fresh.status, f"taken email: {taken.describe()}; fresh: {fresh.status}")


def test_brute_force_throttled(client: ContractClient, user: User, posture: PostureCheck) -> None:
    client.register(user)
    statuses = [
        client.fresh().send("login", {**vars(user), "password": f"guess-{attempt}"}).status for attempt in range(20)
    ]
    locked = _logs_in(client, user, user.password) is False
    posture.passes_if(429 in statuses or locked, f"statuses {statuses}; right password afterwards refused: {locked}")


def _long_password(client: ContractClient, user: User, posture: PostureCheck, length: int) -> None:
    user.password = ("Tr0ub4dor&3-" + secrets.token_urlsafe(length))[:length]
    ok = _created(client, user) and _logs_in(client, user, user.password)
    posture.passes_if(ok, f"a {length}-character password registers and logs in: {ok}")


def test_password_64_chars_accepted(client: ContractClient, user: User, posture: PostureCheck) -> None:
    _long_password(client, user, posture, 64)


def test_password_128_chars_accepted(client: ContractClient, user: User, posture: PostureCheck) -> None:
    _long_password(client, user, posture, 128)


def test_password_1mb_rejected(client: ContractClient, user: User, posture: PostureCheck) -> None:
    user.password = "Tr0ub4dor&3-" + "x" * (1024 * 1024)
    start = time.perf_counter()
    reply = client.send("register", vars(user))
    elapsed = time.perf_counter() - start
    posture.passes_if(400 <= reply.status < 500, f"answered {reply.status} in {elapsed:.2f} s")


def test_password_unicode_accepted(client: ContractClient, user: User, posture: PostureCheck) -> None:
    user.password = "Пароль-ключ-✓-" + secrets.token_hex(4)
    ok = _created(client, user) and _logs_in(client, user, user.password)
    posture.passes_if(ok, f"non-ASCII password registers and logs in: {ok}")


def test_password_not_truncated(client: ContractClient, user: User, posture: PostureCheck) -> None:
    user.password = ("Tr0ub4dor&3-" + secrets.token_urlsafe(100))[:100]
    assert _created(client, user), "a 100-character password must register to observe truncation"
    prefix_works = _logs_in(client, user, user.password[:72])
    posture.passes_if(not prefix_works, f"the 72-character prefix logs in: {prefix_works}")


def _twin_refused(client: ContractClient, user: User, posture: PostureCheck, twin_name: str) -> None:
    assert _created(client, user), "the original account must register"
    twin = User.new()
    twin.username = twin_name
    reply = client.fresh().send("register", vars(twin))
    posture.passes_if(400 <= reply.status < 500, f"{user.username!r} then {twin_name!r}: {reply.describe()}")


def test_username_case_variant_refused(client: ContractClient, user: User, posture: PostureCheck) -> None:
    user.username = "alice" + user.username
    _twin_refused(client, user, posture, user.username.capitalize())


def test_username_confusable_refused(client: ContractClient, user: User, posture: PostureCheck) -> None:
    user.username = "admin" + user.username
    _twin_refused(client, user, posture, "\u0430" + user.username[1:])  # Cyrillic small a


def test_username_fullwidth_variant_refused(client: ContractClient, user: User, posture: PostureCheck) -> None:
    user.username = "user" + user.username
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in user.username)
    _twin_refused(client, user, posture, fullwidth)


def test_password_not_echoed(client: ContractClient, user: User, posture: PostureCheck) -> None:
    register = client.send("register", vars(user))
    login = client.fresh().send("login", vars(user))
    echoed = [reply.operation for reply in (register, login) if user.password in reply.text]
    posture.passes_if(not echoed, f"answers containing the password: {echoed or 'none'}")
