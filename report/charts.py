"""The report's charts, drawn with matplotlib's Agg backend (no display needed): a PNG beside the Markdown and
the same figure as SVG text for the self-contained HTML (a fixed hash salt and no date, so the same data
draws the same bytes). The posture chart counts each measured variant's findings; the benchmark charts follow.

Only measured figures are drawn: a scenario that was skipped, refused or not run has no bar, and a chart
with nothing to draw is not written at all (the report says so instead). Throughput is split in two
charts because the scales differ a hundredfold: the hash-bound scenarios against the hash limit, and the
fast-profile scenarios against each variant's own no-authentication baseline; each scenario's `chart` in
`benchmarks/scenarios.py` says which it goes in.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only; must precede pyplot
import matplotlib.pyplot as plt

from report.chart_lines import curves_accounts, curves_credentials, finish, open_loop
from report.data import Data, joined
from report.security import posture_counts

matplotlib.rcParams["svg.hashsalt"] = "authcmp-report"  # stable element ids: the same data draws the same SVG
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text (smaller, selectable)
HASH_CHART, FAST_CHART = "production", "fast"  # benchmarks/scenarios.py's chart names, in the registry
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


def _in_chart(registry: dict[str, Any], chart: str | None) -> tuple[str, ...]:
    """The scenarios whose bars a chart draws, in the table's order (every scenario when `chart` is None)."""
    return tuple(n for n, s in registry["scenarios"].items() if chart is None or s["chart"] == chart)


def throughput_hash_bound(summary: dict[str, Any], registry: dict[str, Any]) -> Any:
    hash_bound = _in_chart(registry, HASH_CHART)
    if not any(_measured(summary, v, s) for v in summary["variants"] for s in hash_bound):
        return None
    fig, ax = plt.subplots(figsize=(9.5, 4.5))
    _grouped_bars(ax, summary, hash_bound, "rps")
    labelled = False
    for position, (variant, entry) in enumerate(summary["variants"].items()):
        limit = entry.get("hash_limit") or summary.get("hash_limit")
        if limit and any(_measured(summary, variant, s) for s in hash_bound):
            label = NO_LEGEND if labelled else f"hash limit ({limit['algorithm']}), timed before the runs"
            ax.hlines(
                limit["per_second"], position - 0.45, position + 0.45, colors="black", linestyles="--", label=label
            )
            labelled = True
    ax.set_ylabel("requests per second (median)")
    ax.set_title("Production hasher: register and login against the password-hash limit")
    return finish(fig, ax, summary)


def throughput_fast(summary: dict[str, Any], registry: dict[str, Any]) -> Any:
    variants, fast = list(summary["variants"]), _in_chart(registry, FAST_CHART)
    if not any(_measured(summary, v, s) for v in variants for s in fast):
        return None
    fig, ax = plt.subplots(figsize=(11.5, 5))
    _grouped_bars(ax, summary, fast, "rps")
    labelled = False
    for position, variant in enumerate(variants):
        baseline = _measured(summary, variant, "baseline_drf")
        if baseline:
            ax.hlines(baseline["rps"], position - 0.45, position + 0.45, colors="black", linestyles="--",
                      label=NO_LEGEND if labelled else "baseline_drf: same view without authentication")  # fmt: skip
            labelled = True
    ax.set_ylabel("requests per second (median)")
    ax.set_title("Benchmark-only MD5 profile (never for production): cost per request")
    return finish(fig, ax, summary)


def latency(summary: dict[str, Any], registry: dict[str, Any]) -> Any:
    """p50 as the bar, a line from p50 to p99 and a dot at p95; log scale, hash-bound latencies are seconds."""
    variants = list(summary["variants"])
    drawn = [s for s in _in_chart(registry, None) if any(_measured(summary, v, s) for v in variants)]
    if not drawn:
        return None
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
    return finish(fig, ax, summary)


def _first(summary: dict[str, Any], scenario: str) -> int:
    """Index of the first variant with a bar for `scenario`, so each scenario gets one legend entry."""
    return next(i for i, v in enumerate(summary["variants"]) if _measured(summary, v, scenario))


POSTURE_COLOURS = {"pass": "#2e7d32", "fail": "#e65100", "n/a": "#9e9e9e", "inconclusive": "#5c6bc0"}


