"""Posture: what a failed login costs the server and tells the attacker.

Login timing is measured on a second server of the variant with the production password hasher, since
the test profile's fast hasher would hide exactly the difference an attacker times.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator

import pytest

from harness.client import ContractClient, User
from harness.manifest import Manifest
from harness.posture import NOT_APPLICABLE, PostureCheck
from harness.server import Server, run_server

pytestmark = pytest.mark.posture
TIMING_ROUNDS = 7


@pytest.fixture(scope="module")
def production(manifest: Manifest, pytestconfig: pytest.Config) -> Iterator[Server]:
    if pytestconfig.getoption("--base-url"):
        pytest.skip("needs a server the harness started with the production hasher")
    database_url = pytestconfig.getoption("--database-url")
    with run_server(manifest, database_url=database_url, profile="production", workers=1) as server:
        yield server


def test_login_timing_does_not_reveal_users(
    manifest: Manifest, production: Server, user: User, posture: PostureCheck
) -> None:
    with ContractClient(manifest, production.base_url) as client:
        client.register(user)
        times: dict[str, list[float]] = {"wrong": [], "unknown": []}
        statuses = set()
        for _ in range(TIMING_ROUNDS):  # interleaved, so drift in machine load hits both alike
            for kind, context in (
                ("wrong", {**vars(user), "password": "x" + user.password}),
                ("unknown", vars(User.new())),
            ):
                start = time.perf_counter()
                statuses.add(client.fresh().send("login", context).status)
                times[kind].append(time.perf_counter() - start)
    ratio = statistics.median(times["unknown"]) / statistics.median(times["wrong"])
    evidence = f"median unknown/wrong = {ratio:.2f} over {TIMING_ROUNDS} each; statuses {sorted(statuses)}"
    if 429 in statuses:
        posture.verify(NOT_APPLICABLE, f"rate limiting answered 429 before timing could be compared; {evidence}")
        return
    posture.passes_if(0.75 <= ratio <= 1.33, evidence)
