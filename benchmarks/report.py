"""The benchmark section of the report, rendered from a `summary.json`; it reads, it never measures.

`render_section(summary, charts_dir, link_prefix)` returns Markdown lines and writes the PNG charts into
`charts_dir` (linked as `link_prefix + name`). Every number shown is one the runner recorded: a scenario
that was skipped, refused or not run says so with its reason, and a figure whose repetitions differ by
more than 10 % from their median is flagged. Standalone:
`python -m benchmarks.report results/bench/latest/summary.json --charts report/charts --out bench.md`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from benchmarks.amend import render_amendments
from benchmarks.charts import CHARTS, draw_all
from benchmarks.measure import UNSTABLE
from benchmarks.scale import render_section as scale_section
from benchmarks.scenarios import Scenario, targets
from harness.report_hardening import cost_section

PROFILE_LABELS = {"production": "production hasher", "bench": "benchmark-only MD5 profile"}
QUERY_OPERATIONS = ("register", "login", "me", "update_me", "refresh", "logout", "baseline_drf", "baseline_plain")


def _num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _rps_digits(value: float) -> int:
    return 2 if value < 10 else 1 if value < 100 else 0


def _throughput_cell(result: dict[str, Any] | None) -> str:
    if result is None:
        return "not run"
    if result.get("status") != "measured":
        return result.get("status", "?")
    text = _num(result["rps"], _rps_digits(result["rps"]))
    ratio = result.get("ratio") or {}
    if ratio.get("value") is not None:
        text += f" ({ratio['value']:.2f}× {'hash limit' if ratio['to'] == 'hash_limit' else ratio['to']})"
    if result.get("unstable"):
        text += " ⚠"
    if result.get("failures"):
        text += f" ❌ {result['failures']} failed"
    return text


def _latency_cell(result: dict[str, Any] | None) -> str:
    if result is None or result.get("status") != "measured":
        return "–"
    return " / ".join(_num(result[key]) for key in ("p50", "p95", "p99"))


def _table(summary: dict[str, Any], cell: Any) -> list[str]:
    variants = summary["variants"]
    if not summary["scenarios"]:
        return ["No main scenario in this run (`--scale` alone runs only the scale study)."]
    rows = ["| scenario | " + " | ".join(f"`{v}`" for v in variants) + " |", "|---|" + "---|" * len(variants)]
    for scenario in summary["scenarios"]:
        cells = []
        for entry in variants.values():
            measured = entry["status"] == "measured"
            cells.append(cell(entry["scenarios"].get(scenario)) if measured else entry["status"].split(":")[0])
        rows.append(f"| {scenario} | " + " | ".join(cells) + " |")
    return rows


def _what_ran(summary: dict[str, Any]) -> list[str]:
    head = summary["header"]
    machine, load, server, pin = head["machine"], head["load"], head["server"], head["pinning"]
    stack = head.get("stack", {})
    database = stack.get("database") or {}
    pinned = (
        f"server pinned to CPU {pin['server_cpus']}, Locust to CPU {pin['load_cpus']} (taskset)"
        if pin.get("used")
        else f"not pinned ({pin.get('reason', 'server not started here')}): server and Locust shared the CPUs"
    )
    where = f"the deployment at {head['host']}" if head.get("host") else f"gunicorn {server['version']}"
    lines = [
        f"Run `{head.get('run_id', '?')}`, {head['generated']}, commit `{head['git_commit']}`, on "
        f"{machine['cpu_count']} × {machine['cpu_model']}. Served by {where} with {server['workers']} sync "
        f"workers on {database.get('vendor', head['database'])} {database.get('version', '')}, Python "
        f"{stack.get('python', '?')}, Django {stack.get('django', '?')}, DRF {stack.get('djangorestframework', '?')}; "
        f"{pinned}. Load: Locust {load['version']} `{load['user_class']}`, {load['users']} users in a closed loop "
        f"(no wait), {load['warmup_seconds']:g} s warm-up discarded, {load['duration_seconds']:g} s measured, "
        f"{load['repeat']} run(s) per figure (median shown). {head['seeded_users']:,} seeded accounts; each "
        "simulated user that logs in holds its own.",
        "",
        "Two profiles: **production** (Django's default PBKDF2 hasher) serves `register` and `login`; the "
        "**benchmark-only MD5 profile** (`AUTHCMP_PROFILE=bench`, never for production) serves the rest, so "
        "what a library costs per request shows once hashing no longer dominates.",
    ]
    loads = [run["load_average_before"] for entry in summary["variants"].values()
             for result in entry["scenarios"].values() for run in result.get("runs", [])
             if run.get("load_average_before") is not None]  # fmt: skip
    if loads:
        lines += ["", f"The machine's 1-minute load average before each run ranged {min(loads):.2f}–{max(loads):.2f} "
                  f"(this run's own server and the previous run included); well above 1 per CPU means other work "
                  "competed with the measurement."]  # fmt: skip
    if head.get("quick"):
        lines += ["", "> **Quick run**: a pipeline check with seconds-long runs and one repetition. Its figures "
                  "are noisy (hash-bound ones especially) and must not be compared or quoted."]  # fmt: skip
    return lines


def _limit_lines(summary: dict[str, Any]) -> list[str]:
    limit = summary.get("hash_limit")
    if not limit:
        return ["The hash limit was not computed: the server ran elsewhere (`--host`)."]
    iterations = f" ×{limit['iterations']:,}" if limit.get("iterations") else ""
    own = {v: e["hash_limit"]["per_second"] for v, e in summary["variants"].items() if e.get("hash_limit")}
    again = (
        f" Timed again before each variant's hash-bound runs, it allowed {min(own.values()):.2f}–"
        f"{max(own.values()):.2f} logins/s; each variant's ratio uses its own timing."
        if own
        else ""
    )
    return [
        f"**What bounds login:** each login verifies one password. One {limit['algorithm']}{iterations} hash took "
        f"{limit['seconds'] * 1000:.0f} ms on the server's CPU at the start (fastest of {len(limit['samples'])}), so "
        f"{limit['server_cpus']} server CPU(s) allow at most **{limit['per_second']:.2f} logins/s** (the hash "
        f"limit), whatever the library; register hashes once too.{again} A ratio near 1 means the library adds "
        "little on top of hashing; a ratio above 1 means the timing and the run met different machine load."
    ]


def _flags(summary: dict[str, Any]) -> list[str]:
    lines = []
    for variant, entry in summary["variants"].items():
        for scenario, result in entry["scenarios"].items():
            if result.get("unstable"):
                rates = ", ".join(_num(run["rps"], 1) for run in result["runs"])
                lines.append(
                    f"- ⚠ `{variant}` {scenario}: runs of {rates} req/s differ by more than {UNSTABLE:.0%} "
                    f"from their median (spread {result['spread_pct']:.0f} %)"
                )
    repeats = summary["header"]["load"]["repeat"]
    if repeats < 2:
        return ["- one run per figure: no spread was measured, so none can be flagged"]
    return lines or [f"- none: every figure's {repeats} runs are within {UNSTABLE:.0%} of their median"]


def _target_cell(result: dict[str, Any], floor: float) -> str:
    value = (result.get("ratio") or {}).get("value")
    if value is None or result.get("failures"):
        return f"❌ {result['failures']:,} of {result['requests']:,} failed" if result.get("failures") else "no figure"
    return f"{'✅' if value >= floor else '❌'} {value:.2f}" + (" ⚠" if result.get("unstable") else "")


def _targets(summary: dict[str, Any]) -> list[str]:
    """Each target against each variant's figure: met, missed, or why there is no figure."""
    rows = ["| target | " + " | ".join(f"`{v}`" for v in summary["variants"]) + " |",
            "|---|" + "---|" * len(summary["variants"])]  # fmt: skip
    for name, scenario in targets().items():
        floor = scenario.target or 0.0
        cells = [_target_cell(entry["scenarios"].get(name) or {}, floor) for entry in summary["variants"].values()]
        label = "hash limit" if scenario.compare_to == "hash_limit" else f"`{scenario.compare_to}`"
        rows.append(f"| `{name}` ≥ {floor}× {label} | " + " | ".join(cells) + " |")
    return rows


