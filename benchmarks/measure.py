"""Measurement pieces of the benchmark runner: CPU pinning, the hash limit, one Locust run and its figures.

The server and the load generator get separate CPUs where the machine has two: the runner pins itself (and
so the gunicorn server it starts, which inherits the affinity) to the first CPU and starts Locust under
`taskset` on the second. The hash limit is what login cannot exceed however fast a library is: each login
verifies one password, so `server CPUs / seconds per hash` logins per second at most; it is timed here, on
the server's CPU, with the production hasher. Figures come from Locust's JSON stats (raw histograms), so
set-up requests are left out and percentiles are computed over exactly the requests a scenario measures.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import cpu, rules
from benchmarks.config import RunConfig
from benchmarks.prepare import management_json
from benchmarks.progress import Progress
from benchmarks.scenarios import ACCOUNT_PASSWORD, ACCOUNT_PREFIX, SCENARIOS, SETUP_PREFIX, WINDOW_MARK
from harness.manifest import REPO_ROOT, Manifest
from harness.server import fetch_health, server_env

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PERCENTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99}
RUN_TIME_MARGIN = 30.0  # --run-time is only a safety net: the locustfile ends the run after warm-up + duration
UNSTABLE = 0.10  # a repetition further than this from the median flags the figure


def pin_cpus(enabled: bool, why_not: str = "disabled with --no-pin") -> dict[str, Any]:
    """Keep the first CPU for this process and the servers it starts; leave the second to Locust."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if not enabled:
        return {"used": False, "reason": why_not, "server_cpus": cpus, "load_cpus": cpus}
    if len(cpus) < 2 or not shutil.which("taskset"):
        why = "fewer than two CPUs" if len(cpus) < 2 else "taskset not found"
        return {"used": False, "reason": why, "server_cpus": cpus, "load_cpus": cpus}
    os.sched_setaffinity(0, {cpus[0]})
    return {"used": True, "server_cpus": [cpus[0]], "load_cpus": [cpus[1]], "tool": "taskset / sched_setaffinity"}


def time_hasher(manifest: Manifest, samples: int) -> dict[str, Any]:
    """Seconds one password hash takes with the production profile's hasher, on this process's CPUs (the
    backend's `time_hasher` command, hashing the benchmark accounts' password)."""
    env = server_env(manifest, "sqlite:///:memory:", "production", Path(os.devnull))
    return management_json(env, "time_hasher", "--samples", str(samples), "--password", ACCOUNT_PASSWORD)


def hash_limit(hasher: dict[str, Any], server_cpus: int) -> dict[str, Any]:
    """The fastest hash sets the limit: it is an upper bound, and other work on the machine only slows hashes."""
    return {**hasher, "server_cpus": server_cpus, "per_second": server_cpus / hasher["seconds"]}


def locust_command(
    user_class: str, host: str, prefix: Path, options: dict[str, Any], load_cpus: Sequence[int] | None
) -> list[str]:
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(options["users"]), "-r", f"{options['spawn_rate']:g}",
        "-t", f"{options['warmup'] + options['duration'] + RUN_TIME_MARGIN:g}s", "--reset-stats",
        "--host", host, "--csv", str(prefix), "--json-file", str(prefix),
        "--variant", options["variant"], "--seeded-users", str(options["seeded_users"]),
        # Where the accounts a run uses begin: a cost curve's credentials point uses its own block of accounts.
        "--account-offset", str(options.get("account_offset", 0)),
        "--first-pk", str(options["first_pk"]), "--account-prefix", options["account_prefix"],
        "--account-password", options["account_password"],
        "--warmup", f"{options['warmup']:g}", "--measure", f"{options['duration']:g}",
        "--html", str(prefix) + ".html", "--backends-dir", str(options["backends_dir"]),
        *(["--processes", str(options["processes"])] if options.get("processes", 1) > 1 else []),
        *(["--arrival-rate", f"{options['arrival_rate']:g}"] if options.get("arrival_rate") else []), user_class,
    ]  # fmt: skip
    return ["taskset", "-c", ",".join(map(str, load_cpus)), *command] if load_cpus else command


