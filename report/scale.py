"""Shaping the scale study (`benchmarks.run --scale`) and what hardening costs, from the benchmark summary."""

from __future__ import annotations

from typing import Any

from report.tables import Table, code

COST_THRESHOLD = 0.10  # a figure moving more than this needs its cause named (issue #14)


def result_at(by_point: dict[str, Any], point: str, scenario: str) -> dict[str, Any]:
    """The scenario's result at a point, or a stand-in saying why there is none."""
    entry = by_point.get(point)
    if entry is None or entry["status"] != "measured":
        return {"status": entry["status"].split(":")[0] if entry else "not run"}
    return entry["scenarios"].get(scenario) or {"status": "not run"}


def _ms(figure: float | None) -> str:
    return "–" if figure is None else f"{figure:,.0f}"


def cell(result: dict[str, Any]) -> str:
    """`p50 / p95 ms · N req/s` for a measured result, else its status and reason."""
    if result.get("status") != "measured":
        reason = (result.get("reason") or "").strip().splitlines()
        return f"not measured ({result.get('status', '?')}{': ' + reason[0][:150] if reason else ''})"
    rps = result["rps"]
    text = f"{_ms(result['p50'])} / {_ms(result['p95'])} ms · {rps:,.{2 if rps < 10 else 0}f} req/s"
    return text + (" ⚠" if result.get("unstable") else "") + (f" ❌ {result['failures']}" if result["failures"] else "")


def credentials_text(rows: dict[str, Any] | None) -> str:
    """The non-empty credential tables: "knox.AuthToken 2,000 (100)", the first token account's rows in brackets."""
    if rows is None:
        return "not counted"
    shown = [f"{label} {c['live']:,}" + (f" ({c['account']:,})" if c["account"] is not None else "")
             for label, c in (rows or {}).items() if c["live"]]  # fmt: skip
    return ", ".join(shown) or "none"


def ratio(by_point: dict[str, Any], point: str, scenario: str) -> str:
    """This point against `base`: p50 and requests/s multiplied by how much."""
    base, other = (result_at(by_point, p, scenario) for p in ("base", point))
    if base.get("status") != "measured" or other.get("status") != "measured" or not base["p50"] or not base["rps"]:
        return "–"
    return f"p50 ×{(other['p50'] or 0) / base['p50']:.2f}, req/s ×{other['rps'] / base['rps']:.2f}"


def scale(summary: dict[str, Any]) -> dict[str, Any] | None:
    """The study's table, failed points and credential rows per variant."""
    study = summary.get("scale")
    if not study:
        return None
    points = study["points"]
    labels = [points[p]["label"] for p in ("base", "many_users", "many_tokens")]
    base, many, tokens = labels
    table = Table(["variant", "scenario", *labels, f"{many} / {base}", f"{tokens} / {base}"])
    for variant, entry in summary["variants"].items():
        by_point = study["variants"].get(variant)
        for scenario in study["scenarios"]:
            if by_point is None:
                why = f"not measured: {entry['status'].split(':')[0]}"
                table.add(code(variant), scenario, why, why, why, "–", "–")
                continue
            cells = [cell(result_at(by_point, p, scenario)) for p in points]
            table.add(
                code(variant), scenario, *cells, *(ratio(by_point, p, scenario) for p in ("many_users", "many_tokens"))
            )
    errors = [f"`{v}` {p}: {' '.join(e['status'].split())[:300]}" for v, by_point in study["variants"].items()
              for p, e in by_point.items() if e["status"] != "measured"]  # fmt: skip
    rows = [f"`{variant}`: " + "; ".join(f"{points[p]['label']}: {credentials_text(e.get('credentials_before'))} → "
                                         f"{credentials_text(e.get('credentials_after'))}" for p, e in by_point.items())
            for variant, by_point in study["variants"].items()]  # fmt: skip
    return {"study": study, "labels": labels, "table": table, "errors": errors, "credentials": rows}


def hazard(summary: dict[str, Any] | None, variant: str) -> str | None:
    """What many logins per account did to `me` and to the stored rows, from the scale study, in one phrase."""
    by_point = ((summary or {}).get("scale") or {}).get("variants", {}).get(variant)
    if not by_point or "many_tokens" not in by_point:
        return None
    growth = ratio(by_point, "many_tokens", "me")
    rows = credentials_text(by_point["many_tokens"].get("credentials_before"))
    return f"after 100 logins per account: `me` {growth}; credential rows {rows}"


CURVE_AXES = {"credentials": "live credentials per account", "accounts": "accounts"}


