"""Posture: what a failed login costs the server and tells an attacker, counted and timed.

Counted: the test profile's hasher logs every password hash to a file the harness gives the server
(`Server.hash_log`), so a successful login, a wrong password, an unknown user and a registration are each
charged an exact number of hashes. More hashes per failure than per success multiplies what an attacker's
guesses cost the server; fewer for an unknown user than for a wrong password is a timing oracle (Django's
ModelBackend hashes once for an unknown user for this reason, ticket #20760).
Timed: a second server of the variant runs the production hasher, whose cost dominates a login, and the same
three requests are interleaved in rounds; harness.cases.failure decides each comparison from a bootstrap
interval of the ratio of medians, which may come out inconclusive on a loaded machine (recorded, skipped).
That server lifts per-IP rate limits (AUTHCMP_LIFT_IP_RATE_LIMITS, read by allauth headless only), as an
attacker with many addresses does; per-account limits stay, so wrong passwords rotate over a few accounts and
any answer that still says "too many attempts" is left out and counted.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from harness.cases.failure import (
    SEED,
    at_most_tolerance,
    rate_limited,
    ratio_of_medians,
    summary,
    within_tolerance,
)
from harness.client import ContractClient, Reply, User
from harness.manifest import Manifest
from harness.posture import NOT_APPLICABLE, PostureCheck
from harness.server import Server
from shared_tests.observe import offers
from shared_tests.servers import another_server

pytestmark = pytest.mark.posture
WRONG_PASSWORD_ACCOUNTS = 8  # at most 4 wrong passwords each at 30 rounds: under every lockout here (axes: 5)
LOGIN_KINDS = ("success", "wrong", "unknown")


def _hash_lines(server: Server) -> list[str]:
    assert server.hash_log, "the harness names a hash log for every server it starts"
    return server.hash_log.read_text().splitlines() if server.hash_log.exists() else []


def _counted(server: Server, client: ContractClient, name: str, context: dict[str, Any]) -> tuple[int, Reply]:
    """The answer to one request and the password hashes the server computed for it."""
    before = len(_hash_lines(server))
    reply = client.fresh().send(name, context)
    return len(_hash_lines(server)) - before, reply


def _login_attempts(user: User) -> dict[str, dict[str, Any]]:
    return {
        "success": vars(user),
        "wrong": {**vars(user), "password": "x" + user.password},
        "unknown": vars(User.new()),
    }


@pytest.fixture
def hash_counts(client: ContractClient, own_server: Server, user: User) -> dict[str, int]:
    """Hashes per registration, successful login, wrong password and unknown user, on the test profile's hasher."""
    if own_server.health.get("profile") != "test":
        pytest.skip(f"hashes are counted by the test profile's hasher; this server runs {own_server.health}")
    counts: dict[str, int] = {}
    counts["registration"], reply = _counted(own_server, client, "register", vars(user))
    client.expect(reply)
    client.confirm_signup(user)  # where verification is mandatory: by the mailed link, no password hashed
    assert counts["registration"] >= 1, f"[{client.variant}] the counting hasher logged nothing for a registration"
    ok = client.manifest.operation("login").status
    for kind, context in _login_attempts(user).items():
        counts[kind], reply = _counted(own_server, client, "login", context)
        assert (reply.status in ok) == (kind == "success"), client.fail_message(reply, f"a {kind} login's answer")
        assert not rate_limited(reply.status, reply.text), client.fail_message(reply, "an answer not rate limited")
    return counts


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {number}" for kind, number in counts.items()) + " password hash(es)"


def test_failed_login_costs_no_more_hashes_than_success(hash_counts: dict[str, int], posture: PostureCheck) -> None:
    worst = max(hash_counts["wrong"], hash_counts["unknown"])
    posture.passes_if(worst <= hash_counts["success"], _describe(hash_counts))


def test_unknown_user_costs_as_many_hashes_as_wrong_password(
    hash_counts: dict[str, int], posture: PostureCheck
) -> None:
    posture.passes_if(hash_counts["unknown"] == hash_counts["wrong"], _describe(hash_counts))


@dataclass
class Timings:
    """Rounds of interleaved logins on the production hasher: kind -> seconds, None where rate limited."""

    rounds: list[dict[str, float | None]] = field(default_factory=list)
    limited: Counter[str] = field(default_factory=Counter)
    statuses: dict[str, set[int]] = field(default_factory=dict)

    def pairs(self, first: str, second: str) -> list[tuple[float, float]]:
        return [(a, b) for r in self.rounds if (a := r[first]) is not None and (b := r[second]) is not None]

    def evidence(self, first: str, second: str) -> str:
        samples = "; ".join(
            summary(kind, [t for r in self.rounds if (t := r[kind]) is not None]) for kind in (first, second)
        )
        statuses = ", ".join(f"{kind} {sorted(codes)}" for kind, codes in self.statuses.items())
        return f"{samples}; statuses {statuses}; rate-limited answers left out: {dict(self.limited) or 'none'}"


