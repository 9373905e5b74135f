"""Cost curves (`python -m benchmarks.run --curves`): how a request's cost grows with accounts and credentials.

Per variant, the scenarios the table marks `curve` (`login_fast`, `me`, `logout_login`, MD5 profile) are measured
along two axes, each on one database that grows in place (so each point costs its measurement, not a fresh start):

- **accounts**: `seed_users` adds the missing accounts up to each point (10^3 .. 10^6 by default, `--curve-accounts`),
  in bulk with one precomputed hash; the seconds each step took and their running total are recorded. Each point's
  scenarios log in with the accounts that point added (`account_offset`), so no point's accounts hold credentials
  an earlier point's runs left, and each point is served by a fresh server process on the database grown so far.
  After the last point the first is measured again (`again`: A-B-A) on a new database seeded to it and a new
  server: a growth the first point shows too when measured last is the machine's state at that time, not the
  accounts (two runs of this axis an hour apart disagreed by up to 30 % per point on the two-core machine).
- **credentials per account**: a fresh block of `--users` accounts per point gets that many real logins each over
  HTTP (1, 10, 100, 1,000 by default, `--curve-credentials`), then the scenarios log in with that block only, so
  every request is for an account holding that many credentials where the library keeps one per login. A point's
  logins stop at a time bound (`--curve-login-minutes`): where a login's cost grows with the account's credentials
  the point is measured at what they reached, which it records (`cut_short`) and the fit uses. The two
  ends are measured first; the middle points only where some scenario's ends differ beyond the line the fit calls
  constant (`rules.ends_agree`; `credentials_screen` records the verdict and a skipped point says why). What
  the logins left is counted, not assumed (`count_credentials`: live and stored rows per credential table, and
  the block's first account's), before and after the runs.

After the credentials axis, each pruning command the variant's settings install (simplejwt's
`flushexpiredtokens`, Django's `clearsessions`) runs once, with the rows counted before and after and its time;
knox and allauth's user sessions ship none. Each scenario's cost (milliseconds per request = 1000 / requests/s,
and p50) is fitted along each axis (`rules.growth`: constant, logarithmic or linear, and the log-log slope).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import cpu, prepare, rules
from benchmarks.config import CURVE_AXES, RunConfig
from benchmarks.measure import measure_scenario
from benchmarks.progress import Progress
from benchmarks.scenarios import ACCOUNT_PREFIX, SCENARIOS, curve_scenarios
from harness.manifest import Manifest
from harness.server import Server, ServerError, database_for, run_server, signing_keys

SCENARIO_NAMES = curve_scenarios()
# Measured at every point before the curve scenarios: no library code runs in it, so how far it moves between two
# points is the machine's drift (points are minutes apart), the yardstick a curve's growth must beat
# (`report.scale.curve_hazards`). It is not fitted.
YARDSTICK = "baseline_drf"
MEASURED_AT_EACH_POINT = (YARDSTICK, *SCENARIO_NAMES)
PRUNE_COMMANDS = ("flushexpiredtokens", "clearsessions")  # run where the variant's settings install them
BASE_ACCOUNTS = 1_000  # seeded for the credentials axis (more when its blocks need more)


def describe(args: RunConfig) -> dict[str, Any]:
    # An axis the run leaves out (--curve-axes) has no points: the report cites another run's for it.
    points = {axis: list(getattr(args, f"curve_{axis}")) if axis in args.curve_axes else [] for axis in CURVE_AXES}
    return {"scenarios": list(SCENARIO_NAMES), "yardstick": YARDSTICK, "profile": "bench", **points,
            "credential_accounts": args.users,
            "login_minutes": args.curve_login_minutes,
            "prune_commands": list(PRUNE_COMMANDS),
            "fit": "rules.growth of ms per request (1000 / requests/s) and of p50 along each axis",
            "variants": {}}  # fmt: skip


def planned_runs(args: RunConfig) -> int:
    points = sum(_points_measured(args, axis) for axis in args.curve_axes)
    return len(MEASURED_AT_EACH_POINT) * points * args.repeat if args.curves else 0


def _points_measured(args: RunConfig, axis: str) -> int:
    """An axis's points, and the accounts axis's first point once more (`again`)."""
    return len(getattr(args, f"curve_{axis}")) + (axis == "accounts")


@contextmanager
def _server(manifest: Manifest, args: RunConfig, extra_env: dict[str, str] | None,
            database_url: str | None = None) -> Iterator[Server]:  # fmt: skip
    """A bench server on a fresh database, or on `database_url` as it is (an axis grown in place)."""
    with (
        tempfile.TemporaryDirectory(prefix=f"authcmp-curves-{manifest.variant}-") as workdir,
        run_server(manifest, database_url=database_url or args.database_url, profile="bench", workers=args.workers,
                   workdir=Path(workdir), extra_env=extra_env, access_log=False,
                   fresh_database=database_url is None) as server,
    ):  # fmt: skip
        yield server


def measure_variant(manifest: Manifest, args: RunConfig, run_dir: Path, progress: Progress, health: dict[str, Any],
                    extra_env: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Both axes for one variant; an axis that fails is recorded with its reason and the other one still runs."""
    record: dict[str, Any] = {"accounts": {}, "credentials": {}, "prune": {}}
    for axis in args.curve_axes:
        runs_left = progress.runs_left
        try:
            if axis == "accounts":
                _accounts(manifest, args, run_dir, progress, record, health, extra_env)
            else:
                with _server(manifest, args, extra_env) as server:
                    health.setdefault("bench", server.health)
                    _credentials(manifest, server, args, run_dir, progress, record)
        except (ServerError, subprocess.CalledProcessError, AssertionError, OSError) as exc:
            detail = exc.stderr if isinstance(exc, subprocess.CalledProcessError) else str(exc)
            record[f"{axis}_error"] = str(detail).strip()[-1500:]
            progress.note(f"{manifest.variant}: curve of {axis} ERROR, see summary.json")
            planned = len(MEASURED_AT_EACH_POINT) * _points_measured(args, axis) * args.repeat
            progress.skip_runs(max(planned - (runs_left - progress.runs_left), 0))
    for axis in ("accounts", "credentials"):  # in point order, however they were measured
        record[axis] = dict(sorted(record[axis].items(), key=lambda item: int(item[0])))
    record["growth"] = {axis: fit(record[axis]) for axis in args.curve_axes}
    return record


