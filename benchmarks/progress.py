"""What the runner prints: where it is (variant, scenario, repetition), about how long is left, and the table.

The time left is an estimate from the runs still planned times the mean wall time of the runs so far
(Locust start-up included), plus the per-variant overhead seen so far (smoke cases, server starts,
seeding, the query probe). It is printed, never recorded: results carry only measured figures.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

VARIANT_OVERHEAD_GUESS = 30.0  # seconds of smoke cases, two server starts, seeding and probing, until measured
RUN_OVERHEAD_GUESS = 3.0  # Locust start-up and shutdown around each run, until measured


class Progress:
    def __init__(self, planned_runs: int, seconds_per_run: float, variants: int) -> None:
        self.started = time.monotonic()
        self.runs_left, self.variants_left = planned_runs, variants
        self.run_seconds: list[float] = []
        self.nominal = seconds_per_run + RUN_OVERHEAD_GUESS
        self.variant_started, self.runs_at_variant_start = self.started, 0
        self.overheads: list[float] = []
        self.run_started = self.started

    def elapsed(self) -> str:
        return _clock(time.monotonic() - self.started)

    def left(self) -> str:
        per_run = sum(self.run_seconds) / len(self.run_seconds) if self.run_seconds else self.nominal
        overhead = sum(self.overheads) / len(self.overheads) if self.overheads else VARIANT_OVERHEAD_GUESS
        return _clock(self.runs_left * per_run + self.variants_left * overhead)

    def note(self, text: str) -> None:
        print(f"[{self.elapsed()}] {text}", flush=True)

    def start_run(self, variant: str, scenario: str, repetition: int, repeat: int) -> None:
        self.run_started = time.monotonic()
        self.note(f"{variant} · {scenario} · run {repetition}/{repeat} · about {self.left()} left")

    def end_run(self, result: dict[str, Any] | None) -> None:
        self.run_seconds.append(time.monotonic() - self.run_started)
        self.runs_left -= 1
        if result is None:
            self.note("  run failed (see summary.json)")
            return
        p95 = f"{result['p95']:.0f} ms" if result["p95"] is not None else "–"
        generator = (result.get("cpu") or {}).get("generator")
        busy = f", Locust {generator['busiest_process']:.0%} of a core" if generator else ""
        bound = " (GENERATOR-BOUND)" if result.get("generator_bound") else ""
        self.note(f"  {result['rps']:.1f} req/s, p95 {p95}, {result['failures']} failures of {result['requests']}"
                  f"{busy}{bound}")  # fmt: skip

    def skip_runs(self, count: int) -> None:
        self.runs_left -= count

    def add_runs(self, count: int) -> None:
        """Runs not planned at the start: a figure whose spread asks for another run."""
        self.runs_left += count

    def variant_done(self) -> None:
        """The variant's wall time outside Locust runs is its overhead, the estimate for the ones still to come."""
        now = time.monotonic()
        in_runs = sum(self.run_seconds[self.runs_at_variant_start :])
        self.overheads.append(max(now - self.variant_started - in_runs, 0.0))
        self.variant_started, self.runs_at_variant_start = now, len(self.run_seconds)
        self.variants_left -= 1


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def print_table(summary: Mapping[str, Any]) -> None:
    """The run's figures as a plain-text table; every number is a median over the repetitions."""
    limit = summary.get("hash_limit")
    if limit:
        print(f"\nhash limit: {limit['per_second']:.2f} logins/s = {limit['server_cpus']} server CPU / "
              f"{limit['seconds']:.3f} s per {limit['algorithm']} hash")  # fmt: skip
    columns = ("variant", "scenario", "req/s", "p50 ms", "p95 ms", "p99 ms", "failures", "ratio")
    rows = [columns]
    for variant, entry in summary["variants"].items():
        if entry["status"] != "measured":
            rows.append((variant, "—", entry["status"][:60], "", "", "", "", ""))
        for scenario, result in entry["scenarios"].items():
            if result.get("status") != "measured":
                rows.append((variant, scenario, result["status"], "", "", "", "", result.get("reason", "")[:60]))
                continue
            ratio = result.get("ratio") or {}
            ratio_text = f"{ratio['value']:.2f} × {ratio['to']}" if ratio.get("value") is not None else ""
            rows.append((
                variant, scenario, _number(result["rps"]), _number(result["p50"], 0), _number(result["p95"], 0),
                _number(result["p99"], 0), f"{result['failures']}/{result['requests']}", ratio_text,
            ))  # fmt: skip
    if len(rows) == 1:
        return  # no main scenario (a --scale run): the scale study prints its own table
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(columns))]
    print()
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
