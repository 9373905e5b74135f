"""Getting a variant ready to measure: the contract smoke cases, seeded accounts, optional live tokens.

A benchmark only means something for a variant that does what the contract says, so the runner first runs
the few contract cases the scenarios rely on and refuses a variant that fails them. Seeding goes through
the `seed_users` management command of the server's own settings, so the accounts get that profile's hash;
counting live credentials goes through `count_credentials`, so the tables counted are the ones the backend
declares. Both print one JSON line, which `management_json` reads (as `measure.time_hasher` does too).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.scenarios import ACCOUNT_PASSWORD, ACCOUNT_PREFIX
from harness.client import ContractClient, User
from harness.environment import PYTHON_ENV
from harness.manifest import REPO_ROOT, Manifest, display_path
from harness.results import Schema, read_record
from harness.server import Server, ServerError, server_env

SMOKE = "test_registered_account_can_log_in or test_login_returns_credential_that_me_accepts or test_logout_succeeds"


def smoke(manifest: Manifest, database_url: str | None, host: str | None, backends_dir: Path,
          record: Path | None = None) -> dict[str, Any]:  # fmt: skip
    """The contract cases a benchmark relies on; a variant that fails them is not measured. With `record` (a suite
    record compare's suite has just written) their outcomes are read from it instead of run again."""
    if record is not None:
        return smoke_in_record(manifest.variant, record)
    command = [sys.executable, "-m", "pytest", "shared_tests", "--variant", manifest.variant, "-q", "-x", "-k", SMOKE]
    command.append(f"--backends-dir={backends_dir}")
    if host:
        command += ["--base-url", host]
    env = {**os.environ, "DATABASE_URL": database_url or ""}
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    # pytest prints a refused collection (a manifest the suite rejects) on stderr: keep both.
    output = done.stdout[-3000:] + (f"\n{done.stderr[-1500:]}" if done.stderr.strip() else "")
    return {"passed": done.returncode == 0, "summary": lines[-1] if lines else "", "output": output}


def smoke_in_record(variant: str, path: Path) -> dict[str, Any]:
    """The smoke cases' outcomes for `variant` in a contract record: passed only if every one is there and passed."""
    tests = read_record(path, Schema.CONTRACT)["variants"].get(variant, {}).get("tests", {})
    wanted = SMOKE.split(" or ")
    found = {key: test["outcome"] for key, test in tests.items() if key.rsplit("::", 1)[-1] in wanted}
    missing = [name for name in wanted if not any(key.endswith(f"::{name}") for key in found)]
    failed = [f"{key} {outcome}" for key, outcome in found.items() if outcome != "passed"]
    passed = not missing and not failed
    summary = (f"{len(found)} passed in {display_path(path)}" if passed else
               "; ".join([*(f"{name} not in {display_path(path)}" for name in missing), *failed]))  # fmt: skip
    return {"passed": passed, "summary": summary, "output": "", "from_record": display_path(path)}


def management_json(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run a management command of the backend `env` selects and return the JSON line it prints last.

    A failure raises subprocess.CalledProcessError with the command's stderr, which the runner records."""
    python = env.get(PYTHON_ENV, sys.executable)  # the variant's own interpreter (harness/environment.py)
    done = subprocess.run(
        [python, "-m", "django", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _started_env(manifest: Manifest, server: Server, profile: str) -> dict[str, str]:
    """The environment of `server`'s own settings and database; only a server the harness started has them."""
    if server.database_url is None or server.mail_dir is None:
        raise ServerError(f"{server.base_url} was not started by the harness: no database of its own to reach")
    return server_env(manifest, server.database_url, profile, server.mail_dir)


def seed(manifest: Manifest, server: Server, profile: str, count: int) -> dict[str, Any]:
    env = _started_env(manifest, server, profile)
    return management_json(
        env, "seed_users", "--count", str(count), "--prefix", ACCOUNT_PREFIX, "--password", ACCOUNT_PASSWORD
    )


def add_live_tokens(manifest: Manifest, base_url: str, accounts: int, logins: int, first: int = 1,
                    threads: int = 4, deadline: float | None = None,
                    refusals: list[str] | None = None) -> int:  # fmt: skip
    """Real logins over HTTP so the accounts `me` uses (`accounts` of them from number `first`) hold many live
    credentials where the library keeps one per login (fast profile only): in rounds, each account logged in once
    per round by a client of its own, a few accounts at a time. Rounds stop at `logins` or, after the first, once
    `time.monotonic()` passes `deadline`; returns the rounds done (each account's logins). A login that fails
    raises AssertionError, unless `refusals` is given: a cap on live credentials (knox's TOKEN_LIMIT_PER_USER) is
    what the library does, not a broken run. Then the rounds stop there, the refusal is appended to `refusals`,
    each account logs its last credential out so that a scenario's own login fits under the cap, and the logins
    each account still holds (the rounds completed, less that one) are returned."""
    if logins <= 0:
        return 0
    with contextlib.ExitStack() as stack, ThreadPoolExecutor(max_workers=threads) as pool:
        clients = []
        for number in range(first, first + accounts):
            name = f"{ACCOUNT_PREFIX}{number:06d}"
            client = stack.enter_context(ContractClient(manifest, base_url))
            clients.append((client, User(name, f"{name}@example.com", ACCOUNT_PASSWORD)))
        done = 0
        while done < logins and (done == 0 or deadline is None or time.monotonic() < deadline):
            try:
                list(pool.map(lambda pair: pair[0].login(pair[1]), clients))  # list(): a failed login raises here
            except AssertionError as refused:
                if refusals is None:
                    raise
                refusals.append(str(refused))
                if done:
                    list(pool.map(lambda pair: pair[0].logout(), clients))
                return max(done - 1, 0)
            done += 1
    return done


def available_commands(manifest: Manifest, server: Server, profile: str, wanted: tuple[str, ...]) -> list[str]:
    """Which of the `wanted` management commands the server's settings install (its apps offer them or not)."""
    env = _started_env(manifest, server, profile)
    done = subprocess.run([sys.executable, "-m", "django", "help", "--commands"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    offered = set(done.stdout.split())
    return [command for command in wanted if command in offered]


def run_command(manifest: Manifest, server: Server, profile: str, command: str) -> None:
    env = _started_env(manifest, server, profile)
    subprocess.run([sys.executable, "-m", "django", command], cwd=REPO_ROOT, env=env, capture_output=True,
                   text=True, check=True)  # fmt: skip


def credential_rows(manifest: Manifest, server: Server, profile: str, account: str) -> dict[str, Any]:
    """Live rows of each credential table the backend declares, in total and for `account`, from the server's
    database (the `count_credentials` command; the tables are the settings' AUTHCMP_CREDENTIAL_TABLES).

    {"knox.AuthToken": {"live": 2000, "account": 100}, ...}; "account" is None for a table without a user
    column (Django's sessions). A signed JWT needs no row, so a JWT variant may show none or only its
    refresh-token bookkeeping (simplejwt's blacklist records every refresh token it issues)."""
    env = _started_env(manifest, server, profile)
    return management_json(env, "count_credentials", "--account", account)