def _timed(client: ContractClient, context: dict[str, Any]) -> tuple[float, Reply]:
    device = client.fresh()
    start = time.perf_counter()
    reply = device.send("login", context)
    return time.perf_counter() - start, reply


@pytest.fixture(scope="module")
def production(manifest: Manifest, pytestconfig: pytest.Config) -> Iterator[Server]:
    lifted = {"AUTHCMP_LIFT_IP_RATE_LIMITS": "1"}
    with another_server(
        manifest, pytestconfig, "with the production hasher", profile="production", env=lifted
    ) as server:
        yield server


@pytest.fixture(scope="module")
def production_logins(manifest: Manifest, production: Server, pytestconfig: pytest.Config) -> Timings:
    """--timing-rounds rounds of a successful login, a wrong password and an unknown user, in a seeded random order."""
    timings, rng = Timings(), random.Random(SEED)
    ok = manifest.operation("login").status
    with ContractClient(manifest, production.base_url) as client:
        accounts = [User.new() for _ in range(WRONG_PASSWORD_ACCOUNTS)]
        for account in accounts:
            client.fresh().register(account)
        _timed(client, vars(accounts[0]))  # warm-up: the worker's first login loads code the others reuse
        for index in range(pytestconfig.getoption("--timing-rounds")):
            attempts, order, sample = _login_attempts(accounts[index % len(accounts)]), list(LOGIN_KINDS), {}
            rng.shuffle(order)  # no kind always runs first, when the worker is coldest
            for kind in order:
                seconds, reply = _timed(client, attempts[kind])
                timings.statuses.setdefault(kind, set()).add(reply.status)
                if rate_limited(reply.status, reply.text):
                    timings.limited[kind] += 1
                    sample[kind] = None
                    continue
                assert (reply.status in ok) == (kind == "success"), client.fail_message(reply, f"a {kind} login")
                sample[kind] = seconds
            timings.rounds.append(sample)
    return timings


def _verify_interval(posture: PostureCheck, finding: str, label: str, interval: Any, evidence: str) -> None:
    posture.verify(finding, f"{label} = {interval}; {evidence}")


def test_login_timing_does_not_reveal_users(production_logins: Timings, posture: PostureCheck) -> None:
    interval = ratio_of_medians(production_logins.pairs("unknown", "wrong"))
    evidence = production_logins.evidence("unknown", "wrong")
    _verify_interval(posture, within_tolerance(interval), "median unknown / wrong", interval, evidence)


def test_failed_login_takes_no_longer_than_success(
    production_logins: Timings, hash_counts: dict[str, int], posture: PostureCheck
) -> None:
    # The slower failure decides; the counted hashes say what the ratio should be if hashing dominates.
    intervals = {kind: ratio_of_medians(production_logins.pairs(kind, "success")) for kind in ("wrong", "unknown")}
    kind = max(intervals, key=lambda k: intervals[k].ratio)
    expected = hash_counts[kind] / hash_counts["success"] if hash_counts["success"] else float("inf")
    evidence = f"counted hashes {kind}/success = {expected:.2f}; " + production_logins.evidence(kind, "success")
    _verify_interval(posture, at_most_tolerance(intervals[kind]), f"median {kind} / success", intervals[kind], evidence)


def test_password_reset_timing_does_not_reveal_users(
    client: ContractClient, posture: PostureCheck, pytestconfig: pytest.Config
) -> None:
    offered, why = offers(client, "password_reset")
    if not offered:
        posture.verify(NOT_APPLICABLE, why)
        return
    # one account per round: allauth allows 5 resets a minute each
    known = [User.new() for _ in range(pytestconfig.getoption("--timing-rounds"))]
    for account in known:
        client.fresh().sign_up(account)
    rng, rounds, limited, statuses = random.Random(SEED), [], Counter[str](), set()
    client.fresh().send("password_reset", vars(User.new()))  # warm-up
    for account in known:
        contexts, sample = {"known": vars(account), "unknown": vars(User.new())}, {}
        order = list(contexts)
        rng.shuffle(order)
        for kind in order:
            device = client.fresh()
            start = time.perf_counter()
            reply = device.send("password_reset", contexts[kind])
            seconds = time.perf_counter() - start
            statuses.add(reply.status)
            if rate_limited(reply.status, reply.text):
                limited[kind] += 1
            else:
                sample[kind] = seconds
        if len(sample) == 2:
            rounds.append((sample["unknown"], sample["known"]))
    interval = ratio_of_medians(rounds)
    evidence = "; ".join(summary(kind, [r[i] for r in rounds]) for i, kind in enumerate(("unknown", "known")))
    evidence += f"; statuses {sorted(statuses)}; rate-limited answers left out: {dict(limited) or 'none'}"
    _verify_interval(posture, within_tolerance(interval), "median unknown / known email", interval, evidence)
