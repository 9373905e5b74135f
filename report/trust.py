"""Shaping what says a benchmark figure can be trusted, and the two measurements beyond closed-loop capacity.

- **Headroom**: per figure the CPU its load generator (Locust's busiest process, share of one core), the server and
  the database used over the measured window (medians over the runs); a generator-bound figure is marked and no
  ratio uses it (`benchmarks/rules.py`). The run's calibration says what the generator can send at most.
- **Spread**: a figure whose last runs lie further than the bound from their median after the extra runs allowed
  is marked; the same baseline endpoint measured under every variant must agree within that bound.
- **Open-loop latency**: p50/p95/p99 at constant arrival rates below each variant's capacity (`--open-loop`).
- **Cost curves**: cost per request against accounts and against live credentials per account (`--curves`),
  shaped in `report/curves.py`.

Every cell is a number the runner recorded; a point that was not measured says why. Prose is in
`templates/bench_trust.md.j2`.
"""

from __future__ import annotations

from typing import Any

from report.curves import causes, curves
from report.data import AXES, joined
from report.tables import Table, cell_text, columns
from report.work import run_line as work_run
from report.work import table as counted_work

BASELINES = ("baseline_drf", "baseline_plain")


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def _measured(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: entry for name, entry in summary["variants"].items() if entry["status"] == "measured"}


def headroom_cell(result: dict[str, Any] | None) -> str:
    """'Locust 41 % · server 1.9 · db 0.3' (a core's share, then cores used); ⛔ when generator-bound."""
    if not result or result.get("status") != "measured":
        return "–"
    used = result.get("cpu") or {}
    parts = [f"Locust {_pct((used.get('generator') or {}).get('busiest_process'))}"]
    for group, label in (("server", "server"), ("database", "db")):
        if used.get(group):
            parts.append(f"{label} {used[group]['cores']:.2f}")
    text = " · ".join(parts)
    if result.get("generator_bound"):
        text = "⛔ " + text
    elif result.get("generator_bound") is None:
        text += " (not sampled)"
    return text


def headroom(summary: dict[str, Any]) -> Table | None:
    variants = _measured(summary)
    if not variants or not summary["scenarios"]:
        return None
    table = Table(columns("scenario", names=list(variants)))
    for scenario in summary["scenarios"]:
        table.add(scenario, *(headroom_cell(entry["scenarios"].get(scenario)) for entry in variants.values()))
    return table


def calibration(summary: dict[str, Any]) -> str:
    """The generator's limit in one sentence, from the run's calibration."""
    found = summary["header"].get("calibration") or {}
    if found.get("status") != "measured":
        return f"The load generator was not calibrated ({cell_text(found.get('status', 'not recorded'))})."
    last = found["tries"][-1]
    if not found.get("generator_max_rps"):
        return (f"Calibration: `{found['scenario']}` answered {last['rps']:,.0f} req/s, but the generator's CPU was "
                "not sampled, so its limit is unknown.")  # fmt: skip
    return (f"Calibration: `{found['scenario']}` on `{found['variant']}` with {found['processes']} Locust "
            f"process(es) on {found['load_cpus']} CPU(s) answered {last['rps']:,.0f} req/s with Locust's busiest "
            f"process at {_pct(last.get('generator_busiest_process'))} of a core: the generator sends about "
            f"**{found['generator_max_rps']:,.0f} req/s** at most, so a figure near that is its own, "
            "not the server's.")  # fmt: skip


def rules_text(summary: dict[str, Any]) -> dict[str, str]:
    rules = summary["header"].get("rules") or {}
    return {
        "busy": _pct(rules.get("generator_busy")), "spread": _pct(rules.get("spread_bound")),
        "max_runs": str(rules.get("max_runs", "?")), "short": _pct(rules.get("open_loop_short")),
        "growth": _pct(rules.get("growth_tolerance")),
    }  # fmt: skip


def unusable(summary: dict[str, Any]) -> list[str]:
    """Figures no ratio uses, and figures whose spread stayed above the bound, each with its numbers."""
    lines = []
    for variant, entry in _measured(summary).items():
        for scenario, result in entry["scenarios"].items():
            if result.get("status") != "measured":
                continue
            if result.get("generator_bound"):
                lines.append(f"⛔ `{variant}` {scenario}: generator-bound (Locust's busiest process at "
                             f"{_pct((result.get('cpu') or {}).get('generator', {}).get('busiest_process'))}); "
                             "no ratio uses it")  # fmt: skip
            if result.get("spread_exceeded"):
                runs = [*result.get("earlier_runs", []), *result["runs"]]  # the rule's extra runs came first
                rates = ", ".join(f"{run['rps']:,.1f}" for run in runs)
                lines.append(
                    f"⚠ `{variant}` {scenario}: after {len(runs)} runs ({rates} req/s) the last {len(result['runs'])} "
                    f"still lie up to {result['spread_max_deviation_pct']:.1f} % from their median"
                )
    return lines


