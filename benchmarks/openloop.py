"""Open-loop latency (`python -m benchmarks.run --open-loop`): what a user waits at a given arrival rate.

The closed loop (users sending the next request as soon as the last is answered) measures capacity, but hides
queueing: a slow answer delays the next request instead of piling up behind it (coordinated omission), so its
p99 is not what a user sees at a given load. For each scenario the table marks `open_loop`, once its closed-loop
figure is measured, the same Locust user class runs at a constant arrival rate of 25, 50, 75 and 90 % of that
figure (`OPEN_LOOP_LOADS` in config): enough users that each sends one request a second, paced by Locust's
`constant_throughput` with random phases (`--arrival-rate` in the locustfile). Each step records its target and
achieved rate, p50/p95/p99 and the CPU use; a step more than 10 % short of its target is marked `short` (the
server or the generator could not keep the pace, so its latencies are not at that load). One run per step.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from benchmarks import rules
from benchmarks.config import OPEN_LOOP_LOADS, RunConfig
from benchmarks.measure import drain, run_locust, scenario_options
from benchmarks.progress import Progress
from benchmarks.scenarios import SCENARIOS
from harness.manifest import Manifest


def planned_runs(args: RunConfig, scenarios: tuple[str, ...]) -> int:
    return len(OPEN_LOOP_LOADS) * sum(SCENARIOS[name].open_loop for name in scenarios) if args.open_loop else 0


def measure_steps(manifest: Manifest, name: str, closed: dict[str, Any], base_url: str, info: dict[str, Any],
                  args: RunConfig, run_dir: Path, progress: Progress,
                  watch: dict[str, list[int]] | None) -> dict[str, Any]:  # fmt: skip
    """The open-loop steps of one scenario below `closed` (its measured closed-loop result)."""
    capacity = closed.get("rps") or 0.0
    record: dict[str, Any] = {"capacity_rps": capacity, "capacity_from": "the closed-loop requests/s (median)",
                              "capacity_generator_bound": closed.get("generator_bound"),
                              "pacing": "constant_throughput per user, one request per user per second, random phase",
                              "runs_per_step": 1, "steps": []}  # fmt: skip
    if not capacity:
        progress.skip_runs(len(OPEN_LOOP_LOADS))
        return {**record, "status": "skipped", "reason": "no closed-loop capacity measured"}
    accounts = max(info["count"] - info.get("account_offset", 0), 1)
    for load in OPEN_LOOP_LOADS:
        rate = capacity * load
        users = rules.open_loop_users(rate, args.users, accounts)
        options = {**scenario_options(manifest, info, args), "users": users, "spawn_rate": users, "arrival_rate": rate}
        progress.start_run(manifest.variant, f"{name} open loop at {load:.0%} ({rate:,.0f} req/s)", 1, 1)
        prefix = run_dir / manifest.variant / f"{name}-open{round(load * 100)}"
        try:
            result = run_locust(SCENARIOS[name].user_class, base_url, prefix, options, args.load_cpus, watch)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            progress.end_run(None)
            record["steps"].append({"load": load, "target_rps": rate, "status": "error", "reason": str(exc)[-800:]})
            continue
        progress.end_run(result)
        drain(base_url, args.workers)
        record["steps"].append({
            "load": load, "target_rps": round(rate, 2), "users": users, "status": "measured",
            "rps": result["rps"], "short": rules.short(rate, result["rps"]),
            **{key: result[key] for key in ("p50", "p95", "p99", "requests", "failures", "generator_bound", "cpu",
                                            "files")},
        })  # fmt: skip
    record["status"] = "measured"
    return record
