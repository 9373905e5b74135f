"""The benchmark's line charts: latency against load (open loop) and cost against accounts and credentials
(cost curves, log-log), plus the footnote every chart carries. `report/charts.py` registers and saves them.

Only measured points are drawn (a step or point that failed, or was generator-bound, is left out of the line and
named in the tables); a chart with no line is not drawn.
"""

from __future__ import annotations

from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only; must precede pyplot
import matplotlib.pyplot as plt

from report import scale


def finish(fig: Any, ax: Any, summary: dict[str, Any], handles: dict[str, Any] | None = None) -> Any:
    """Legend outside the plot (one for the whole figure when `handles` gathers its panels' lines), and a footnote
    naming the run, so a chart never travels without its source."""
    if handles is None:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        fig.legend(list(handles.values()), list(handles), fontsize=8, loc="upper right")
    heads = summary.get("chart_headers") or [summary["header"]]  # a joined chart names every run it draws
    runs = "; ".join(f"run {head.get('run_id', '?')}, commit {head['git_commit'][:12]}" for head in heads)
    note = f"{runs}, {heads[0]['load']['repeat']} run(s) per figure"
    if any(head.get("quick") for head in heads):
        note += " - QUICK RUN: a pipeline check, not for comparison"
    fig.text(0.01, 0.01, note, fontsize=7, color="dimgray")
    fig.tight_layout(rect=(0, 0.03, 1, 1) if handles is None else (0, 0.03, 0.80, 1))
    return fig


def colours(summary: dict[str, Any]) -> dict[str, Any]:
    """One fixed colour per variant, by its place in the run, the same in every panel."""
    palette = plt.get_cmap("tab20")
    return {variant: palette(index % 20) for index, variant in enumerate(summary["variants"])}


def _open_loop_lines(summary: dict[str, Any], scenario: str) -> dict[str, list[tuple[float, float, float]]]:
    """variant -> [(achieved req/s, p50, p99)] of its measured, not generator-bound steps."""
    lines = {}
    for variant, entry in summary["variants"].items():
        record = (entry.get("scenarios", {}).get(scenario) or {}).get("open_loop") or {}
        steps = [(s["rps"], s["p50"], s["p99"]) for s in record.get("steps", [])
                 if s.get("status") == "measured" and not s.get("generator_bound") and s.get("p99")]  # fmt: skip
        if steps:
            lines[variant] = steps
    return lines


def open_loop(summary: dict[str, Any], registry: dict[str, Any]) -> Any:
    """One panel per open-loop scenario: p99 (solid) and p50 (dotted) against the achieved arrival rate."""
    scenarios = [n for n, s in summary["scenarios"].items() if s.get("open_loop") and _open_loop_lines(summary, n)]
    if not scenarios:
        return None
    fig, axes = plt.subplots(1, len(scenarios), figsize=(4.2 * len(scenarios) + 3.5, 4.2), squeeze=False)
    colour, handles = colours(summary), {}
    for ax, scenario in zip(axes[0], scenarios, strict=True):
        for variant, steps in _open_loop_lines(summary, scenario).items():
            steps = sorted(steps)
            xs = [s[0] for s in steps]
            (handles[variant],) = ax.plot(xs, [s[2] for s in steps], marker="o", markersize=3, color=colour[variant])
            ax.plot(xs, [s[1] for s in steps], linestyle=":", color=colour[variant])
        ax.set_yscale("log")
        ax.set_xlabel("arrival rate achieved (req/s)")
        ax.set_title(f"{scenario}: p99 (solid), p50 (dotted)", fontsize=9)
    axes[0][0].set_ylabel("milliseconds")
    return finish(fig, axes[0][-1], summary, handles)


def _curve_lines(study: dict[str, Any], axis: str, scenario: str) -> dict[str, list[tuple[float, float]]]:
    found = {
        variant: scale.ms_points(record.get(axis) or {}, scenario) for variant, record in study["variants"].items()
    }
    return {variant: [(float(x), ms) for x, ms in points] for variant, points in found.items() if points}


def _curves(summary: dict[str, Any], axis: str, label: str) -> Any:
    study = summary.get("curves") or {}
    scenarios = [s for s in study.get("scenarios", []) if _curve_lines(study, axis, s)]
    if not scenarios:
        return None
    fig, axes = plt.subplots(1, len(scenarios), figsize=(4.2 * len(scenarios) + 3.5, 4.2), squeeze=False)
    colour, handles = colours(summary), {}
    for ax, scenario in zip(axes[0], scenarios, strict=True):
        for variant, points in _curve_lines(study, axis, scenario).items():
            (handles[variant],) = ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3,
                                          color=colour[variant])  # fmt: skip
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(label)
        ax.set_title(scenario, fontsize=9)
    axes[0][0].set_ylabel("milliseconds per request (1000 / req/s)")
    return finish(fig, axes[0][-1], summary, handles)


def curves_accounts(summary: dict[str, Any], registry: dict[str, Any]) -> Any:
    return _curves(summary, "accounts", "accounts in the database")


def curves_credentials(summary: dict[str, Any], registry: dict[str, Any]) -> Any:
    return _curves(summary, "credentials", "live credentials per account")
