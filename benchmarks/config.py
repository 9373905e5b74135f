"""The benchmark runner's settings: parsed once from the command line into a frozen `RunConfig`.

Everything the runner, `measure`, `scale` and `amend` need to know about a run is in the one object built
by `parse_args`; nothing changes it afterwards, except that the runner replaces it once (`with_cpus`) when it
has pinned itself and knows which CPUs the servers and Locust got.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.scenarios import SCENARIOS
from harness.manifest import BACKENDS_DIR, Manifest, ManifestError, add_variant_option, display_path, select_variants
from harness.results import PATHS, Schema, read_record

FULL = {"duration": 20.0, "warmup": 5.0, "users": 20, "repeat": 3, "seed_users": 1000}
QUICK = {"duration": 4.0, "warmup": 1.0, "users": 10, "repeat": 1, "seed_users": 200}
# The spread rule's bound (benchmarks/rules.py: the last --repeat runs within 5 % of their median): runs a figure
# may add, beyond --repeat, before it is marked `spread_exceeded` (--max-runs overrides the total).
EXTRA_RUNS = 3
# Open-loop steps: shares of the variant's closed-loop capacity (its measured requests/s) sent at a constant rate.
OPEN_LOOP_LOADS = (0.25, 0.50, 0.75, 0.90)
# Cost curves: accounts seeded into one database grown in place (a fresh server per point), and live credentials
# per account on another database and server.
CURVE_ACCOUNTS = {"full": (1_000, 10_000, 100_000, 1_000_000), "quick": (1_000, 10_000)}
CURVE_CREDENTIALS = {"full": (1, 10, 100, 1_000), "quick": (1, 10)}
# Where a login's cost grows with the credentials an account holds (allauth's user sessions), logging 20 accounts in
# 1,000 times each could take hours: a point's logins stop at this bound and the point is measured where they got.
CURVE_LOGIN_MINUTES = 10.0
CURVE_AXES = ("accounts", "credentials")


@dataclass(frozen=True)
class RunConfig:
    variants: tuple[Manifest, ...]
    scenarios: tuple[str, ...]
    quick: bool
    duration: float
    warmup: float
    users: int
    repeat: int
    seed_users: int
    workers: int
    database_url: str | None
    tokens_per_user: int
    scale: bool
    ip_rate_limits: str
    pin: bool
    queries: bool
    smoke: bool
    smoke_record: Path | None  # a suite record to read the smoke cases' outcomes from instead of running them
    max_runs: int  # the spread rule's bound: runs a figure may take in all
    locust_processes: int  # Locust --processes (1: one process)
    pin_database: bool  # pin a local PostgreSQL with the served variant (where pinning is used)
    open_loop: bool
    curves: bool
    curve_accounts: tuple[int, ...]
    curve_credentials: tuple[int, ...]
    curve_login_minutes: float  # a credentials point's logins stop here; the point records what they reached
    curve_axes: tuple[str, ...]  # the axes measured (one alone re-measures it; the report joins runs per axis)
    out: Path
    host: str | None
    first_pk: int
    backends_dir: Path
    command: tuple[str, ...]  # how the run was started, for the summary's header
    # Known once the runner has pinned itself (`with_cpus`): the servers' CPUs, and Locust's (None: not pinned).
    server_cpus: tuple[int, ...] = ()
    load_cpus: tuple[int, ...] | None = None

    def with_cpus(self, server_cpus: list[int], load_cpus: list[int] | None) -> RunConfig:
        return dataclasses.replace(
            self, server_cpus=tuple(server_cpus), load_cpus=tuple(load_cpus) if load_cpus is not None else None
        )


def parse_args(argv: list[str] | None) -> RunConfig:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=_description())
    add = parser.add_argument
    add_variant_option(parser, "measure")
    add("--scenarios", nargs="+", default=[], help=f"scenarios (default: all): {', '.join(SCENARIOS)}")
    add("--quick", action="store_true", help="short runs to check the pipeline: " + json.dumps(QUICK))
    add("--duration", type=float, help=f"measured seconds per run (default {FULL['duration']:g})")
    add("--warmup", type=float, help=f"seconds at full load discarded before measuring (default {FULL['warmup']:g})")
    add("--users", type=int, help=f"simulated users (default {FULL['users']})")
    add("--repeat", type=int, help=f"runs per measurement; the median is kept (default {FULL['repeat']})")
    add("--seed-users", type=int, help=f"seeded accounts (default {FULL['seed_users']})")
    add("--workers", type=int, default=2, help="gunicorn workers, the same for every variant (default 2)")
    add("--database-url", default=os.environ.get("DATABASE_URL"),
        help="postgres://…; unset: a fresh SQLite file per server (the default)")  # fmt: skip
    add("--tokens-per-user", type=int, default=0, help="extra live logins per `me` account before measuring")
    add("--scale", action="store_true", help="the scale study; main scenarios only where --scenarios names them")
    add(
        "--ip-rate-limits",
        choices=("lifted", "as-shipped"),
        default="lifted",
        help="per-IP rate limits on the production-profile servers (default lifted: one Locust IP would hit them)",
    )
    add("--no-pin", action="store_true", help="do not pin the server and Locust to separate CPUs")
    add("--no-queries", action="store_true", help="skip the SQL-statements-per-request probe")
    add("--no-smoke", action="store_true", help="skip the contract smoke cases (not recommended)")
    add("--smoke-record", type=Path, help="read the smoke cases' outcomes from this contract record, which the suite "
        "has just written (compare), instead of running them again")  # fmt: skip
    add("--max-runs", type=int, help=f"runs a figure may take to meet the spread bound (default repeat + {EXTRA_RUNS})")
    add("--locust-processes", type=int, default=1, help="Locust --processes per run (default 1)")
    add("--no-pin-database", action="store_true", help="leave a local PostgreSQL unpinned (default: pinned with "
        "the served variant where the runner pins)")  # fmt: skip
    # argparse formats help with %: a literal percent sign is written %%.
    add("--open-loop", action="store_true", help="constant-rate latency steps at "
        f"{', '.join(f'{x:.0%}%' for x in OPEN_LOOP_LOADS)} of capacity for the scenarios the table marks")  # fmt: skip
    add("--curves", action="store_true", help="cost curves: accounts and credentials per account (below)")
    add("--curve-accounts", type=int, nargs="+", help=f"accounts points (default {_points(CURVE_ACCOUNTS)})")
    add(
        "--curve-credentials",
        type=int,
        nargs="+",
        help=f"credentials per account points (default {_points(CURVE_CREDENTIALS)})",
    )
    add("--curve-axes", nargs="+", choices=CURVE_AXES, default=list(CURVE_AXES), help="axes to measure "
        "(default both; one alone re-measures it: the report cites the newest run per variant and axis)")  # fmt: skip
    add("--curve-login-minutes", type=float, default=CURVE_LOGIN_MINUTES, help="a credentials point's logins stop "
        f"after this long; the point is measured at what they reached (default {CURVE_LOGIN_MINUTES:g})")  # fmt: skip
    add("--out", type=Path, default=PATHS.bench, help=f"results folder (default {display_path(PATHS.bench)})")
    add("--host", help="measure this running deployment of the single --variant (no start, no seeding)")
    add("--first-pk", type=int, default=1, help="with --host: primary key of the first seeded account")
    add("--backends-dir", type=Path, default=BACKENDS_DIR, help=argparse.SUPPRESS)  # fake backends in tests
    args = parser.parse_args(argv)
    sizes, size = (QUICK, "quick") if args.quick else (FULL, "full")
    default = () if args.scale or args.curves else tuple(SCENARIOS)  # a study alone runs only the study
    scenarios = tuple(dict.fromkeys(args.scenarios)) or default
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
    try:
        variants = tuple(select_variants(args.variants, args.backends_dir))
        if args.smoke_record:  # read here, so a missing or foreign record stops the run before anything starts
            read_record(args.smoke_record, Schema.CONTRACT)
    except (ManifestError, OSError, ValueError) as exc:
        parser.error(str(exc))
    if (args.database_url or "").startswith("sqlite:"):
        # harness.server keeps an explicit SQLite URL as it is: every server of the run would share that one file.
        parser.error(
            f"--database-url {args.database_url} (or DATABASE_URL): every server of a benchmark run gets "
            "a fresh SQLite file of its own when it is unset; a SQLite URL would make them all share one "
            "file, each meeting the accounts and credentials the others left. Unset it, or give postgres://"
        )
    if args.curve_login_minutes <= 0:
        parser.error("--curve-login-minutes must be above 0 (a point always makes its first round of logins)")
    if args.host and (len(variants) != 1 or args.scale or args.curves):
        parser.error("--host needs exactly one --variant (the manifest of what is deployed), no --scale, no --curves")
    repeat = int(_given(args.repeat, sizes["repeat"]))
    return RunConfig(
        variants=variants,
        scenarios=scenarios,
        quick=args.quick,
        duration=_given(args.duration, sizes["duration"]),
        warmup=_given(args.warmup, sizes["warmup"]),
        users=int(_given(args.users, sizes["users"])),
        repeat=repeat,
        seed_users=int(_given(args.seed_users, sizes["seed_users"])),
        workers=args.workers,
        database_url=args.database_url,
        tokens_per_user=args.tokens_per_user,
        scale=args.scale,
        ip_rate_limits=args.ip_rate_limits,
        pin=not args.no_pin,
        queries=not args.no_queries,
        smoke=not args.no_smoke,
        smoke_record=args.smoke_record,
        max_runs=max(args.max_runs or (repeat + EXTRA_RUNS if repeat > 1 else 1), repeat),
        locust_processes=max(args.locust_processes, 1),
        pin_database=not args.no_pin_database,
        open_loop=args.open_loop,
        curves=args.curves,
        curve_accounts=tuple(sorted(set(args.curve_accounts or CURVE_ACCOUNTS[size]))),
        curve_credentials=tuple(sorted(set(args.curve_credentials or CURVE_CREDENTIALS[size]))),
        curve_login_minutes=args.curve_login_minutes,
        curve_axes=tuple(axis for axis in CURVE_AXES if axis in args.curve_axes),
        out=args.out,
        host=args.host.rstrip("/") if args.host else None,
        first_pk=args.first_pk,
        backends_dir=args.backends_dir,
        command=("python", "-m", "benchmarks.run", *(sys.argv[1:] if argv is None else argv)),
    )


def _points(sizes: dict[str, tuple[int, ...]]) -> str:
    return f"{' '.join(map(str, sizes['full']))}; with --quick {' '.join(map(str, sizes['quick']))}"


def _given(value: float | None, default: float) -> float:
    """The option's value where one was given, else the quick or full default."""
    return default if value is None else value


def _description() -> str:
    from benchmarks import run

    return (run.__doc__ or "").split("\n\n")[0]