def curve_hazards(summary: dict[str, Any] | None, variant: str) -> list[tuple[str, str]]:
    """Each scenario whose cost the cost curves found growing (fitted class other than constant) and whose end points'
    runs separate (the slowest run at the first end faster than the fastest at the last: a change the runs' own
    spread could make is no hazard), each run taken relative to the yardstick measured at its point where there is
    one (`yardstick_drift`: a slowdown the no-library baseline shows too is the machine's), and, where the first point
    was measured again after the last (`again`), whose last end separates from that too: as a phrase with the ends'
    milliseconds per request and the pointer of its fit."""
    # A float `again` is the first point's figure measured again, which did not separate from the last: no hazard.
    return [(phrase, pointer) for phrase, pointer, again in _growths(summary, variant) if not isinstance(again, float)]


def not_reproduced(summary: dict[str, Any] | None, variant: str) -> list[tuple[str, str]]:
    """The growths whose ends separate but whose first point, measured again after the last, does not separate from
    the last (the first point's figure moved with the time it was measured at, not with the axis), with that figure."""
    return [(f"{phrase}; measured again after the last: {again:.2f} ms at the first", pointer)
            for phrase, pointer, again in _growths(summary, variant) if isinstance(again, float)]  # fmt: skip


def _growths(summary: dict[str, Any] | None, variant: str) -> list[tuple[str, str, float | bool | None]]:
    """(phrase, pointer, again) per growing cost whose ends separate; again: None where the first point was not
    measured again, True where it separates from the last end too, else its milliseconds per request."""
    record = ((summary or {}).get("curves") or {}).get("variants", {}).get(variant) or {}
    found: list[tuple[str, str, float | bool | None]] = []
    for axis, label in CURVE_AXES.items():
        points = record.get(axis) or {}
        where = {at(x, point): point for x, point in points.items()}
        for scenario, fitted in (record.get("growth") or {}).get(axis, {}).items():
            ms = fitted.get("ms_per_request") or {}
            if ms.get("class") in (None, "constant", "decreasing"):
                continue
            ends = ms_points(points, scenario)
            if len(ends) < 2 or not _separate(where[ends[0][0]], where[ends[-1][0]], scenario):
                continue
            span = f": {ends[0][1]:.2f} ms at {ends[0][0]:,}, {ends[-1][1]:.2f} ms at {ends[-1][0]:,}"
            grows = (
                ms["class"] if ms["class"].startswith("grows") else f"grows {ms['class']}"
            )  # rules.growth's two-point class
            again = where[ends[0][0]].get("again") or {}
            repeat = measured(again, scenario) or {}
            verdict: float | bool | None = None
            # Judged only on the server's own figure with runs (a generator-bound one is the generator's limit).
            runs = [run for run in repeat.get("runs") or [] if run.get("rps")]
            if repeat.get("rps") and not repeat.get("generator_bound") and runs:
                verdict = _separate(again, where[ends[-1][0]], scenario) or 1000 / repeat["rps"]
            found.append((f"`{scenario}` {grows} with {label} (log-log slope {ms['loglog_slope']:+.2f}{span})",
                          f"/curves/variants/{variant}/growth/{axis}/{scenario}", verdict))  # fmt: skip
    return found


def _separate(low: dict[str, Any], high: dict[str, Any], scenario: str) -> bool:
    """Whether every run at point `low` took fewer milliseconds per request than every run at point `high`, each
    divided by its point's yardstick (milliseconds per request of `baseline_drf`, where measured at both)."""
    scales = [_yardstick_ms(low), _yardstick_ms(high)]
    if None in scales:
        scales = [1.0, 1.0]
    runs = [[1000 / run["rps"] / unit for run in (point["scenarios"][scenario].get("runs") or []) if run.get("rps")]
            for point, unit in zip((low, high), scales, strict=True)]  # fmt: skip
    return all(runs) and max(runs[0]) < min(runs[1])


def _yardstick_ms(point: dict[str, Any]) -> float | None:
    found = measured(point, BASELINE) or {}  # benchmarks.curves.YARDSTICK
    return 1000 / found["rps"] if found.get("rps") and not found.get("generator_bound") else None


def yardstick_drift(points: dict[str, Any]) -> tuple[int, int, float] | None:
    """How far the yardstick's milliseconds per request moved from an axis's first point to its last measured one,
    as (first point, last point, change); None where it was not measured at two points."""
    found = [(at(x, point), ms) for x, point in points.items() if (ms := _yardstick_ms(point)) is not None]
    if len(found) < 2:
        return None
    (x0, low), (x1, high) = min(found), max(found)
    return x0, x1, high / low - 1


def ms_points(points: dict[str, Any], scenario: str) -> list[tuple[int, float]]:
    """(point, milliseconds per request) of each measured point of one axis, in order (also the curves' lines); a
    point whose logins stopped at their time bound sits at the credentials they reached (`at`)."""
    found = []
    for x, point in points.items():
        result = point.get("scenarios", {}).get(scenario) or {}
        # A generator-bound point is the generator's figure, not the server's (the chart leaves it out too).
        if result.get("status") == "measured" and result.get("rps") and not result.get("generator_bound"):
            found.append((at(x, point), 1000 / result["rps"]))
    return sorted(found)


