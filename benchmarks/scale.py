"""The scale study (`python -m benchmarks.run --scale`): login and `me` as accounts and live credentials grow.

Per variant, `login_fast` and `me` (benchmark-only MD5 profile) are measured at three points, each on a fresh
server and database, with the main run's users, warm-up, duration and repeat:

- `base`: 1,000 seeded accounts;
- `many_users`: 100,000 seeded accounts (10,000 with `--quick`, which the summary and the report say);
- `many_tokens`: 1,000 seeded accounts, of which the ones the simulated users log in with (one account per
  user, as `--tokens-per-user` picks them) first get 100 real logins each over HTTP. At this point
  `login_fast` cycles over those accounts only (elsewhere over every seeded account), so every login and
  every `me` is for an account that logged in 100 times. What 100 logins leave depends on the library: a
  row per login (knox, sessions), one row per account (DRF's authtoken answers the same token again), or no
  row needed to authenticate (a signed JWT). The runner counts the live credential rows in the database
  before and after each point's runs, so the report shows what each variant actually held.

It also prints the study's figures as the runner's plain-text table; the report's section is `report/scale.py`.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import prepare
from benchmarks.config import RunConfig
from benchmarks.measure import measure_scenario
from benchmarks.progress import Progress
from benchmarks.scenarios import ACCOUNT_PREFIX, SCENARIOS, scale_scenarios
from harness.manifest import Manifest
from harness.server import ServerError, run_server

SCENARIO_NAMES = scale_scenarios()  # the scenarios the table marks `scale`
TOKENS_PER_USER = 100
BASE_USERS = 1_000
MANY_USERS = {"full": 100_000, "quick": 10_000}


def points(quick: bool) -> dict[str, dict[str, Any]]:
    """The three points: seeded accounts and logins per token account (0: only the scenarios' own)."""
    many = MANY_USERS["quick" if quick else "full"]
    return {
        "base": {"seed_users": BASE_USERS, "tokens_per_user": 0, "label": f"{BASE_USERS:,} users"},
        "many_users": {"seed_users": many, "tokens_per_user": 0, "label": f"{many:,} users"},
        "many_tokens": {"seed_users": BASE_USERS, "tokens_per_user": TOKENS_PER_USER,
                        "label": f"{BASE_USERS:,} users, {TOKENS_PER_USER} logins each"},
    }  # fmt: skip


def describe(args: RunConfig) -> dict[str, Any]:
    """The `scale` section's own header; the machine, stack and load settings are the run's `header`."""
    many = MANY_USERS["quick" if args.quick else "full"]
    return {
        "scenarios": list(SCENARIO_NAMES),
        "profile": "bench",
        "points": points(args.quick),
        "token_accounts": min(args.users, BASE_USERS),
        "settings": "the run's users, warm-up, duration and repeat (header.load)",
        "quick_note": f"--quick seeds {many:,} accounts instead of {MANY_USERS['full']:,}" if args.quick else None,
        "variants": {},
    }


def planned_runs(args: RunConfig) -> int:
    return len(SCENARIO_NAMES) * len(points(args.quick)) if args.scale else 0


def measure_variant(manifest: Manifest, args: RunConfig, run_dir: Path, progress: Progress,
                    health: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """Every point for one variant; a point that fails is recorded with its reason and the next one runs.
    `health` (the variant's, by profile) gets the bench server's where the main run started none."""
    results: dict[str, Any] = {}
    for name, point in points(args.quick).items():
        progress.note(f"{manifest.variant}: scale point {name} ({point['label']})")
        runs_left = progress.runs_left
        try:
            results[name] = _measure_point(manifest, name, point, args, run_dir, progress, health)
        except (ServerError, subprocess.CalledProcessError, AssertionError, OSError) as exc:
            detail = exc.stderr if isinstance(exc, subprocess.CalledProcessError) else str(exc)
            results[name] = {"status": f"error: {str(detail).strip()[-1500:]}", "scenarios": {}}
            progress.note(f"{manifest.variant}: scale point {name} ERROR, see summary.json")
            progress.skip_runs(len(SCENARIO_NAMES) * args.repeat - (runs_left - progress.runs_left))
    return results


def _measure_point(manifest: Manifest, name: str, point: dict[str, Any], args: RunConfig, run_dir: Path,
                   progress: Progress, health: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """One fresh bench-profile server: seed, add the live tokens, count credentials, measure, count again."""
    accounts = min(args.users, point["seed_users"])
    first_account = f"{ACCOUNT_PREFIX}{1:06d}"
    entry: dict[str, Any] = {"status": "measured", "scenarios": {}}
    with (
        tempfile.TemporaryDirectory(prefix=f"authcmp-scale-{manifest.variant}-") as workdir,
        run_server(manifest, database_url=args.database_url, profile="bench", workers=args.workers,
                   workdir=Path(workdir), access_log=False) as server,
    ):  # fmt: skip
        health.setdefault("bench", server.health)
        started = time.monotonic()
        entry["seed"] = info = prepare.seed(manifest, server, "bench", point["seed_users"])
        info["seconds"] = round(time.monotonic() - started, 2)
        if point["tokens_per_user"]:
            started = time.monotonic()
            prepare.add_live_tokens(manifest, server.base_url, accounts, point["tokens_per_user"])
            entry["tokens"] = {"accounts": accounts, "logins_each": point["tokens_per_user"],
                               "seconds": round(time.monotonic() - started, 2)}  # fmt: skip
            info = {**info, "count": accounts}  # both scenarios log in with the token accounts only
        entry["credentials_before"] = prepare.credential_rows(manifest, server, "bench", first_account)
        for scenario in SCENARIO_NAMES:
            missing = SCENARIOS[scenario].lacking(manifest)
            if missing:
                entry["scenarios"][scenario] = {"status": "skipped", "reason": f"no {', '.join(missing)} operation"}
                progress.skip_runs(args.repeat)
                continue
            where = run_dir / "scale" / name
            result = measure_scenario(manifest, scenario, server.base_url, info, args, where, progress)
            entry["scenarios"][scenario] = result
        entry["credentials_after"] = prepare.credential_rows(manifest, server, "bench", first_account)
        entry["credentials_account"] = first_account
    return entry


def failed(scale: dict[str, Any] | None) -> list[str]:
    """Variants with a scale point or run that did not complete."""
    return [variant for variant, by_point in (scale or {}).get("variants", {}).items()
            if any(p["status"] != "measured" or any(s.get("status") == "error" for s in p["scenarios"].values())
                   for p in by_point.values())]  # fmt: skip


def print_table(scale: dict[str, Any] | None) -> None:
    """The scale figures as plain progress text (requests/s per point and scenario, or why none); the report's
    scale section (report/scale.py) renders them in full from the record."""
    if not scale:
        return
    print(f"\nscale study ({scale.get('quick_note') or 'full'}): req/s per point and scenario")
    for variant, by_point in scale["variants"].items():
        for point, entry in by_point.items():
            figures = entry.get("scenarios", {}) if entry["status"] == "measured" else {}
            cells = [f"{name} {figures[name]['rps']:,.1f}" if figures.get(name, {}).get("status") == "measured"
                     else f"{name} {figures.get(name, {}).get('status') or entry['status'].split(':')[0]}"
                     for name in scale["scenarios"]]  # fmt: skip
            print(f"  {variant:26} {point:12} " + " | ".join(cells))