def baselines(summary: dict[str, Any]) -> list[str]:
    """Does the same no-authentication endpoint measure the same under every variant's server?"""
    lines = []
    for name, found in (summary.get("baseline_agreement") or {}).items():
        rates = found.get("rps_by_variant") or {}
        if len(rates) < 2:
            continue
        disagree = "⚠ they disagree by more than the spread bound: the machine's state moved between variants"
        verdict = disagree + ", so compare ratios" if found.get("exceeded") else "they agree within the bound"
        lines.append(f"`{name}` under {len(rates)} variants: {min(rates.values()):,.0f}–{max(rates.values()):,.0f} "
                     f"req/s, the furthest {found['deviation_pct']:.1f} % from the median ({found['median']:,.0f}): "
                     f"{verdict}")  # fmt: skip
    return lines


def open_loop(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Per scenario measured at constant rates: a table of variants by load steps."""
    variants = _measured(summary)
    shaped = []
    for scenario in summary["scenarios"]:
        records = {v: e["scenarios"].get(scenario, {}).get("open_loop") for v, e in variants.items()}
        records = {v: r for v, r in records.items() if r}
        if not records:
            continue
        loads = sorted({step["load"] for r in records.values() for step in r.get("steps", [])})
        table = Table(["variant", "capacity req/s", *(f"{load:.0%}" for load in loads)])
        for variant, record in records.items():
            steps = {step["load"]: step for step in record.get("steps", [])}
            capacity = f"{record['capacity_rps']:,.0f}" + (" ⛔" if record.get("capacity_generator_bound") else "")
            if record.get("status") != "measured":
                table.add(
                    f"`{variant}`", capacity, *([cell_text(record.get("reason", record.get("status")))] * len(loads))
                )
                continue
            table.add(f"`{variant}`", capacity, *(step_cell(steps.get(load)) for load in loads))
        shaped.append({"scenario": scenario, "table": table})
    return shaped


def step_cell(step: dict[str, Any] | None) -> str:
    if not step:
        return "–"
    if step.get("status") != "measured":
        return f"error: {cell_text(step.get('reason'), 80)}"
    figures = " / ".join("–" if step.get(k) is None else f"{step[k]:,.0f}" for k in ("p50", "p95", "p99"))
    text = f"{figures} ms @ {step['rps']:,.0f}"
    if step.get("short"):
        text += f" ↓ short of {step['target_rps']:,.0f}"
    if step.get("failures"):
        text += f" ❌ {step['failures']:,}"
    if step.get("generator_bound"):
        text += " ⛔"
    return text


def database_server(summary: dict[str, Any]) -> str:
    """Where the database server ran, as the runner recorded it ("" for a run that did not record it)."""
    found = summary["header"].get("database_server") or {}
    return f"{found['kind']}, {found['placement']}" if found.get("kind") and found.get("placement") else ""


def section(summary: dict[str, Any], studies: list[tuple[str, dict[str, Any]]] | None = None,
            registry: dict[str, Any] | None = None, work: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """The trust section of a benchmark run; its open-loop steps and cost curves come from the records of `studies`
    (`Data.studies`: record name and summary, the studies-only runs before the main one) that hold them, joined
    (`report.data.joined`), each naming the records it cites and, for a studies-only run, when and where it ran;
    each growing cost with the cause its manifest names (`registry`: none given, none named) and what the work
    counted along the curves says of it (`work`, `benchmarks.work`'s record)."""
    shaped: dict[str, Any] = {
        "headroom": headroom(summary), "calibration": calibration(summary), "rules": rules_text(summary),
        "unusable": unusable(summary), "baselines": baselines(summary), "open_loop": open_loop(summary),
        "curves": curves(summary), "database_server": database_server(summary),
        "open_loop_records": ["bench"], "curves_records": ["bench"], "open_loop_runs": "", "curves_runs": "",
    }  # fmt: skip
    runs, curved = dict(studies or []), summary
    for key, shape in (("open_loop", open_loop), ("curves", curves)):
        found = joined(studies or [], key)
        if found and (view := shape(found[1])):
            names = found[0]
            lines = [run_line(runs[name]) for name in names if name != "bench"]
            shaped.update({key: view, f"{key}_records": names, f"{key}_runs": " ".join(lines)})
            curved = found[1] if key == "curves" else curved
    if shaped["curves"]:
        shaped["curves"]["causes"] = causes(curved, registry or {}, work)
        shaped["curves"]["work"], shaped["curves"]["work_run"] = counted_work(work), work_run(work)
    return shaped


def run_line(study: dict[str, Any]) -> str:
    """When, from what and where a studies-only run ran: the study sections are not the main run's figures."""
    head = study["header"]
    where = database_server(study)
    curves = study.get("curves") or {}
    axes = [axis for axis in AXES if curves.get(axis)]
    only = f", the cost curves' {axes[0]} axis only" if curves and len(axes) == 1 else ""
    return (f"Measured in a run of its own (the studies only): generated {head['generated']} from commit "
            f"`{head['git_commit'][:12]}`, database `{head['database']}`{f' ({where})' if where else ''}, "
            f"variants {', '.join(f'`{v}`' for v in study['variants'])}{only}.")  # fmt: skip