def _measure_point(manifest: Manifest, server: Server, args: RunConfig, info: dict[str, Any], folder: Path,
                   progress: Progress, account: str) -> dict[str, Any]:  # fmt: skip
    watch = cpu.watch_for(server.base_url, args.database_url)
    point: dict[str, Any] = {"credentials_before": prepare.credential_rows(manifest, server, "bench", account),
                             "scenarios": {}}  # fmt: skip
    for name in MEASURED_AT_EACH_POINT:
        missing = SCENARIOS[name].lacking(manifest)
        if missing:
            point["scenarios"][name] = {"status": "skipped", "reason": f"no {', '.join(missing)} operation"}
            progress.skip_runs(args.repeat)
            continue
        # Counted before each scenario: the credentials the account held when this scenario's runs began.
        before = prepare.credential_rows(manifest, server, "bench", account)
        result = measure_scenario(manifest, name, server.base_url, info, args, folder.parent, progress, watch, folder)
        point["scenarios"][name] = {**result, "credentials_before": before}
    point["credentials_after"] = prepare.credential_rows(manifest, server, "bench", account)
    return point


def _accounts(manifest: Manifest, args: RunConfig, run_dir: Path, progress: Progress, record: dict[str, Any],
              health: dict[str, Any], extra_env: dict[str, str] | None) -> None:  # fmt: skip
    """Seeded accounts grown in place to each point, each point served by a fresh server; a point's scenarios use the
    accounts that point added (its `account_offset`), which no earlier point's runs logged in: a library keeping a
    credential per login would otherwise meet `me`'s accounts holding more at each point, and the accounts axis would
    measure credentials too. Then the first point again on a new database and server (`again`)."""
    # One set of signing keys for the axis's database: the servers that share it must agree on them.
    env = {**signing_keys(), **(extra_env or {})}
    total, previous = 0.0, 0
    with (
        tempfile.TemporaryDirectory(prefix=f"authcmp-accounts-{manifest.variant}-") as workdir,
        database_for(manifest.variant, args.database_url, Path(workdir)) as url,
    ):  # fmt: skip
        for count in args.curve_accounts:
            with _server(manifest, args, env, database_url=url) as server:
                health.setdefault("bench", server.health)
                progress.note(f"{manifest.variant}: curve point {count:,} accounts (seeding)")
                started = time.monotonic()
                info = prepare.seed(manifest, server, "bench", count)
                total += time.monotonic() - started
                # At least --users accounts in the block: fewer would have simulated users share one.
                offset = previous if count - previous >= args.users else max(count - args.users, 0)
                info.update(seconds=round(time.monotonic() - started, 2), cumulative_seconds=round(total, 2),
                            account_offset=offset)  # fmt: skip
                folder = run_dir / "curves" / manifest.variant / f"accounts-{count}"
                point = _measure_point(manifest, server, args, info, folder, progress,
                                       f"{ACCOUNT_PREFIX}{offset + 1:06d}")  # fmt: skip
            record["accounts"][str(count)] = {"seed": info, **point}
            previous = count
    first = args.curve_accounts[0]
    with _server(manifest, args, extra_env) as server:  # a new database (the config refuses a SQLite URL)
        progress.note(f"{manifest.variant}: curve point {first:,} accounts again, after the last (seeding)")
        info = prepare.seed(manifest, server, "bench", first)
        # All of them new, or this is not the first point again on a database of its own.
        assert info["created"] == first, f"the first point again found {first - info['created']:,} accounts"
        info["account_offset"] = 0
        folder = run_dir / "curves" / manifest.variant / f"accounts-{first}-again"
        point = _measure_point(manifest, server, args, info, folder, progress, f"{ACCOUNT_PREFIX}{1:06d}")
    record["accounts"][str(first)]["again"] = {"seed": info, **point}


