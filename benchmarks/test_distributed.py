"""Load beyond one Locust process, and against a server the runner did not start: the smoke tests.

One knox-token server (bench profile, seeded) is started for the module and treated as a deployment. Locust's
own distributed modes drive it the way `benchmarks/README.md` documents: `--processes 2` on one host, and a
`--master` with a separate `--worker` process (as on two hosts, here over loopback). knox stores one row per
login, so the accounts the simulated users took can be read off the server's database: each process must take
its own accounts (process i from i * users), never share them. Then the runner's `--host` mode measures the
same server without starting or seeding anything. Figures are checked for kind only (requests answered, no
failures), never for size. `pytest benchmarks/test_distributed.py` (needs the bench group).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

if not importlib.util.find_spec("locust"):
    pytest.skip("the benchmarks need the `bench` dependency group (locust, matplotlib)", allow_module_level=True)

from benchmarks import prepare
from benchmarks.scenarios import ACCOUNT_PASSWORD, ACCOUNT_PREFIX
from harness.manifest import REPO_ROOT, Manifest, load
from harness.server import Server, free_port, run_server

VARIANT = "knox-token"
SEEDED = 40
USERS = 4  # two processes of two users each


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Manifest, Server]]:
    manifest = load(VARIANT)
    with run_server(manifest, profile="bench", workdir=tmp_path_factory.mktemp("deployment")) as server:
        prepare.seed(manifest, server, "bench", SEEDED)
        yield manifest, server


def locust(host: str, prefix: Path, *mode: str) -> list[str]:
    """A measured `MeUser` run as the README shows it: 1 s warm-up, 3 s measured, then Locust quits."""
    return [
        sys.executable, "-m", "locust", "-f", "benchmarks/locustfile.py", "--headless", "--only-summary",
        "-u", str(USERS), "-r", str(USERS), "-t", "60s", "--warmup", "1", "--measure", "3",
        "--variant", VARIANT, "--seeded-users", str(SEEDED), "--account-prefix", ACCOUNT_PREFIX,
        "--account-password", ACCOUNT_PASSWORD, "--host", host, "--csv", str(prefix), "--json-file", str(prefix),
        *mode, "MeUser",
    ]  # fmt: skip


def me_figures(prefix: Path) -> dict:
    stats = json.loads(prefix.with_name(prefix.name + ".json").read_text())
    return next(entry for entry in stats if entry["name"] == "me")


def tokens_of(manifest: Manifest, server: Server, number: int) -> int:
    rows = prepare.credential_rows(manifest, server, "bench", f"{ACCOUNT_PREFIX}{number:06d}")
    return rows["knox.AuthToken"]["account"]


def logged_in_accounts(manifest: Manifest, server: Server) -> dict[int, int]:
    """Live knox tokens of the first accounts each process would take (0 and 1; USERS and USERS + 1)."""
    return {number: tokens_of(manifest, server, number) for number in (1, 2, USERS + 1, USERS + 2)}


def test_processes_share_the_load_on_distinct_accounts(deployment: tuple[Manifest, Server], tmp_path: Path) -> None:
    manifest, server = deployment
    before = logged_in_accounts(manifest, server)
    prefix = tmp_path / "processes"
    done = subprocess.run(locust(server.base_url, prefix, "--processes", "2"), cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    me = me_figures(prefix)
    assert me["num_requests"] > 0 and me["num_failures"] == 0, me
    after = logged_in_accounts(manifest, server)
    # Each simulated user logs in once (set-up) with its own account: process 2 starts at account USERS + 1.
    assert {n: after[n] - before[n] for n in after} == {1: 1, 2: 1, USERS + 1: 1, USERS + 2: 1}


def test_master_and_a_separate_worker_measure_one_window(deployment: tuple[Manifest, Server], tmp_path: Path) -> None:
    _, server = deployment
    port, prefix = free_port(), tmp_path / "master"
    master_mode = ("--master", "--expect-workers", "1", "--master-bind-host", "127.0.0.1", "--master-bind-port")
    worker_command = [sys.executable, "-m", "locust", "-f", "benchmarks/locustfile.py", "--worker",
                      "--master-host", "127.0.0.1", "--master-port", str(port), "--variant", VARIANT]  # fmt: skip
    master = subprocess.Popen(locust(server.base_url, prefix, *master_mode, str(port)), cwd=REPO_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    worker = subprocess.Popen(worker_command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)  # fmt: skip
    try:
        master_out, _ = master.communicate(timeout=120)
        worker_out, _ = worker.communicate(timeout=30)
    finally:
        for process in (master, worker):
            process.kill()
    assert master.returncode == 0, master_out[-3000:]
    assert worker.returncode == 0, worker_out[-3000:]
    me = me_figures(prefix)
    assert me["num_requests"] > 0 and me["num_failures"] == 0, me


def test_runner_measures_a_deployment_it_did_not_start(deployment: tuple[Manifest, Server], tmp_path: Path) -> None:
    _, server = deployment
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--host", server.base_url, "--variant", VARIANT,
               "--seed-users", str(SEEDED), "--scenarios", "me", "login", "baseline_plain",
               "--out", str(tmp_path)]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "nothing is started or seeded here" in done.stdout
    summary = json.loads((tmp_path / "latest" / "summary.json").read_text())
    assert summary["header"]["host"] == server.base_url and summary["hash_limit"] is None
    assert summary["header"]["server"]["started_here"] is False and summary["header"]["pinning"]["used"] is False
    entry = summary["variants"][VARIANT]
    assert entry["smoke"]["passed"] and entry["health"]["deployment"]["profile"] == "bench"
    scenarios = entry["scenarios"]
    assert scenarios["me"]["status"] == "measured" and scenarios["me"]["failures"] == 0
    assert scenarios["me"]["rps"] > 0 and scenarios["me"]["ratio"]["value"] is None  # baseline_drf not run
    # login's figure only means something against the production hasher; this deployment runs MD5.
    assert scenarios["login"]["status"] == "skipped" and "'bench'" in scenarios["login"]["reason"]