def _bound_label(scenario: Scenario) -> str:
    return "the hash limit" if scenario.compare_to == "hash_limit" else f"the same-server `{scenario.compare_to}`"


def _targets_text() -> str:
    """The targets in words, from the scenario table (each: its floor times what bounds it)."""
    return ", ".join(f"`{name}` at ≥ {s.target}× {_bound_label(s)}" for name, s in targets().items())


def _not_measured(summary: dict[str, Any]) -> list[str]:
    lines = []
    for variant, entry in summary["variants"].items():
        if entry["status"] != "measured":
            smoke = entry.get("smoke", {}).get("summary", "")
            lines.append(f"- `{variant}` not measured: {entry['status']}" + (f" ({smoke})" if smoke else ""))
        for scenario, result in entry["scenarios"].items():
            if result.get("status") in ("skipped", "error"):
                reason = result.get("reason", "").strip().splitlines()
                lines.append(f"- `{variant}` {scenario} {result['status']}: {reason[0] if reason else ''}")
            for run in result.get("runs", []):
                for request, reason, count in run.get("failure_reasons", []):
                    lines.append(f"- `{variant}` {scenario}: {count} × `{request}` failed: {reason[:200]}")
    return lines or ["- nothing: every selected scenario ran for every variant, without failures"]


def _queries(summary: dict[str, Any]) -> list[str]:
    probed = {v: e["queries"] for v, e in summary["variants"].items() if e.get("queries")}
    if not probed:
        return ["Not measured in this run (`--no-queries`, `--host`, or no variant measured)."]
    rows = ["| operation | " + " | ".join(f"`{v}`" for v in probed) + " |", "|---|" + "---|" * len(probed)]
    for operation in QUERY_OPERATIONS:
        cells = []
        for counts in probed.values():
            entry = counts.get(operation)
            if not entry:
                cells.append("n/a")
            elif "total" not in entry:
                cells.append(f"no count (status {entry['status']})")
            else:
                writes = f"{entry['writes']} write" + ("" if entry["writes"] == 1 else "s")
                cells.append(f"{entry['total']} ({writes})" + ("" if entry["ok"] else " ❌ failed"))
        rows.append(f"| {operation} | " + " | ".join(cells) + " |")
    return rows


