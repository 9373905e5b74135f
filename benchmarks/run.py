"""Benchmark runner: `python -m benchmarks.run [--quick] [--variant V ...] [--scenarios S ...] [--out DIR]`.

For each variant it first runs the contract smoke cases (or reads them from `--smoke-record`) and refuses to measure a
variant that fails them. It then serves the variant under gunicorn (same worker count for every variant) on a fresh
database, once with the production profile (register, login: bound by password hashing) and once with the
benchmark-only MD5 profile (everything else; never for production), seeds distinct accounts, and runs each scenario
under headless Locust for a fixed number of users and seconds after a warm-up that `--reset-stats` discards, repeating
each measurement and keeping the median and the spread. The server and Locust get separate CPUs where possible. Raw
Locust files and `summary.json` go to `<out>/<run-id>/`; `<out>/latest` points at the newest run. `--host` measures a
deployment already running instead (nothing started or seeded). The options are parsed once into a frozen `RunConfig`
(`benchmarks/config.py`); the scenarios come from the one table in `benchmarks/scenarios.py`. `--scale` runs the scale
study (`benchmarks/scale.py`): login and `me` at 10^3 and 10^5 accounts and 100 logins each; `--curves` the cost
curves (`benchmarks/curves.py`), `--open-loop` latency at constant arrival rates (`benchmarks/openloop.py`). Every run
is calibrated first (`benchmarks/calibrate.py`: the load generator's own limit) and records the CPU of Locust, the
server and the database over each measurement window; the rules (generator-bound, spread) are `benchmarks/rules.py`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import cpu, curves, measure, openloop, prepare, rules, scale
from benchmarks.calibrate import calibrate
from benchmarks.config import RunConfig, parse_args
from benchmarks.progress import Progress, print_table
from benchmarks.queries import count_queries
from benchmarks.scenarios import PROFILES, SCENARIOS
from harness.manifest import Manifest, display_path
from harness.records import BenchHeader, BenchSummary
from harness.results import LATEST, Schema, header, summary_in, write_record
from harness.server import ServerError, fetch_health, redact, run_server

# Read by backends that rate-limit per IP in production (allauth): one load generator is one IP.
LIFT_IP_RATE_LIMITS = {"AUTHCMP_LIFT_IP_RATE_LIMITS": "1"}
BASELINES = ("baseline_drf", "baseline_plain")  # the same endpoints under every variant: they must agree


@contextlib.contextmanager
def serving(
    manifest: Manifest, profile: str, args: RunConfig, entry: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The variant on `profile`, seeded; or the --host deployment as it is. Yields (base URL, seed info)."""
    if args.host:
        entry["health"]["deployment"] = fetch_health(args.host)
        yield args.host, {"first_pk": args.first_pk, "count": args.seed_users, "seeded_here": False}
        return
    with (
        tempfile.TemporaryDirectory(prefix=f"authcmp-bench-{manifest.variant}-") as workdir,
        run_server(
            manifest,
            database_url=args.database_url,
            profile=profile,
            workers=args.workers,
            workdir=Path(workdir),
            extra_env=lifted(args),
            access_log=False,  # a log line per request is a cost no library causes: errors only
        ) as server,
    ):
        entry["health"][profile] = server.health
        started = time.monotonic()
        info = prepare.seed(manifest, server, profile, args.seed_users)
        info["seconds"] = round(time.monotonic() - started, 2)
        entry["seed"][profile] = info
        if profile == "bench" and args.tokens_per_user:
            prepare.add_live_tokens(manifest, server.base_url, min(args.users, args.seed_users), args.tokens_per_user)
            info["tokens_per_user"] = {"accounts": min(args.users, args.seed_users), "logins": args.tokens_per_user}
        yield server.base_url, info


def lifted(args: RunConfig) -> dict[str, str] | None:
    return LIFT_IP_RATE_LIMITS if args.ip_rate_limits == "lifted" else None


def skip_reason(name: str, manifest: Manifest, served: str) -> str | None:
    scenario = SCENARIOS[name]
    missing = scenario.lacking(manifest)
    if missing:
        return f"the manifest binds no {', '.join(missing)} operation, so {name} does not apply to this variant"
    if served != scenario.profile and scenario.profile_bound:
        return f"needs a server on the {scenario.profile} profile; the deployment runs {served!r}"
    return None