def held(counted: dict[str, Any] | None) -> int | None:
    """The live credentials an account held, from a `count_credentials` reading (table -> {"account", ...}); None
    where nothing was counted."""
    return sum(t.get("account") or 0 for t in counted.values()) if counted else None


def hazard_of(pointer: str) -> tuple[str, str]:
    """The axis and scenario a curve hazard's pointer (`curve_hazards`) names."""
    axis, scenario = pointer.split("/")[-2:]
    return axis, scenario


def at(x: str, point: dict[str, Any]) -> int:
    """Where a point was measured: its credentials reached (`logins.each`, below `x` when cut short), else `x`."""
    return int(point.get("logins", {}).get("each", x))


def measured(entry: dict[str, Any], scenario: str) -> dict[str, Any] | None:
    """A variant entry's figure for `scenario`, if it was measured."""
    result = entry.get("scenarios", {}).get(scenario)
    return result if result and result.get("status") == "measured" else None


def drift(before: dict[str, Any], after: dict[str, Any]) -> float | None:
    """How far the no-authentication baseline moved from one server's runs to the other's (None: not both)."""
    old, new = measured(before, BASELINE), measured(after, BASELINE)
    return new["rps"] / old["rps"] - 1 if old and new and old["rps"] else None


def _range(result: dict[str, Any]) -> tuple[float, float]:
    rates = [run["rps"] for run in result.get("runs", [])] or [result["rps"]]
    return min(rates), max(rates)


BASELINE = "baseline_drf"  # no library code runs in it: its move within a pair is the machine's drift
DRIFT_NOTE = (
    "no library code runs here: the machine's drift between the two servers' runs, the yardstick for the others"
)


def rps_change(default: dict[str, Any], hardened: dict[str, Any], drift: float | None = None) -> str:
    """The change of the median; inconclusive when the runs' ranges overlap, or when the change is no larger than
    the pair's own drift (how far the same no-authentication baseline moved between the two servers' runs)."""
    change = hardened["rps"] / default["rps"] - 1 if default["rps"] else 0.0
    if min(len(default.get("runs", [])), len(hardened.get("runs", []))) < 3:
        return f"{change:+.0%} (inconclusive: fewer than 3 runs a side, no spread to judge)"
    low_d, high_d = _range(default)
    low_h, high_h = _range(hardened)
    if not (high_h < low_d or low_h > high_d):
        return f"{change:+.0%} (inconclusive: run ranges overlap)"
    if drift is not None and abs(change) <= abs(drift):
        return f"{change:+.0%} (inconclusive: within the pair's baseline drift of {drift:+.0%})"
    return f"{change:+.0%}"


def cost(summary: dict[str, Any] | None, registry: dict[str, Any]) -> tuple[Table, Table] | None:
    """Default vs hardened: requests per second per scenario, and SQL statements per operation (counted). The
    causes are the hardened manifest's `[cost]` table as the registry carries it (read in the library's source,
    so they may be written after the run), else as the run recorded it."""
    variants = (summary or {}).get("variants", {})
    pairs = [(entry["hardens"], name) for name, entry in variants.items() if entry.get("hardens") in variants]
    if not summary or not pairs:
        return None
    rates = Table(["pair", "scenario", "default rps", "hardened rps", "change", "cause"])
    for default, hardened in pairs:
        causes = registry["variants"].get(hardened, {}).get("cost_causes") or variants[hardened].get("cost_causes", {})
        moved = drift(variants[default], variants[hardened])
        for scenario in summary["scenarios"]:
            d, h = measured(variants[default], scenario), measured(variants[hardened], scenario)
            if not d or not h:
                figures = [f"{r['rps']:.1f}" if r else "–" for r in (d, h)]
                rates.add(code(hardened), scenario, *figures, "not measured", "")
                continue
            change = h["rps"] / d["rps"] - 1 if d["rps"] else 0.0
            if scenario == BASELINE:
                cause = DRIFT_NOTE
                rates.add(code(hardened), scenario, f"{d['rps']:.1f}", f"{h['rps']:.1f}", f"{change:+.0%}", cause)
                continue
            cause = causes.get(scenario, "**cause not named**" if abs(change) > COST_THRESHOLD else "")
            shown = rps_change(d, h, moved)
            rates.add(code(hardened), scenario, f"{d['rps']:.1f}", f"{h['rps']:.1f}", shown, cause)
    statements = Table(["pair", "operation", "default statements", "hardened statements"])
    for default, hardened in pairs:
        d_counts, h_counts = variants[default].get("queries", {}), variants[hardened].get("queries", {})
        for operation, d in d_counts.items():
            statements.add(
                code(hardened), operation, d.get("total", "–"), h_counts.get(operation, {}).get("total", "–")
            )
    return rates, statements
