"""Robustness under concurrency, sustained load and a database fault: no 5xx, nothing lost.

Races fire 20 requests at once through a thread barrier. The soak runs a bounded mixed load (register, confirm by
mail where the variant's verification is mandatory, login, me, logout) for `--soak-seconds` and then counts the
accounts in the database against the successful registrations. The fault test kills the server's PostgreSQL
connections mid-load and checks that the variant recovers. Every figure is recorded for the report; known library
failures are declared in the manifest's `[posture]` table like any other finding.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.cases.failure import rate_limited
from harness.client import ContractClient, Reply, User
from harness.database import connect, count_users
from harness.manifest import Manifest
from harness.posture import FAIL, INCONCLUSIVE, PostureCheck, expectation
from harness.server import Server
from shared_tests.servers import another_server

pytestmark = pytest.mark.robustness
RACERS, RACE_ROUNDS, RACE_WORKERS = 20, 6, 8  # a race seen in 60 % of rounds escapes all six 0.4 % of the time


def _at_once(count: int, action: Callable[[], Reply]) -> list[Reply]:
    barrier = threading.Barrier(count)

    def run() -> Reply:
        barrier.wait()
        return action()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: run(), range(count)))


@pytest.fixture(scope="module")
def racing(manifest: Manifest, pytestconfig: pytest.Config) -> Iterator[Server]:
    """The variant with enough gunicorn workers for requests to really overlap inside the database."""
    with another_server(manifest, pytestconfig, "with one worker per racer", workers=RACE_WORKERS) as server:
        yield server


def test_concurrent_registration_creates_one_account(manifest: Manifest, racing: Server, posture: PostureCheck) -> None:
    statuses: Counter[int] = Counter()
    accounts = []
    with ContractClient(manifest, racing.base_url) as client:
        for _ in range(RACE_ROUNDS):
            user = User.new("race")
            statuses.update(r.status for r in _at_once(RACERS, lambda u=user: client.fresh().send("register", vars(u))))
            accounts.append(count_users(racing.database_url or "", user.username))
    evidence = f"{RACE_ROUNDS} rounds of {RACERS} at once: statuses {dict(statuses)}; accounts per username {accounts}"
    safe = accounts == [1] * RACE_ROUNDS and not any(s >= 500 for s in statuses)
    if safe and expectation(manifest, posture.case)[0] == FAIL:
        # A race that did not go wrong in these rounds has not been shown safe: where the variant declares that it
        # goes wrong (observed in earlier runs, with its upstream report), whether it shows depends on the machine's
        # load, so such a run is inconclusive (a skip), never a contradiction; a race seen going wrong always counts.
        posture.verify(INCONCLUSIVE, evidence + "; the declared race did not occur in these rounds")
    posture.passes_if(safe, evidence)


def test_concurrent_logins_issue_credentials_as_declared(
    manifest: Manifest, racing: Server, posture: PostureCheck
) -> None:
    # A login refused as rate limited (429, "too many ...") under a burst is a defensive answer whose count depends
    # on the machine's load (allauth's limiter waits 1 s for its cache lock): it is counted in the evidence and left
    # out of the verdict, which every other answer decides. Each round must still log someone in.
    statuses: Counter[int] = Counter()
    limited, rounds_without_login = 0, 0
    ok_statuses = manifest.operation("login").status
    with ContractClient(manifest, racing.base_url) as client:
        for _ in range(RACE_ROUNDS):
            user = User.new("race")
            client.fresh().register(user)
            devices = [client.fresh() for _ in range(RACERS)]
            replies = _at_once(RACERS, lambda d=devices, u=user: d.pop().send("login", vars(u)))
            statuses.update(reply.status for reply in replies)
            limited += sum(rate_limited(r.status, r.text) for r in replies if r.status not in ok_statuses)
            rounds_without_login += not any(r.status in ok_statuses for r in replies)
    ok = sum(n for status, n in statuses.items() if status in ok_statuses)
    posture.passes_if(
        ok + limited == RACERS * RACE_ROUNDS and not rounds_without_login,
        f"{RACE_ROUNDS} rounds of {RACERS} logins of one user: {dict(statuses)}; refused as rate limited (left out "
        f"of the verdict): {limited}; rounds with no login: {rounds_without_login}",
    )


# Tally entries that count no request: a sign-up whose confirmation failed (its verify_email answer is tallied too,
# except when no mail came: then `verify_email no mail` stands for a request never sent).
LOST = "lost confirmations"
NOT_REQUESTS = (LOST, "verify_email no mail")


def _confirm(client: ContractClient, user: User) -> tuple[str, bool]:
    """Follow the verification link mailed to `user`: its answer as `verify_email <status>`, or `verify_email no
    mail` when no link came; and whether the sign-up was lost (no mail, or an answer other than the declared
    success: the account can never log in)."""
    values = client.verification_values(user)
    if values is None:
        return "verify_email no mail", True
    with client.fresh() as device:
        status = device.send("verify_email", {**vars(user), **values}).status
    return f"verify_email {status}", status not in client.manifest.operation("verify_email").status


def _load(client: ContractClient, seconds: float, prefix: str, workers: int = 4) -> tuple[Counter[str], list[str]]:
    """`workers` threads repeat one user's session (register, confirm it by mail where the variant's sign-up needs
    that, log in on a second device, read the profile, log out) until `seconds` pass; the answers' statuses per
    operation and the usernames registered. Without the confirmation a mandatory-verification mode would refuse
    every login, and the load would never reach `me` or logout with a credential."""
    tally: Counter[str] = Counter()
    registered: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            user = User.new(prefix)
            with client.fresh() as first:
                replies = [first.send("register", vars(user))]
            signed_up = replies[0].status in client.manifest.operation("register").status
            confirmed, lost = _confirm(client, user) if confirms and signed_up else ("", False)
            with client.fresh() as device:
                replies += [device.send(name, vars(user)) for name in ("login", "me", "logout")]
            with lock:
                tally.update(f"{reply.operation} {reply.status}" for reply in replies)
                if confirmed:
                    tally[confirmed] += 1
                if lost:
                    tally[LOST] += 1
                if signed_up:
                    registered.append(user.username)

    confirms = client.manifest.signup_confirms_by_mail
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, registered


def _server_errors(tally: Counter[str]) -> int:
    return sum(n for key, n in tally.items() if key.endswith(tuple(f" 5{d:02d}" for d in range(100))))


def test_soak_has_no_server_errors_and_loses_no_account(
    client: ContractClient, own_server: Server, posture: PostureCheck, pytestconfig: pytest.Config
) -> None:
    seconds = pytestconfig.getoption("--soak-seconds")
    tally, registered = _load(client, seconds, "soak")
    assert own_server.database_url
    stored = count_users(own_server.database_url, "soak")
    requests = sum(n for key, n in tally.items() if key not in NOT_REQUESTS)
    evidence = (
        f"{requests} requests in {seconds:.0f} s, {_server_errors(tally)} 5xx; "
        f"{len(registered)} registrations succeeded, {stored} accounts stored; {dict(sorted(tally.items()))}"
    )
    # A sign-up whose confirmation failed (no mail, or an answer other than success) can never log in: it is lost
    # as surely as a missing row.
    posture.passes_if(_server_errors(tally) == 0 and stored == len(registered) and not tally[LOST], evidence)


def test_database_connections_killed_mid_load_recover(
    client: ContractClient, own_server: Server, posture: PostureCheck
) -> None:
    url = own_server.database_url or ""
    if not url.startswith("postgres"):
        pytest.skip("the connection-kill fault needs PostgreSQL (set DATABASE_URL)")
    database = url.rsplit("/", 1)[1]
    killed: list[int] = []

    def kill_connections() -> None:
        time.sleep(1.5)
        with connect(url.rsplit("/", 1)[0] + "/postgres") as admin:
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            ).fetchall()
        killed.append(len(rows))

    killer = threading.Thread(target=kill_connections)
    killer.start()
    tally, registered = _load(client, 4.0, "fault")
    killer.join()
    after, more = _load(client, 1.5, "fault", workers=2)
    stored = count_users(url, "fault")
    evidence = (
        f"killed {killed[0]} connections mid-load; during: {_server_errors(tally)} 5xx of {sum(tally.values())}; "
        f"after: {_server_errors(after)} 5xx of {sum(after.values())}; {len(registered) + len(more)} successful "
        f"registrations, {stored} accounts stored"
    )
    recovered = _server_errors(after) == 0 and sum(after.values()) > 0
    # Nothing lost: every successful sign-up is stored. A sign-up cut off by the kill may be stored and still
    # answer 5xx (the evidence shows the surplus); that is an error counted above, not a loss.
    posture.passes_if(recovered and _server_errors(tally) <= 2 and stored >= len(registered) + len(more), evidence)
