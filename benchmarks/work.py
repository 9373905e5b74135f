"""Work per request along the cost curves: SQL statements, writes and rows read, counted at each point, not timed.

`python -m benchmarks.work --variant V [...] [--accounts 1000 1000000] [--credentials 1 1000] [--database-url URL]`

The cost curves (benchmarks/curves.py) time `login_fast`, `me` and `logout_login` as accounts and credentials per
account grow. Where a cost grows, this says why in counted work: whether the library runs more statements or
reads more rows per request at the far end (it walks the account's credentials), or does the same work on a
larger database. One server per variant on the `test` profile (its middleware answers every request with
`X-Authcmp-Queries: total=N writes=M rows=R`; rows on PostgreSQL only, sqlite3 keeps no count) grows in place for
both axes (the curves start one per axis): seeded accounts up to each accounts point, and for each credentials point
a fresh account logged in that many times over HTTP (`--login-minutes` bounds the logins; the point records those
it reached). At each point each curve scenario's cycle (`Scenario.cycle`) is sent twice as that point's account and
the second pass is kept (the first may fill caches); the credentials the account held as each scenario began are
counted too, and the credential a pass's login left is logged out again (uncounted), so every pass begins with what
the point holds. A library that refuses a login at a cap on live credentials (knox's hardened TOKEN_LIMIT_PER_USER)
stops the point's logins there: the point records the refusal (`logins.refused`), gives one credential back so the
scenarios' own logins fit under the cap, and is counted at what the account then holds. Counts are exact: one pass
is the figure. The record
(`results/work/summary.json`, published as `work`) is what the report's curves section reads beside each growing
cost.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import prepare, queries
from benchmarks.curves import SCENARIO_NAMES
from benchmarks.scenarios import ACCOUNT_PASSWORD, ACCOUNT_PREFIX, SCENARIOS
from harness.client import ContractClient, Reply, User
from harness.manifest import Manifest, add_variant_option, display_path, select_variants
from harness.results import PATHS, Schema, header, write_record
from harness.server import Server, ServerError, run_server

KEYS = ("total", "writes", "rows")  # what the header counts; a cycle's figure is the sum over its requests


def cycle_work(manifest: Manifest, server: Server, account: str) -> dict[str, Any]:
    """Per curve scenario, what its cycle cost as `account` on the second pass: {"total", "writes", "rows"?,
    "requests", "credentials_before"}, or {"status": "skipped", "reason"} where the variant lacks an operation."""
    base_url = server.base_url
    user = User(account, f"{account}@example.com", ACCOUNT_PASSWORD)
    work: dict[str, Any] = {}
    for name in SCENARIO_NAMES:
        scenario = SCENARIOS[name]
        missing = scenario.lacking(manifest)
        if missing:
            work[name] = {"status": "skipped", "reason": f"no {', '.join(missing)} operation"}
            continue
        before = prepare.credential_rows(manifest, server, "test", account)
        with ContractClient(manifest, base_url) as client:
            if "login" in scenario.needs and scenario.cycle[0] != "login":
                client.login(user)  # the scenario's set-up: each simulated user logs in once
            # Uncounted: the credential a pass's login left is given back (after each pass of a cycle that logs in
            # first, else after the last), so every pass begins with what the point holds and a library capping live
            # credentials has room for the pass's login.
            give_back = manifest.has_operation("logout")
            for _ in range(2):
                counted = [_counts(client.expect(client.send(op, vars(user) if op == "login" else None)))
                           for op in scenario.cycle]  # fmt: skip
                if give_back and scenario.cycle[0] == "login":
                    _log_out(client)
            if give_back and scenario.cycle[0] != "login":
                _log_out(client)
        work[name] = {key: sum(c[key] for c in counted) for key in KEYS if all(key in c for c in counted)}
        work[name].update(requests=len(counted), credentials_before=before)
    return work


def _log_out(client: ContractClient) -> None:
    client.logout()
    client.credentials.clear()  # the client keeps what it captured; the server has let it go


def _counts(reply: Reply) -> dict[str, int]:
    found = queries.parse(reply.headers.get(queries.HEADER))
    if found is None:
        raise ServerError(f"{reply.describe()}: no {queries.HEADER} header (only the test profile counts)")
    return found


def measure_variant(manifest: Manifest, server: Server, record: dict[str, Any], accounts: list[int],
                    credentials: list[int], login_minutes: float) -> None:  # fmt: skip
    """Both axes on one growing database, into `record` point by point (a failure keeps the points before it):
    accounts first (a fresh account per point, the last one seeded), then the credentials points, each on a fresh
    account past the largest accounts point."""
    for count in accounts:
        print(f"{manifest.variant}: {count:,} accounts (seeding)", flush=True)
        seeded = prepare.seed(manifest, server, "test", count)
        account = f"{ACCOUNT_PREFIX}{count:06d}"
        record["accounts"][str(count)] = {"seed": seeded, "account": account,
                                          "scenarios": cycle_work(manifest, server, account)}  # fmt: skip
    base = max(accounts, default=0)
    prepare.seed(manifest, server, "test", base + len(credentials))
    for index, logins in enumerate(credentials, 1):
        account = f"{ACCOUNT_PREFIX}{base + index:06d}"
        print(f"{manifest.variant}: {logins:,} logins of {account}", flush=True)
        started, refusals = time.monotonic(), list[str]()
        reached = prepare.add_live_tokens(manifest, server.base_url, 1, logins, first=base + index, threads=1,
                                          deadline=started + login_minutes * 60, refusals=refusals)  # fmt: skip
        point: dict[str, Any] = {
            "account": account,
            "logins": {"each": reached, "seconds": round(time.monotonic() - started, 2)},
        }
        if refusals:  # the library refused a login (a cap on live credentials): counted one below where it stopped
            point["logins"]["refused"] = (f"login {reached + 2:,} refused, one credential logged out again so the "
                                          f"scenarios' logins fit: {refusals[0][:400]}")  # fmt: skip
        elif reached < logins:
            point["logins"]["cut_short"] = f"{reached:,} of {logins:,} logins in the {login_minutes:g}-minute bound"
        point["scenarios"] = cycle_work(manifest, server, account)
        record["credentials"][str(logins)] = point


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.work", description=__doc__.splitlines()[0])
    add_variant_option(parser, "count")
    parser.add_argument("--accounts", type=int, nargs="+", default=[1_000, 1_000_000], help="default: 10^3 10^6")
    parser.add_argument("--credentials", type=int, nargs="+", default=[1, 1_000], help="default: 1 1000")
    parser.add_argument(
        "--login-minutes",
        type=float,
        default=10.0,
        help="bound on one credentials point's logins (default 10; the point records those reached)",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None, help="default: SQLite")
    parser.add_argument(
        "--out", type=Path, default=PATHS.work_summary, help=f"default {display_path(PATHS.work_summary)}"
    )
    args = parser.parse_args(argv)
    if min(args.accounts + args.credentials) < 1 or args.login_minutes <= 0:
        parser.error("--accounts and --credentials take positive counts, --login-minutes a positive bound")
    database = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
    record: dict[str, Any] = {"header": {**header(Schema.WORK), "database": database, "profile": "test",
                                         "server": "gunicorn, 1 worker",
                                         "accounts": sorted(args.accounts), "credentials": sorted(args.credentials),
                                         "login_minutes": args.login_minutes,
                                         "scenarios": {n: list(SCENARIOS[n].cycle) for n in SCENARIO_NAMES}},
                              "variants": {}}  # fmt: skip
    failed = []
    for manifest in select_variants(args.variants):
        entry: dict[str, Any] = {"health": {}, "accounts": {}, "credentials": {}}
        record["variants"][manifest.variant] = entry
        try:
            with (
                tempfile.TemporaryDirectory(prefix=f"authcmp-work-{manifest.variant}-") as workdir,
                run_server(manifest, database_url=args.database_url, profile="test", workers=1,
                           workdir=Path(workdir), access_log=False) as server,
            ):  # fmt: skip
                entry["health"] = server.health
                measure_variant(manifest, server, entry, sorted(args.accounts), sorted(args.credentials),
                                args.login_minutes)  # fmt: skip
        except (ServerError, subprocess.CalledProcessError, AssertionError, OSError) as exc:  # OSError: requests'
            detail = exc.stderr if isinstance(exc, subprocess.CalledProcessError) else str(exc)
            entry["error"] = str(detail).strip()[-1500:]  # recorded, and the report shows it: no silent gap
            failed.append(manifest.variant)
            print(f"{manifest.variant}: ERROR (recorded): {entry['error'][-300:]}", file=sys.stderr, flush=True)
        write_record(args.out, record)  # after each variant: a long run keeps what it has counted
    print(f"wrote {display_path(args.out)}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
