"""PNG charts of a benchmark summary, drawn with matplotlib's Agg backend (no display needed).

Only measured figures are drawn: a scenario that was skipped, refused or not run has no bar, and a chart
with nothing to draw is not written at all (the report says so instead). Throughput is split in two
charts because the scales differ a hundredfold: the hash-bound scenarios against the hash limit, and the
fast-profile scenarios against each variant's own no-authentication baseline; each scenario's `chart` in
`benchmarks/scenarios.py` says which it goes in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only; must precede pyplot
import matplotlib.pyplot as plt

from benchmarks.scenarios import FAST_CHART, HASH_CHART, SCENARIOS, in_chart

HASH_BOUND = in_chart(HASH_CHART)
FAST = in_chart(FAST_CHART)
LATENCY = tuple(SCENARIOS)
NO_LEGEND = "_nolegend_"  # matplotlib leaves labels starting with "_" out of the legend: one entry per line kind


def _measured(summary: dict[str, Any], variant: str, scenario: str) -> dict[str, Any] | None:
    result = summary["variants"][variant]["scenarios"].get(scenario)
    return result if result and result.get("status") == "measured" else None


def _grouped_bars(ax: Any, summary: dict[str, Any], scenarios: tuple[str, ...], key: str) -> list[str]:
    """One group per variant, one bar per scenario; returns the scenarios that got at least one bar."""
    variants = list(summary["variants"])
    drawn = [s for s in scenarios if any(_measured(summary, v, s) for v in variants)]
    width = 0.8 / max(len(drawn), 1)
    for index, scenario in enumerate(drawn):
        xs, heights = [], []
        for position, variant in enumerate(variants):
            result = _measured(summary, variant, scenario)
            if result and result.get(key) is not None:
                xs.append(position - 0.4 + width * (index + 0.5))
                heights.append(result[key])
        ax.bar(xs, heights, width, label=scenario)
    ax.set_xticks(range(len(variants)), variants, rotation=20, ha="right", fontsize=8)
    return drawn


def throughput_hash_bound(summary: dict[str, Any], path: Path) -> bool:
    if not any(_measured(summary, v, s) for v in summary["variants"] for s in HASH_BOUND):
        return False
    fig, ax = plt.subplots(figsize=(9.5, 4.5))
    _grouped_bars(ax, summary, HASH_BOUND, "rps")
    labelled = False
    for position, (variant, entry) in enumerate(summary["variants"].items()):
        limit = entry.get("hash_limit") or summary.get("hash_limit")
        if limit and any(_measured(summary, variant, s) for s in HASH_BOUND):
            label = NO_LEGEND if labelled else f"hash limit ({limit['algorithm']}), timed before the runs"
            ax.hlines(
                limit["per_second"], position - 0.45, position + 0.45, colors="black", linestyles="--", label=label
            )
            labelled = True
    ax.set_ylabel("requests per second (median)")
    ax.set_title("Production hasher: register and login against the password-hash limit")
    return _save(fig, path, ax, summary)


def throughput_fast(summary: dict[str, Any], path: Path) -> bool:
    variants = list(summary["variants"])
    if not any(_measured(summary, v, s) for v in variants for s in FAST):
        return False
    fig, ax = plt.subplots(figsize=(11.5, 5))
    _grouped_bars(ax, summary, FAST, "rps")
    labelled = False
    for position, variant in enumerate(variants):
        baseline = _measured(summary, variant, "baseline_drf")
        if baseline:
            ax.hlines(baseline["rps"], position - 0.45, position + 0.45, colors="black", linestyles="--",
                      label=NO_LEGEND if labelled else "baseline_drf: same view without authentication")  # fmt: skip
            labelled = True
    ax.set_ylabel("requests per second (median)")
    ax.set_title("Benchmark-only MD5 profile (never for production): cost per request")
    return _save(fig, path, ax, summary)


def latency(summary: dict[str, Any], path: Path) -> bool:
    """p50 as the bar, a line from p50 to p99 and a dot at p95; log scale, hash-bound latencies are seconds."""
    variants = list(summary["variants"])
    drawn = [s for s in LATENCY if any(_measured(summary, v, s) for v in variants)]
    if not drawn:
        return False
    fig, ax = plt.subplots(figsize=(11.5, 5))
    width = 0.8 / len(drawn)
    for index, scenario in enumerate(drawn):
        color = f"C{index}"
        for position, variant in enumerate(variants):
            result = _measured(summary, variant, scenario)
            if not result or result.get("p50") is None:
                continue
            x = position - 0.4 + width * (index + 0.5)
            ax.bar(
                x, result["p50"], width, color=color, label=scenario if position == _first(summary, scenario) else None
            )
            ax.vlines(x, result["p50"], result["p99"], colors="black", linewidth=1)
            ax.plot([x], [result["p95"]], marker="o", markersize=3, color="black")
    ax.set_yscale("log")
    ax.set_xticks(range(len(variants)), variants, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("milliseconds (bar p50, dot p95, line to p99)")
    ax.set_title("Latency percentiles (medians over repetitions)")
    return _save(fig, path, ax, summary)


def _first(summary: dict[str, Any], scenario: str) -> int:
    """Index of the first variant with a bar for `scenario`, so each scenario gets one legend entry."""
    return next(i for i, v in enumerate(summary["variants"]) if _measured(summary, v, scenario))


def _save(fig: Any, path: Path, ax: Any, summary: dict[str, Any]) -> bool:
    """Legend outside the bars, and a footnote naming the run, so a chart never travels without its source."""
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    head = summary["header"]
    note = (
        f"run {head.get('run_id', '?')}, commit {head['git_commit'][:12]}, {head['load']['repeat']} run(s) per figure"
    )
    if head.get("quick"):
        note += " - QUICK RUN: a pipeline check, not for comparison"
    fig.text(0.01, 0.01, note, fontsize=7, color="dimgray")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


CHARTS = {
    "bench-throughput-production.png": (throughput_hash_bound, "Throughput with the production hasher"),
    "bench-throughput-fast.png": (throughput_fast, "Throughput on the benchmark-only MD5 profile"),
    "bench-latency.png": (latency, "Latency percentiles"),
}


def draw_all(summary: dict[str, Any], charts_dir: Path) -> dict[str, str]:
    """Write every chart that has something to draw; returns {file name: title} of those written."""
    return {name: title for name, (draw, title) in CHARTS.items() if draw(summary, charts_dir / name)}