def render_section(summary: dict[str, Any], charts_dir: Path, link_prefix: str) -> list[str]:
    """Markdown lines of the benchmark section; writes its PNG charts into `charts_dir`."""
    charts = draw_all(summary, charts_dir)
    prefix = link_prefix if not link_prefix or link_prefix.endswith("/") else link_prefix + "/"
    lines = ["## Load benchmarks", "", *_what_ran(summary), *render_amendments(summary), "", *_limit_lines(summary), ""]
    lines += ["### Throughput", "", "Requests per second (median over runs); in brackets the ratio to what bounds "
              "the scenario: the hash limit for `register` and `login`, the same-server `baseline_drf` (the same "
              "user read and serialization without authentication) for the others. ⚠ unstable, ❌ failures.",
              ""]  # fmt: skip
    lines += [*_table(summary, _throughput_cell), ""]
    if summary["scenarios"]:
        lines += ["### Targets", "", f"The project's targets, stated here and never asserted in a test: "
                  f"{_targets_text()}. ⚠: a figure whose runs spread more than 10 %; read its mark with care. "
                  "Where `me` misses, \"Where `me` time goes\" below says why.", "", *_targets(summary),
                  ""]  # fmt: skip
    lines += ["### Latency", "", "p50 / p95 / p99 in milliseconds (Locust buckets to two significant figures).", ""]
    lines += [*_table(summary, _latency_cell), "", *scale_section(summary)]
    lines += ["### SQL statements per request", "", "One request of each operation on the `test` profile, "
              "whose middleware counts every statement (writes in brackets).", "", *_queries(summary), ""]  # fmt: skip
    lines += ["### What hardening costs", "", *cost_section(summary), ""]
    lines += ["### Scenarios", ""]
    lines += [
        f"- **{name}** ({PROFILE_LABELS.get(info['profile'], info['profile'])}): {info['what']}"
        for name, info in summary["scenarios"].items()
    ] or ["No main scenario in this run."]
    lines += ["", "### Unstable figures", "", *_flags(summary), ""]
    lines += ["### Not measured, skipped or failed", "", *_not_measured(summary), ""]
    lines += ["### Charts", ""]
    lines += [f"![{title}]({prefix}{name})" for name, title in charts.items()] or ["No chart: no main figure."]
    missing = [title for name, (_, title) in CHARTS.items() if name not in charts]
    lines += [f"\n_{title}: not drawn, nothing of it was measured in this run._" for title in missing]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("summary", type=Path, help="a summary.json written by python -m benchmarks.run")
    parser.add_argument("--charts", type=Path, required=True, help="folder for the PNG charts")
    parser.add_argument("--link-prefix", default="", help="how the Markdown links to the charts folder")
    parser.add_argument("--out", type=Path, help="write the Markdown here (default: print it)")
    args = parser.parse_args(argv)
    text = "\n".join(render_section(json.loads(args.summary.read_text()), args.charts, args.link_prefix)) + "\n"
    if args.out:
        args.out.write_text(text)
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
