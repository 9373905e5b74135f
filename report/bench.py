"""Shaping the benchmark summary: throughput, targets, latency, hash limit, SQL per request, flags, gaps.

Every number shown is one the runner recorded: a scenario that was skipped, refused or not run says so with
its reason, and a figure whose repetitions differ from their median by more than the runner's threshold is
flagged. The prose around these tables is in `templates/bench.md.j2`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from report.tables import Table, columns

PROFILE_LABELS = {"production": "production hasher", "bench": "benchmark-only MD5 profile"}
QUERY_OPERATIONS = ("register", "login", "me", "update_me", "refresh", "logout", "baseline_drf", "baseline_plain")


def num(figure: float | None, digits: int = 0) -> str:
    return "–" if figure is None else f"{figure:,.{digits}f}"


def rps_digits(figure: float) -> int:
    return 2 if figure < 10 else 1 if figure < 100 else 0


def throughput_cell(result: dict[str, Any] | None) -> str:
    if result is None:
        return "not run"
    if result.get("status") != "measured":
        return result.get("status", "?")
    text = num(result["rps"], rps_digits(result["rps"]))
    ratio = result.get("ratio") or {}
    if ratio.get("value") is not None:
        text += f" ({ratio['value']:.2f}× {'hash limit' if ratio['to'] == 'hash_limit' else ratio['to']})"
    if result.get("unstable"):
        text += " ⚠"
    if result.get("failures"):
        text += f" ❌ {result['failures']} failed"
    return text


def latency_cell(result: dict[str, Any] | None) -> str:
    if result is None or result.get("status") != "measured":
        return "–"
    return " / ".join(num(result[key]) for key in ("p50", "p95", "p99"))


def by_scenario(summary: dict[str, Any], cell: Callable[[dict[str, Any] | None], str]) -> Table | None:
    variants = summary["variants"]
    if not summary["scenarios"]:
        return None
    table = Table(columns("scenario", names=list(variants)))
    for scenario in summary["scenarios"]:
        cells = []
        for entry in variants.values():
            measured = entry["status"] == "measured"
            cells.append(cell(entry["scenarios"].get(scenario)) if measured else entry["status"].split(":")[0])
        table.add(scenario, *cells)
    return table


def run_facts(summary: dict[str, Any]) -> dict[str, Any]:
    """What the run's header says about where and how it measured, for the section's first paragraph."""
    head = summary["header"]
    pin, server = head["pinning"], head["server"]
    stack = head.get("stack", {})
    database = stack.get("database") or {}
    pinned = (
        f"server pinned to CPU {pin['server_cpus']}, Locust to CPU {pin['load_cpus']} (taskset)"
        if pin.get("used")
        else f"not pinned ({pin.get('reason', 'server not started here')}): server and Locust shared the CPUs"
    )
    where = f"the deployment at {head['host']}" if head.get("host") else f"gunicorn {server['version']}"
    loads = [run["load_average_before"] for entry in summary["variants"].values()
             for result in entry["scenarios"].values() for run in result.get("runs", [])
             if run.get("load_average_before") is not None]  # fmt: skip
    return {
        "head": head, "load": head["load"], "where": where, "pinned": pinned, "stack": stack,
        "database": f"{database.get('vendor', head['database'])} {database.get('version', '')}",
        "loads": f"{min(loads):.2f}–{max(loads):.2f}" if loads else None,
    }  # fmt: skip


def amendments(summary: dict[str, Any]) -> list[str]:
    """What was measured again and why, and the figures it replaced."""
    lines = []
    for note in summary["header"].get("amendments", []):
        pairs = "; ".join(f"`{v}` {', '.join(names)}" for v, names in note["replaced"].items())
        lines.append(f"**Amended** by run `{note['run_id']}` ({note['generated']}, commit `{note['git_commit']}`, "
                     f"`{' '.join(note['command'] or [])}`): {pairs}. Why: {note['reason']}")  # fmt: skip
    for variant, entry in summary["variants"].items():
        for name, old in entry.get("superseded", {}).items():
            share = f"{old['failures']:,} of {old['requests']:,} requests failed" if old.get("requests") else ""
            reasons = (old.get("runs") or [{}])[0].get("failure_reasons") or []
            top = reasons[0][1][:160] if reasons else ""
            lines.append(f"- superseded: `{variant}` {name}, {old.get('rps', 0):,.1f} req/s, {share}"
                         + (f" (`{top}`)" if top else ""))  # fmt: skip
    return lines


def hash_limit(summary: dict[str, Any]) -> dict[str, Any] | None:
    limit = summary.get("hash_limit")
    if not limit:
        return None
    own = {v: e["hash_limit"]["per_second"] for v, e in summary["variants"].items() if e.get("hash_limit")}
    again = f"{min(own.values()):.2f}–{max(own.values()):.2f}" if own else None
    return {**limit, "ms": f"{limit['seconds'] * 1000:.0f}", "again": again,
            "iterations_text": f" ×{limit['iterations']:,}" if limit.get("iterations") else ""}  # fmt: skip


def flags(summary: dict[str, Any], threshold: float) -> list[str]:
    lines = []
    for variant, entry in summary["variants"].items():
        for scenario, result in entry["scenarios"].items():
            if result.get("unstable"):
                rates = ", ".join(num(run["rps"], 1) for run in result["runs"])
                lines.append(f"⚠ `{variant}` {scenario}: runs of {rates} req/s differ by more than {threshold:.0%} "
                             f"from their median (spread {result['spread_pct']:.0f} %)")  # fmt: skip
    repeats = summary["header"]["load"]["repeat"]
    if repeats < 2:
        return ["one run per figure: no spread was measured, so none can be flagged"]
    return lines or [f"none: every figure's {repeats} runs are within {threshold:.0%} of their median"]


def target_cell(result: dict[str, Any], floor: float) -> str:
    ratio = (result.get("ratio") or {}).get("value")
    if ratio is None or result.get("failures"):
        return f"❌ {result['failures']:,} of {result['requests']:,} failed" if result.get("failures") else "no figure"
    return f"{'✅' if ratio >= floor else '❌'} {ratio:.2f}" + (" ⚠" if result.get("unstable") else "")


def targets(summary: dict[str, Any], scenarios: dict[str, Any]) -> Table:
    """Each target against each variant's figure: met, missed, or why there is no figure."""
    table = Table(columns("target", names=list(summary["variants"])))
    for name, scenario in scenarios.items():
        if scenario.get("target") is None:
            continue
        floor = scenario["target"]
        cells = [target_cell(entry["scenarios"].get(name) or {}, floor) for entry in summary["variants"].values()]
        label = "hash limit" if scenario["compare_to"] == "hash_limit" else f"`{scenario['compare_to']}`"
        table.add(f"`{name}` ≥ {floor}× {label}", *cells)
    return table