def run_locust(
    user_class: str,
    host: str,
    prefix: Path,
    options: dict[str, Any],
    load_cpus: Sequence[int] | None,
    watch: dict[str, list[int]] | None = None,
) -> dict[str, Any]:
    """One headless Locust run; its CSVs, JSON stats, HTML report and log land next to `prefix`. Returns its
    figures, with the CPU the generator and the `watch`ed process trees (server, database) used in its window."""
    prefix.parent.mkdir(parents=True, exist_ok=True)
    log = prefix.with_name(prefix.name + "_locust.log")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    timeout = options["warmup"] + options["duration"] + 120
    # Other work on the machine skews every figure; the 1-minute load average before the run says if there was.
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    with log.open("w") as out:
        locust = subprocess.Popen(
            locust_command(user_class, host, prefix, options, load_cpus),
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        sampler = cpu.Sampler({"generator": [locust.pid], **(watch or {})}, cpus=load_cpus)
        with sampler.running():
            try:
                returncode = locust.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                locust.kill()
                locust.wait()
                raise
    stats_file = prefix.with_name(prefix.name + ".json")
    # Locust exits 1 when any request failed: that is a figure, not a crash. Anything else is.
    if returncode not in (0, 1) or not stats_file.exists():
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"locust {user_class} exited {returncode}; log {log}:\n{tail}")
    result = figures(json.loads(stats_file.read_text()))
    result["cpu"] = sampler.window(*result["window"]) if result["window"][1] > result["window"][0] else None
    load_cores = len(load_cpus) if load_cpus else (os.cpu_count() or 1)
    result["generator_bound"] = rules.generator_bound(result["cpu"], load_cores)
    result["locust_cpu_warning"] = "CPU usage above" in log.read_text(errors="replace")
    result["failure_reasons"] = failure_reasons(prefix.with_name(prefix.name + "_failures.csv"))
    result["files"] = prefix.name
    result["load_average_before"] = load_before
    return result


def scenario_options(manifest: Manifest, info: dict[str, Any], args: RunConfig) -> dict[str, Any]:
    """The Locust options of a scenario run against a server seeded as `info` says."""
    return {
        "users": args.users, "spawn_rate": args.users,
        "warmup": args.warmup, "duration": args.duration, "variant": manifest.variant,
        "seeded_users": info["count"], "first_pk": info.get("first_pk") or 1,
        "account_prefix": ACCOUNT_PREFIX, "account_password": ACCOUNT_PASSWORD, "backends_dir": args.backends_dir,
        "processes": args.locust_processes, "account_offset": info.get("account_offset", 0),
    }  # fmt: skip


def measure_scenario(manifest: Manifest, name: str, base_url: str, info: dict[str, Any], args: RunConfig,
                     run_dir: Path, progress: Progress, watch: dict[str, list[int]] | None = None,
                     folder: Path | None = None) -> dict[str, Any]:  # fmt: skip
    """Locust runs of one scenario against a served variant until the last `--repeat` of them lie within the
    spread bound, or `--max-runs` is reached (then the figure is marked `spread_exceeded`); a crashed run ends it.
    The figure is the median of the last `--repeat` runs; earlier ones are kept under `earlier_runs`."""
    options = scenario_options(manifest, info, args)
    runs: list[dict[str, Any]] = []
    step = "run"
    while step in ("run", "repeat"):
        repetition = len(runs) + 1
        if repetition > args.repeat:
            progress.add_runs(1)
        progress.start_run(manifest.variant, name, repetition, max(args.repeat, repetition))
        prefix = (folder or run_dir / manifest.variant) / f"{name}-r{repetition}"
        try:
            result = run_locust(SCENARIOS[name].user_class, base_url, prefix, options, args.load_cpus, watch)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            progress.end_run(None)
            return {"status": "error", "reason": str(exc)[-1500:], "runs": runs}
        progress.end_run(result)
        runs.append(result)
        drain(base_url, args.workers)
        step = rules.next_step([run["rps"] for run in runs], args.repeat, args.max_runs)
    judged = runs[-args.repeat :]
    combined = combine(judged)
    combined["earlier_runs"] = runs[: -args.repeat]  # runs the spread rule replaced by later ones
    return {"status": "measured", "name": name, **combined}


def failure_reasons(path: Path, keep: int = 5) -> list[list[Any]]:
    """The most frequent failure reasons Locust recorded: [request, reason, occurrences]."""
    if not path.exists():
        return []
    with path.open(newline="") as fh:
        rows = [(f"{r['Method']} {r['Name']}", r["Error"][:300], int(r["Occurrences"])) for r in csv.DictReader(fh)]
    return [list(row) for row in sorted(rows, key=lambda row: -row[2])[:keep]]