def bench_variant(manifest: Manifest, args: RunConfig, run_dir: Path, progress: Progress) -> dict[str, Any]:
    entry: dict[str, Any] = {"library": manifest.library, "manifest": display_path(manifest.path), "health": {},
                             "seed": {}, "scenarios": {}, "status": "measured",
                             # a hardened mode's default, and the causes its manifest names for what it costs
                             "hardens": manifest.hardens, "cost_causes": manifest.data.get("cost", {})}  # fmt: skip
    if args.smoke:
        progress.note(f"{manifest.variant}: contract smoke cases")
        entry["smoke"] = prepare.smoke(manifest, args.database_url, args.host, args.backends_dir, args.smoke_record)
        if not entry["smoke"]["passed"]:
            entry["status"] = "refused: the contract smoke cases failed, so its figures would not mean anything"
            progress.note(f"{manifest.variant}: REFUSED ({entry['smoke']['summary']})")
            progress.skip_runs(planned_runs(args) // len(args.variants))
            return entry
    groups = [("deployment", args.scenarios)] if args.host else [
        (profile, tuple(s for s in args.scenarios if SCENARIOS[s].profile == profile)) for profile in PROFILES
    ]  # fmt: skip
    try:
        for profile, names in groups:
            if names:
                measure_group(manifest, profile, names, args, entry, run_dir, progress)
        if args.scale:
            entry["scale"] = scale.measure_variant(manifest, args, run_dir, progress, entry["health"])
        if args.curves:
            entry["curves"] = curves.measure_variant(manifest, args, run_dir, progress, entry["health"], lifted(args))
        if args.queries and not args.host:
            progress.note(f"{manifest.variant}: counting SQL statements per operation (test profile)")
            entry["queries"] = count_queries(manifest, args.database_url)
    except (ServerError, subprocess.CalledProcessError) as exc:
        # A server that does not start or seed is this variant's problem: record it and go on with the next.
        detail = exc.stderr if isinstance(exc, subprocess.CalledProcessError) else str(exc)
        entry["status"] = f"error: {str(detail).strip()[-1500:]}"
        progress.note(f"{manifest.variant}: ERROR, see summary.json")
    return entry


def measure_group(manifest: Manifest, profile: str, names: tuple[str, ...], args: RunConfig, entry: dict[str, Any],
                  run_dir: Path, progress: Progress) -> None:  # fmt: skip
    """The scenarios one server serves, in order, on the same seeded database."""
    if profile == "production" and not args.host:
        # Timed again next to this variant's own hash-bound runs: other work on the machine moves it.
        hasher = measure.time_hasher(manifest, samples=3 if args.quick else 7)
        entry["hash_limit"] = measure.hash_limit(hasher, len(args.server_cpus))
    what = "the deployment" if args.host else f"gunicorn ({args.workers} workers) on the {profile} profile"
    progress.note(f"{manifest.variant}: {'measuring' if args.host else 'starting'} {what}")
    with serving(manifest, profile, args, entry) as (base_url, info):
        served = entry["health"].get("deployment", {}).get("profile", "unknown") if args.host else profile
        watch = cpu.watch_for(base_url, args.database_url)
        for name in names:
            reason = skip_reason(name, manifest, served)
            if reason:
                entry["scenarios"][name] = {"status": "skipped", "reason": reason}
                progress.skip_runs(args.repeat + openloop.planned_runs(args, (name,)))
                continue
            result = measure.measure_scenario(manifest, name, base_url, info, args, run_dir, progress, watch)
            entry["scenarios"][name] = result
            if args.open_loop and SCENARIOS[name].open_loop:
                if result["status"] == "measured":
                    result["open_loop"] = openloop.measure_steps(manifest, name, result, base_url, info, args, run_dir,
                                                                 progress, watch)  # fmt: skip
                else:
                    progress.skip_runs(openloop.planned_runs(args, (name,)))


def add_ratios(entry: dict[str, Any], run_limit: dict[str, Any] | None) -> None:
    """Each figure against what bounds it: the hash limit for hash-bound scenarios, else the DRF baseline."""
    measured = entry["scenarios"]
    for name, result in measured.items():
        target = SCENARIOS[name].compare_to
        if result.get("status") != "measured" or not target:
            continue
        if target == "hash_limit":
            limit = entry.get("hash_limit") or run_limit  # the variant's own timing where there is one
            reference = limit["per_second"] if limit else None
            why = "the hash limit is not computed for a deployment measured with --host"
        else:
            reference = measured.get(target, {}).get("rps")
            why = f"{target} was not measured in this run"
        # No ratio uses a figure whose load generator was the bottleneck (rules.usable_for_ratio).
        usable, unusable = rules.usable_for_ratio(result, measured.get(target, {}))
        reference, why = (reference, why) if usable else (None, unusable or why)
        # Only answered requests count: a library refusing requests (429, 5xx) fast must not look fast.
        good = result["rps"] * (1 - result["failures"] / result["requests"]) if result["requests"] else 0.0
        value = good / reference if reference else None
        result["ratio"] = {"to": target, "value": value, "usable": usable,
                           **({} if value is not None else {"reason": why})}  # fmt: skip


def run_header(args: RunConfig, run_id: str) -> BenchHeader:
    """What was measured and how; the server stack (from the servers' health) is added as variants run."""
    return {
        **header(Schema.BENCH),
        "run_id": run_id,
        "database": redact(args.database_url or "sqlite"),
        "host": args.host,
        "quick": args.quick,
        "server": {"software": "gunicorn", "version": _version("gunicorn"), "workers": args.workers,
                   "started_here": not args.host, "access_log": "none (errors only)"},
        "load": {"tool": "locust", "version": _version("locust"), "user_class": "FastHttpUser", "users": args.users,
                 "spawn_rate": args.users, "warmup_seconds": args.warmup, "duration_seconds": args.duration,
                 "repeat": args.repeat, "max_runs": args.max_runs, "processes": args.locust_processes,
                 "open_loop": args.open_loop},
        "rules": {"generator_busy": rules.GENERATOR_BUSY, "spread_bound": rules.SPREAD_BOUND,
                  "max_runs": args.max_runs, "open_loop_short": rules.SHORT_STEP,
                  "growth_tolerance": rules.GROWTH_TOLERANCE},
        "seeded_users": args.seed_users,
        "ip_rate_limits": args.ip_rate_limits,
        "profiles": {"production": "Django's default hasher",
                     "bench": "MD5 hasher: benchmark-only, never production"},
        "command": list(args.command),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + ("-quick" if args.quick else "")
    run_dir = args.out / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    head = run_header(args, run_id)  # before pinning, which narrows what this process sees of the machine
    why_not = "the server runs elsewhere (--host)" if args.host else "disabled with --no-pin"
    head["pinning"] = pinning = measure.pin_cpus(args.pin and not args.host, why_not)
    args = args.with_cpus(pinning["server_cpus"], pinning["load_cpus"] if pinning["used"] else None)
    progress = Progress(planned_runs(args), args.warmup + args.duration, len(args.variants))
    with cpu.place_database(args.database_url, args.server_cpus, pinning["used"] and args.pin_database) as placed:
        head["database_server"] = placed
        if placed["kind"] == "postgresql":
            progress.note(f"PostgreSQL: {placed['placement']}")
        return _run(args, head, run_dir, progress)


def planned_runs(args: RunConfig) -> int:
    per_variant = (len(args.scenarios) + scale.planned_runs(args)) * args.repeat + curves.planned_runs(args)
    return len(args.variants) * (per_variant + openloop.planned_runs(args, args.scenarios))


def _run(args: RunConfig, head: BenchHeader, run_dir: Path, progress: Progress) -> int:
    limit = None
    if args.host:
        progress.note(f"--host: measuring {args.host} as it is; nothing is started or seeded here (it must hold "
                      f"{args.seed_users} accounts from seed_users, the first with id {args.first_pk})")  # fmt: skip
    else:
        progress.note("timing the production password hasher on the server's CPU")
        hasher = measure.time_hasher(args.variants[0], samples=3 if args.quick else 7)
        limit = measure.hash_limit(hasher, len(args.server_cpus))
    summary: BenchSummary = {
        "header": head,
        "hash_limit": limit,
        "scenarios": {n: s.record() for n, s in SCENARIOS.items() if n in args.scenarios},
        "variants": {},
    }
    if args.scale:
        summary["scale"] = scale.describe(args)
    if args.curves:
        summary["curves"] = curves.describe(args)
    head["calibration"] = calibration = calibrate(args.variants[0], args, run_dir, progress, lifted(args))
    args = dataclasses.replace(args, locust_processes=calibration["processes"])
    if limit:
        progress.note(f"hash limit: {limit['per_second']:.2f} logins/s ({limit['algorithm']}, "
                      f"{limit['seconds']:.3f} s per hash, {limit['server_cpus']} server CPU)")  # fmt: skip
    try:
        for manifest in args.variants:
            entry = summary["variants"][manifest.variant] = bench_variant(manifest, args, run_dir, progress)
            if "scale" in entry:
                summary["scale"]["variants"][manifest.variant] = entry.pop("scale")
            if "curves" in entry:
                summary["curves"]["variants"][manifest.variant] = entry.pop("curves")
            add_ratios(entry, limit)
            progress.variant_done()
            _write(summary, run_dir, args.out)
        summary["baseline_agreement"] = rules.baseline_agreement(summary["variants"], BASELINES)
    finally:
        _write(summary, run_dir, args.out)
    print_table(summary)
    scale.print_table(summary.get("scale"))
    print(f"\nsummary: {summary_in(run_dir)} ({progress.elapsed()})")
    failed = [v for v, e in summary["variants"].items() if e["status"] != "measured"
              or any(s.get("status") == "error" for s in e["scenarios"].values())]  # fmt: skip
    return 1 if failed or scale.failed(summary.get("scale")) else 0


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _write(summary: BenchSummary, run_dir: Path, out: Path) -> None:
    first: dict[str, Any] = next((e["health"] for e in summary["variants"].values() if e["health"]), {})
    health: dict[str, Any] = next(iter(first.values()), {})
    if health:
        versions = health.get("versions", {})
        summary["header"]["stack"] = {
            "python": health.get("python"), "django": versions.get("django"),
            "djangorestframework": versions.get("djangorestframework"), "database": health.get("database"),
            "hasher_by_profile": {profile: h.get("hasher") for profile, h in first.items()},
        }  # fmt: skip
    write_record(summary_in(run_dir), summary)
    latest = out / LATEST
    temporary = out / f".latest-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(run_dir.name)
    os.replace(temporary, latest)


if __name__ == "__main__":
    sys.exit(main())
