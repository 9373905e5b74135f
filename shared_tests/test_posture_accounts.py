"""Posture: what accounts and passwords let through — enumeration, brute force, lengths, look-alikes.

Brute force and spraying are observed on a second server of the variant with the production profile, where
each library's own limits apply (the test profile lifts allauth's per-IP limits). Requests come from
127.0.0.1; the owner's login comes from 127.0.0.2 (any 127/8 address reaches the loopback server), so a
block of the attacking client is told apart from a lockout of the account that a stranger can trigger.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

import pytest
import requests

from harness.client import ContractClient, User
from harness.manifest import Manifest
from harness.posture import NOT_APPLICABLE, PostureCheck
from harness.server import Server, manage, server_env
from shared_tests.addresses import FromAddress
from shared_tests.observe import client_error, offers

pytestmark = pytest.mark.posture
ATTEMPTS = 20
OTHER_ADDRESS = "127.0.0.2"


def _elsewhere(client: ContractClient) -> ContractClient:
    session = requests.Session()
    session.mount("http://", FromAddress(OTHER_ADDRESS))
    return ContractClient(client.manifest, client.base_url, http=session)


def _created(client: ContractClient, user: User) -> bool:
    created = client.fresh().send("register", vars(user)).status in client.manifest.operation("register").status
    if created:
        client.confirm_signup(user)  # where verification is mandatory, so that the account can log in
    return created


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


TOKEN_LIKE = re.compile(r"[\w.:+/=-]{16,}")
TIME_LIKE = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:?\d\d)?")


def _shape(node: Any, user: User) -> Any:
    """The answer with what must differ between two accounts masked: their own names, tokens, ids and times."""
    if isinstance(node, dict):
        return {key: _shape(value, user) for key, value in node.items()}
    if isinstance(node, list):
        return [_shape(value, user) for value in node]
    if isinstance(node, str):
        text = node.replace(user.email, "<email>").replace(user.username, "<username>")
        return "<time>" if TIME_LIKE.fullmatch(text) else "<token>" if TOKEN_LIKE.fullmatch(text) else text
    return "<number>" if isinstance(node, int | float) and not isinstance(node, bool) else node


def test_registration_does_not_reveal_emails(client: ContractClient, user: User, posture: PostureCheck) -> None:
    client.register(user)
    twin, stranger = User.new(), User.new()
    twin.email = user.email
    taken, fresh = client.fresh().send("register", vars(twin)), client.fresh().send("register", vars(stranger))
    same_status = taken.status == fresh.status
    same_body = _shape(taken.json, twin) == _shape(fresh.json, stranger)
    posture.passes_if(
        same_status and same_body,
        f"same status: {same_status}, same body: {same_body}; taken email: {taken.describe()}; "
        f"fresh: {fresh.describe()}",
    )


def test_brute_force_throttled(client: ContractClient, user: User, posture: PostureCheck) -> None:
    client.register(user)
    guesses = [{**vars(user), "password": f"guess-{attempt}"} for attempt in range(ATTEMPTS)]
    statuses = [client.fresh().send("login", guess).status for guess in guesses]
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
    posture.passes_if(client_error(client, reply), f"answered {reply.status} in {elapsed:.2f} s")


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
    posture.passes_if(client_error(client, reply), f"{user.username!r} then {twin_name!r}: {reply.describe()}")


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


def _wrong_logins(client: ContractClient, users: list[User]) -> list[int]:
    return [
        client.fresh().send("login", {**vars(one), "password": f"guess-{n}-{one.password}"}).status
        for n, one in enumerate(users)
    ]


def test_brute_force_does_not_lock_out_owner(
    manifest: Manifest, production: Server, user: User, posture: PostureCheck
) -> None:
    with ContractClient(manifest, production.base_url) as attacker:
        attacker.register(user)
        statuses = _wrong_logins(attacker, [user] * ATTEMPTS)
        with _elsewhere(attacker) as owner:
            reply = owner.send("login", vars(user))
    ok = reply.status in manifest.operation("login").status
    posture.passes_if(
        ok,
        f"{ATTEMPTS} wrong passwords from 127.0.0.1 answered {sorted(set(statuses))}; the owner's right password "
        f"from {OTHER_ADDRESS} then: {reply.describe()}",
    )


def test_password_spraying_throttled(manifest: Manifest, production: Server, posture: PostureCheck) -> None:
    assert production.database_url and production.mail_dir, "the harness knows the database of a server it started"
    prefix, password = f"spray{secrets.token_hex(3)}", "Spr4y-" + secrets.token_urlsafe(9)
    # Twenty accounts and a control, created in one statement with one hash (the benchmarks' seed_users
    # command): signing them up over HTTP would spend the per-address sign-up budget the case is not about.
    env = server_env(manifest, production.database_url, "production", production.mail_dir)
    manage(env, "seed_users", "--count", str(ATTEMPTS + 1), "--prefix", prefix, "--password", password)
    names = [f"{prefix}{n:06d}" for n in range(1, ATTEMPTS + 2)]
    sprayed = [User(name, f"{name}@example.com", password) for name in names[:-1]]
    control = User(names[-1], f"{names[-1]}@example.com", password)
    with ContractClient(manifest, production.base_url) as sprayer:
        statuses = _wrong_logins(sprayer, sprayed)
        same_client = sprayer.fresh().send("login", vars(control)).status in manifest.operation("login").status
        with _elsewhere(sprayer) as elsewhere:
            other_client = elsewhere.send("login", vars(control)).status in manifest.operation("login").status
    assert other_client, f"the control account must log in from {OTHER_ADDRESS} for the case to judge"
    blocked = not same_client
    posture.passes_if(
        429 in statuses or blocked,
        f"one wrong password on {ATTEMPTS} accounts answered {statuses}; the spraying client's next right "
        f"login refused: {blocked} (from {OTHER_ADDRESS}: accepted)",
    )


def test_password_change_refuses_wrong_current_password(
    signed_up: ContractClient, user: User, posture: PostureCheck
) -> None:
    offered, evidence = offers(signed_up, "password_change")
    if not offered:
        posture.verify(NOT_APPLICABLE, evidence)
        return
    new = f"N3w-Pass&{secrets.token_urlsafe(9)}"
    wrong = {**vars(user), "password": "Wr0ng-" + secrets.token_urlsafe(9), "new_password": new}
    reply = signed_up.send("password_change", wrong)
    changed = _logs_in(signed_up, user, new)
    kept = _logs_in(signed_up, user, user.password)
    posture.passes_if(
        400 <= reply.status < 500 and kept and not changed,
        f"with a wrong current password: {reply.describe()}; new password works: {changed}, old one: {kept}",
    )


def _as_whom(client: ContractClient, **how: Any) -> str | None:
    reply = client.fresh().send("me", **how)
    return client.user_field(reply, "username") if reply.status in client.manifest.operation("me").status else None


def test_login_replaces_planted_credentials(client: ContractClient, user: User, posture: PostureCheck) -> None:
    # The attacker's own live credential and cookies, plus an anonymous session id, planted on the victim's login.
    stranger = User.new()
    client.register(stranger)
    attacker = client.fresh()
    attacker_login = attacker.login(stranger)
    planted_credential = attacker.credentials["access"]
    planted_cookies = {"sessionid": secrets.token_hex(16), **attacker_login.cookies}
    header, template = client.manifest.auth_header
    client.register(user)
    victim = client.fresh()
    reply = victim.send(
        "login", vars(user), headers={header: template.format(access=planted_credential)}, cookies=planted_cookies
    )
    issued = set(victim.credentials.values()) | set(reply.cookies.values())
    reused = sorted(issued & ({planted_credential} | set(planted_cookies.values())))
    as_credential = _as_whom(client, credential=planted_credential)
    as_cookies = _as_whom(client, credential=None, cookies=planted_cookies)
    posture.passes_if(
        not reused and user.username not in (as_credential, as_cookies),
        f"login with a planted credential and cookies {sorted(planted_cookies)}: {reply.status}; planted values "
        f"issued back: {len(reused)}; afterwards the planted credential is {as_credential!r}, the planted cookies "
        f"{as_cookies!r} (victim {user.username!r})",
    )