def drain(base_url: str, workers: int) -> None:
    """Wait until each worker has answered the queue a stopped run left (slow logins keep them busy for
    seconds), so the next run does not pay for this one: a health check queues behind what is left."""
    for _ in range(workers):
        fetch_health(base_url, timeout=120.0)


def figures(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Requests/s, failures and latency percentiles over the measured requests (set-up ones left out)."""
    measured = [e for e in entries if not e["name"].startswith(SETUP_PREFIX)]
    histogram: dict[int, int] = {}
    for entry in measured:
        for bucket, count in entry["response_times"].items():
            histogram[int(float(bucket))] = histogram.get(int(float(bucket)), 0) + count
    requests = sum(e["num_requests"] for e in measured)
    failures = sum(e["num_failures"] for e in measured)
    # The window is the locustfile's mark: opened at the post-warm-up reset, closed when the run stopped.
    # Without a closing mark (a run cut short), it closes at the last measured answer.
    marks = [e for e in entries if e["name"] == WINDOW_MARK]
    start = marks[0]["start_time"] if marks else min((e["start_time"] for e in entries), default=0.0)
    last = max((e["last_request_timestamp"] or 0.0 for e in measured), default=0.0)
    end = marks[0]["last_request_timestamp"] if marks and marks[0]["num_requests"] >= 2 else last
    seconds = end - start if end > start else 0.0
    result: dict[str, Any] = {
        "requests": requests,
        "failures": failures,
        "seconds": round(seconds, 3),
        "rps": requests / seconds if seconds else 0.0,
        "window": [start, end],  # epoch seconds: what the CPU samples are cut to
        "by_name": {f"{e['method']} {e['name']}": [e["num_requests"], e["num_failures"]] for e in measured},
    }
    for key, fraction in PERCENTILES.items():
        result[key] = percentile(histogram, requests, fraction)
    return result


def percentile(histogram: dict[int, int], total: int, fraction: float) -> float | None:
    """Locust's own rule over its (two-significant-figure) response-time buckets, in milliseconds."""
    if not total:
        return None
    wanted, seen = int(total * fraction), 0
    for bucket in sorted(histogram, reverse=True):
        seen += histogram[bucket]
        if total - seen <= wanted:
            return float(bucket)
    return float(min(histogram))


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the repetitions, the spread of requests/s, and a flag when unstable."""
    combined: dict[str, Any] = {"repetitions": len(runs), "runs": runs}
    for key in ("rps", *PERCENTILES):
        values = [run[key] for run in runs if run[key] is not None]
        combined[key] = statistics.median(values) if values else None
    rates = [run["rps"] for run in runs]
    middle = combined["rps"] or 0.0
    combined["rps_min"], combined["rps_max"] = min(rates), max(rates)
    combined["spread_pct"] = 100 * (max(rates) - min(rates)) / middle if middle else None
    combined["unstable"] = bool(middle) and any(abs(rate - middle) / middle > UNSTABLE for rate in rates)
    judged = rules.spread(rates)
    combined["spread_max_deviation_pct"] = judged["deviation_pct"]  # the largest run's distance from the median
    combined["spread_exceeded"] = bool(judged["exceeded"])
    bound = [run.get("generator_bound") for run in runs]
    combined["generator_bound"] = True if any(bound) else (False if bound and None not in bound else None)
    combined["usable_for_ratio"] = not combined["generator_bound"]
    combined["cpu"] = cpu_medians(runs)
    combined["requests"] = sum(run["requests"] for run in runs)
    combined["failures"] = sum(run["failures"] for run in runs)
    combined["locust_cpu_warning"] = any(run["locust_cpu_warning"] for run in runs)
    return combined


def cpu_medians(runs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Per watched group the median over the runs of its `cores` and `busiest_process` (None if never measured)."""
    measured = [run["cpu"] for run in runs if run.get("cpu")]
    if not measured:
        return None
    groups = {name for used in measured for name in used if name != "seconds"}
    return {
        name: {key: statistics.median(used[name][key] for used in measured if name in used)
               for key in ("cores", "busiest_process")}
        for name in sorted(groups)
    }  # fmt: skip