def posture(data: Data) -> Any:
    """Posture findings per measured variant, stacked: pass, declared fail, n/a, inconclusive."""
    names = data.columns
    if not any(data.posture(n) for n in names):
        return None
    fig, ax = plt.subplots(figsize=(9.5, 0.32 * len(names) + 1.4))
    counts = {name: posture_counts(data, name) for name in names}
    left = [0] * len(names)
    for finding, colour in POSTURE_COLOURS.items():
        widths = [counts[name][finding] for name in names]
        ax.barh(range(len(names)), widths, left=left, color=colour, label=finding)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("posture cases (findings)")
    ax.set_title("Security posture findings per variant")
    head = data.contract["header"]
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.text(0.01, 0.01, f"contract record, commit {head['git_commit'][:12]}, {head['database']}", fontsize=7,
             color="dimgray")  # fmt: skip
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


@dataclass(frozen=True)
class Chart:
    name: str  # the PNG's file name under charts/
    title: str
    records: tuple[str, ...]  # the records it is drawn from
    svg: str


BENCH_CHARTS: dict[str, tuple[Callable[[dict[str, Any], dict[str, Any]], Any], str]] = {
    "bench-throughput-production.png": (throughput_hash_bound, "Throughput with the production hasher"),
    "bench-throughput-fast.png": (throughput_fast, "Throughput on the benchmark-only MD5 profile"),
    "bench-latency.png": (latency, "Latency percentiles"),
    "bench-open-loop.png": (open_loop, "Latency against arrival rate (open loop)"),
    "bench-curves-accounts.png": (curves_accounts, "Cost per request against accounts (log-log)"),
    "bench-curves-credentials.png": (curves_credentials, "Cost per request against credentials per account (log-log)"),
}


# The study each chart draws (`report.data.joined`), and the cost-curve axis a curves chart draws.
STUDY_CHARTS = {"bench-open-loop.png": "open_loop", "bench-curves-accounts.png": "curves",
                "bench-curves-credentials.png": "curves"}  # fmt: skip
CURVE_AXIS = {"bench-curves-accounts.png": "accounts", "bench-curves-credentials.png": "credentials"}


# An attribute's value, and a number in it with more than two decimals.
ATTRIBUTE, FINE_NUMBER = re.compile(r'="([^"]*)"'), re.compile(r"(\d\.\d\d)\d+")


def save(fig: Any, path: Path) -> str:
    """Write the PNG, return the SVG text; neither carries a date. The SVG's coordinates keep two decimals (a
    hundredth of a point): matplotlib prints six, and the sixth differs between machines' floating point (seen:
    249.443313 on one, 249.443312 on another), which would make the report's byte-identical re-render fail."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = ATTRIBUTE.sub(lambda found: '="' + FINE_NUMBER.sub(r"\1", found.group(1)) + '"', svg)
    return svg[svg.index("<svg") :]  # inline in HTML: no XML declaration or doctype


def draw_all(data: Data, charts_dir: Path) -> list[Chart]:
    """Every chart that has something to draw, written as PNG into `charts_dir`; the missing ones are absent."""
    drawn = []
    fig = posture(data)
    if fig is not None:
        drawn.append(
            Chart(
                "posture.png",
                "Security posture findings per variant",
                ("contract",),
                save(fig, charts_dir / "posture.png"),
            )
        )
    for name, (draw, title) in BENCH_CHARTS.items():
        # The studies' charts from the records the sections cite, joined as the sections join them.
        found = joined(data.studies, STUDY_CHARTS[name]) if name in STUDY_CHARTS else (["bench"], data.bench)
        if not found or not found[1] or not data.bench:
            continue
        records, summary = _drawn_from(data, name, found[0], found[1])
        fig = draw(summary, data.registry)
        if fig is not None:
            drawn.append(Chart(name, title, tuple(records), save(fig, charts_dir / name)))
    return drawn


def _drawn_from(data: Data, name: str, records: list[str], summary: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The records a chart's lines come from (a curves chart: those its axis was joined from, `curves.sources`),
    and the summary to draw with every one's header (`chart_headers`: the chart's footnote names each run)."""
    if axis := CURVE_AXIS.get(name):
        sources = summary["curves"]["sources"].values()
        records = [record for record in records if any(axes.get(axis) == record for axes in sources)]
    headers = dict(data.studies)
    return records, {**summary, "chart_headers": [headers[r]["header"] for r in records if r in headers]}
