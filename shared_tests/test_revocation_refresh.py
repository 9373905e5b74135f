"""Posture: refresh-token rotation under replay and under a race (RFC 9700 section 4.14.2).

Where refresh rotates (observed: the answer carries a refresh token other than the one sent), a rotated token is
spent. The matrix checks that replaying it is refused (`rotated_refresh_reuse_rejected`); RFC 9700 4.14.2 asks
more: a replay means one of two holders is an attacker, so the whole family ends, the newest token too. And two
refreshes of one token racing each other must not both succeed, or one stolen token forks into two live families.
Where refresh does not rotate, neither case applies (n/a, pinned in the manifest).
"""

from __future__ import annotations

import threading

import pytest

from harness.client import ContractClient, Reply, User
from harness.posture import NOT_APPLICABLE, PostureCheck
from shared_tests.observe import offers
from shared_tests.test_revocation_events import REFRESH, log_in, works

pytestmark = pytest.mark.posture

# Rounds of the race: one round can miss a window that is really there; eight rounds on a 2-worker server make a
# double success that happens at all very likely to show. A pass reads "no double success in 8 rounds".
RACE_ROUNDS = 8


def _refresh_token(client: ContractClient, posture: PostureCheck) -> str | None:
    offered, evidence = offers(client, "refresh")
    token = client.credentials.get(REFRESH)
    if not offered or not token:
        posture.verify(NOT_APPLICABLE, evidence if not offered else "the login issues no refresh token")
        return None
    return token


def _refreshed(client: ContractClient, token: str) -> tuple[Reply, str | None]:
    """Refresh `token` from a fresh client: the answer and the refresh token it carries, if it succeeded."""
    device = client.fresh()
    reply = device.send("refresh", {REFRESH: token})
    ok = reply.status in client.manifest.operation("refresh").status
    return reply, device.credentials.get(REFRESH) if ok else None


def test_refresh_replay_revokes_token_family(signed_up: ContractClient, posture: PostureCheck) -> None:
    if (first := _refresh_token(signed_up, posture)) is None:
        return
    reply, second = _refreshed(signed_up, first)
    assert reply.status in signed_up.manifest.operation("refresh").status, f"a fresh refresh: {reply.describe()}"
    if second in (None, first):
        posture.verify(NOT_APPLICABLE, "refresh does not rotate: its answer carries no new refresh token")
        return
    replay, _ = _refreshed(signed_up, first)
    newest_alive = works(signed_up, REFRESH, second)
    posture.passes_if(
        not newest_alive,
        f"replaying the rotated token: {replay.describe()}; the newest refresh token afterwards still works: "
        f"{newest_alive}",
    )


def _race(client: ContractClient, token: str) -> list[tuple[Reply, str | None]]:
    """Two refreshes of `token` released at once from two threads."""
    start = threading.Barrier(2)
    results: list[tuple[Reply, str | None]] = []
    lock = threading.Lock()

    def one() -> None:
        start.wait()
        outcome = _refreshed(client, token)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_refresh_succeeds_at_most_once(signed_up: ContractClient, user: User, posture: PostureCheck) -> None:
    if _refresh_token(signed_up, posture) is None:
        return
    rotated, doubled, statuses = False, 0, []
    for _ in range(RACE_ROUNDS):
        token = log_in(signed_up, user).named[REFRESH]  # a fresh family each round
        outcomes = _race(signed_up, token)
        statuses.append(sorted(reply.status for reply, _ in outcomes))
        issued = [new for _, new in outcomes if new]
        rotated = rotated or any(new != token for new in issued)
        doubled += len(issued) == 2
    if not rotated:
        posture.verify(NOT_APPLICABLE, f"refresh does not rotate (statuses per round: {statuses})")
        return
    posture.passes_if(
        not doubled, f"{doubled} of {RACE_ROUNDS} rounds let both refreshes succeed; statuses per round: {statuses}"
    )