def targets_text(scenarios: dict[str, Any]) -> str:
    """The targets in words, from the scenario table (each: its floor times what bounds it)."""

    def bound(s: dict[str, Any]) -> str:
        return "the hash limit" if s["compare_to"] == "hash_limit" else f"the same-server `{s['compare_to']}`"

    return ", ".join(f"`{n}` at ≥ {s['target']}× {bound(s)}" for n, s in scenarios.items() if s.get("target"))


def not_measured(summary: dict[str, Any]) -> list[str]:
    lines = []
    for variant, entry in summary["variants"].items():
        if entry["status"] != "measured":
            smoke = entry.get("smoke", {}).get("summary", "")
            lines.append(f"`{variant}` not measured: {entry['status']}" + (f" ({smoke})" if smoke else ""))
        for scenario, result in entry["scenarios"].items():
            if result.get("status") in ("skipped", "error"):
                reason = result.get("reason", "").strip().splitlines()
                lines.append(f"`{variant}` {scenario} {result['status']}: {reason[0] if reason else ''}")
            for run in result.get("runs", []):
                for request, reason, count in run.get("failure_reasons", []):
                    lines.append(f"`{variant}` {scenario}: {count} × `{request}` failed: {reason[:200]}")
    return lines or ["nothing: every selected scenario ran for every variant, without failures"]


def queries(summary: dict[str, Any]) -> Table | None:
    probed = {v: e["queries"] for v, e in summary["variants"].items() if e.get("queries")}
    if not probed:
        return None
    table = Table(columns("operation", names=list(probed)))
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
        table.add(operation, *cells)
    return table


def scenario_lines(summary: dict[str, Any]) -> list[str]:
    return [f"**{name}** ({PROFILE_LABELS.get(info['profile'], info['profile'])}): {info['what']}"
            for name, info in summary["scenarios"].items()]  # fmt: skip


def me_ratio(summary: dict[str, Any] | None, variant: str) -> float | None:
    """`me` throughput as a share of the same server's no-authentication baseline, if measured."""
    result = ((summary or {}).get("variants", {}).get(variant) or {}).get("scenarios", {}).get("me") or {}
    return (result.get("ratio") or {}).get("value") if result.get("status") == "measured" else None


def section(summary: dict[str, Any], registry: dict[str, Any]) -> dict[str, Any]:
    """Everything the benchmark template shows, shaped."""
    return {
        "run": run_facts(summary), "amendments": amendments(summary), "limit": hash_limit(summary),
        "throughput": by_scenario(summary, throughput_cell), "latency": by_scenario(summary, latency_cell),
        "targets": targets(summary, registry["scenarios"]) if summary["scenarios"] else None,
        "targets_text": targets_text(registry["scenarios"]), "queries": queries(summary),
        "scenarios": scenario_lines(summary), "flags": flags(summary, registry["unstable"]),
        "not_measured": not_measured(summary),
    }  # fmt: skip