def _screened(points: tuple[int, ...]) -> list[tuple[int, int]]:
    """(index, point) in measuring order: the two ends first, then the middle points (each keeps its own block)."""
    indexed = list(enumerate(points))
    return [*indexed[:1], *indexed[-1:]][: len(indexed)] + indexed[1:-1]


def _ends_ms(point: dict[str, Any]) -> dict[str, float | None]:
    """Per curve scenario measured at a point, its ms per request (None where generator-bound); not the yardstick."""
    return {name: None if r.get("generator_bound") else 1000 / r["rps"] for name, r in point["scenarios"].items()
            if name in SCENARIO_NAMES and r.get("status") == "measured" and r.get("rps")}  # fmt: skip


def _not_measured(record: dict[str, Any], logins: int, ends: tuple[int, ...]) -> str | None:
    """Why a middle point is left out: the ends agreed (`credentials_screen`), or the last end's logins stopped at
    their time bound below this point (measuring it would repeat a point already measured further on)."""
    if logins in ends:
        return None
    if record.get("credentials_screen", {}).get("agree"):
        return f"not measured: {record['credentials_screen']['reason']}"
    reached = record["credentials"].get(str(ends[-1]), {}).get("logins", {})
    if "cut_short" in reached and reached["each"] <= logins:
        return f"not measured: the last point's logins stopped at {reached['each']:,} per account, below this point"
    return None


def _credentials(manifest: Manifest, server: Server, args: RunConfig, run_dir: Path, progress: Progress,
                 record: dict[str, Any]) -> None:  # fmt: skip
    """A fresh block of accounts per point, each logged in `point` times first; the ends first, and the middle
    points only where the ends differ (`rules.ends_agree`); then the pruning commands."""
    users = args.users
    seeded = prepare.seed(manifest, server, "bench", max(BASE_ACCOUNTS, users * len(args.curve_credentials)))
    ends = args.curve_credentials[:1] + args.curve_credentials[-1:]
    for index, logins in _screened(args.curve_credentials):
        reason = _not_measured(record, logins, ends)
        if reason:
            record["credentials"][str(logins)] = {"skipped": reason, "scenarios": {}}
            progress.skip_runs(len(MEASURED_AT_EACH_POINT) * args.repeat)
            continue
        first = 1 + index * users
        progress.note(f"{manifest.variant}: curve point {logins:,} credentials per account ({users} accounts)")
        started = time.monotonic()
        reached = prepare.add_live_tokens(manifest, server.base_url, users, logins, first=first,
                                          deadline=started + args.curve_login_minutes * 60)  # fmt: skip
        done: dict[str, Any] = {"accounts": users, "first_account": first, "each": reached,
                                "seconds": round(time.monotonic() - started, 2)}  # fmt: skip
        if reached < logins:
            done["cut_short"] = (f"{reached:,} of {logins:,} logins per account in the "
                                 f"{args.curve_login_minutes:g}-minute bound (--curve-login-minutes)")  # fmt: skip
            progress.note(f"{manifest.variant}: {done['cut_short']}; measuring there")
        info = {**seeded, "count": first - 1 + users, "account_offset": first - 1}
        folder = run_dir / "curves" / manifest.variant / f"credentials-{logins}"
        point = _measure_point(manifest, server, args, info, folder, progress, f"{ACCOUNT_PREFIX}{first:06d}")
        record["credentials"][str(logins)] = {"logins": done, **point}
        screened = "credentials_screen" in record or len(args.curve_credentials) < 3
        if not screened and all(str(end) in record["credentials"] for end in ends):
            low, high = (_ends_ms(record["credentials"][str(end)]) for end in ends)
            agree, why = rules.ends_agree(low, high)
            record["credentials_screen"] = {"agree": agree, "reason": why}
    for command in prepare.available_commands(manifest, server, "bench", PRUNE_COMMANDS):
        before = prepare.credential_rows(manifest, server, "bench", f"{ACCOUNT_PREFIX}{1:06d}")
        started = time.monotonic()
        prepare.run_command(manifest, server, "bench", command)
        record["prune"][command] = {"seconds": round(time.monotonic() - started, 2), "before": before,
                                    "after": prepare.credential_rows(manifest, server, "bench",
                                                                     f"{ACCOUNT_PREFIX}{1:06d}")}  # fmt: skip


def fit(points: dict[str, Any]) -> dict[str, Any]:
    """Per scenario, the growth class of ms per request and of p50 over one axis's measured points."""
    fitted: dict[str, Any] = {}
    for name in SCENARIO_NAMES:
        # A point whose logins stopped at their time bound sits at the credentials they reached, not its target.
        measured = [(float(point.get("logins", {}).get("each", x)), point.get("scenarios", {}).get(name, {}))
                    for x, point in points.items()]  # fmt: skip
        measured = [(x, r) for x, r in measured if r.get("status") == "measured" and r.get("rps")]
        fitted[name] = {
            "ms_per_request": rules.growth([(x, 1000 / r["rps"]) for x, r in measured]),
            "p50": rules.growth([(x, r["p50"]) for x, r in measured]),
            "generator_bound_points": [x for x, r in measured if r.get("generator_bound")],
        }
    return fitted
