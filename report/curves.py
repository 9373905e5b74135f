"""Shaping the cost curves (`python -m benchmarks.run --curves`) for the trust section: per axis a table of each
variant's scenarios by points (milliseconds per request · p50) with the fitted growth, whether the credentials
axis's ends left its middle points to measure, the credential rows the logins left and what each pruning command
removed, and how long seeding the accounts took. Every cell is a number the runner recorded; a point that was not
measured says why.
"""

from __future__ import annotations

from typing import Any

from report.scale import at, curve_hazards, hazard_of, held, ms_points, not_reproduced, yardstick_drift
from report.tables import Table, cell_text
from report.work import direction
from report.work import verdict as work_verdict


def _cell(point: dict[str, Any], scenario: str) -> str:
    """One point's cell: the scenario's figure (and where, when its logins stopped short of the point), or why the
    point was not measured (`skipped`: the ends agreed, or the last point's logins stopped below it)."""
    if "skipped" in point:
        beyond = "logins stopped" in point["skipped"]
        return "not measured (beyond the logins made)" if beyond else "not measured (ends agree)"
    short = f" (at {point['logins']['each']:,})" if "cut_short" in point.get("logins", {}) else ""
    return _ms(point.get("scenarios", {}).get(scenario)) + short


def _ms(result: dict[str, Any] | None) -> str:
    if not result or result.get("status") != "measured" or not result.get("rps"):
        return (result or {}).get("status", "–") if result else "–"
    mark = " ⛔" if result.get("generator_bound") else ""
    return f"{1000 / result['rps']:.2f} · {result['p50']:,.0f}{mark}"


def growth_cell(fitted: dict[str, Any] | None) -> str:
    if not fitted or not fitted.get("class"):
        return (fitted or {}).get("reason", "–")
    return f"{fitted['class']} (log-log slope {fitted['loglog_slope']:+.2f})"


def curves(summary: dict[str, Any]) -> dict[str, Any] | None:
    """Per axis a table (variant and scenario by points) of ms per request · p50, then the fitted growth."""
    study = summary.get("curves")
    if not study or not study.get("variants"):
        return None
    axes = {}
    for axis, points in (("accounts", study["accounts"]), ("credentials", study["credentials"])):
        # The first point measured again after the last (A-B-A), where a run did: a column after the last point.
        again = [str(points[0])] if points and _again(study, axis, str(points[0])) else []
        heads = [*(f"{p:,}" for p in points), *(f"{points[0]:,} again" for _ in again)]
        table = Table(["variant", "scenario", *heads, "growth of ms per request"])
        for variant, record in study["variants"].items():
            error = record.get(f"{axis}_error")
            if error and not record.get(axis):
                table.add(f"`{variant}`", "all", *(["error"] * len(heads)), cell_text(error))
                continue
            by_point = [record[axis].get(str(p)) or {} for p in points]
            by_point += [(record[axis].get(x) or {}).get("again") or {} for x in again]  # a dash: not measured again
            for scenario in study["scenarios"]:
                fitted = record.get("growth", {}).get(axis, {}).get(scenario, {}).get("ms_per_request")
                table.add(f"`{variant}`", scenario, *(_cell(p, scenario) for p in by_point), growth_cell(fitted))
            if drift := yardstick_drift(record[axis]):  # measured where the run had a yardstick
                table.add(f"`{variant}`", f"{study['yardstick']} (yardstick)",
                          *(_cell(p, study["yardstick"]) for p in by_point),
                          f"machine drift {drift[2]:+.0%} ({drift[0]:,} → {drift[1]:,})")  # fmt: skip
            if error:  # the points measured before the axis failed are above; the rest are not
                table.add(f"`{variant}`", "error", *(["–"] * len(heads)), cell_text(error))
        axes[axis] = table
    return {"study": study, "axes": axes, "rows": stored_rows(study), "seeding": seeding(study),
            "screens": screens(study), "not_reproduced": not_reproduced_lines(summary)}  # fmt: skip


def _again(study: dict[str, Any], axis: str, first: str) -> bool:
    return any("again" in ((record.get(axis) or {}).get(first) or {}) for record in study["variants"].values())


def not_reproduced_lines(summary: dict[str, Any]) -> list[str]:
    """Per variant, each growth whose ends separate but that the first point measured again after the last did not
    reproduce (`scale.not_reproduced`): what the report does not call a scale hazard, and why."""
    return [f"`{variant}` {phrase}" for variant in (summary.get("curves") or {}).get("variants", {})
            for phrase, _ in not_reproduced(summary, variant)]  # fmt: skip


def screens(study: dict[str, Any]) -> list[str]:
    """Per variant, whether the credentials axis's ends left its middle points to measure (`credentials_screen`),
    and each point whose logins stopped at their time bound (`cut_short`: measured where they got)."""
    lines = []
    for variant, record in study["variants"].items():
        if screen := record.get("credentials_screen"):
            then = "middle points not measured" if screen["agree"] else "middle points measured"
            lines.append(f"`{variant}`: {screen['reason']}; {then}")
        for x, point in (record.get("credentials") or {}).items():
            if short := point.get("logins", {}).get("cut_short"):
                lines.append(f"`{variant}`, point {int(x):,}: {short}; measured at {point['logins']['each']:,}")
    return lines


def _rows(counted: dict[str, Any] | None) -> str:
    """Per table its live rows (of the first account in brackets) and, where it differs, every stored row."""
    if not counted:
        return "none counted"
    parts = []
    for table, found in counted.items():
        text = f"{table} {found.get('live', 0):,} live"
        if found.get("account") is not None:
            text += f" ({found['account']:,} of the first account)"
        if found.get("stored") not in (None, found.get("live")):
            text += f", {found['stored']:,} stored"
        parts.append(text)
    return ", ".join(parts)


def stored_rows(study: dict[str, Any]) -> list[str]:
    """What the credentials axis left in the database at its last point, and what each pruning command removed."""
    lines = []
    for variant, record in study["variants"].items():
        points = record.get("credentials") or {}
        if points:
            x, last = list(points.items())[-1]
            left = _rows(last.get("credentials_after"))
            lines.append(f"`{variant}` after {at(x, last):,} logins per account: {left}")
        held = _held(points)
        if held:
            lines.append(f"`{variant}`: credentials the block's first account held as each scenario began, point by "
                         f"point: {held}")  # fmt: skip
        for command, pruned in (record.get("prune") or {}).items():
            lines.append(f"`{variant}` `{command}` ({pruned['seconds']:.1f} s): {_rows(pruned['before'])} → "
                         f"{_rows(pruned['after'])}")  # fmt: skip
        if points and not record.get("prune") and not record.get("credentials_error"):
            lines.append(f"`{variant}`: no pruning command installed by its settings")
    return lines


def _held(points: dict[str, Any]) -> str:
    """Per scenario, the account's live credentials counted before its runs at each point (`credentials_before`):
    the x a cost on the credentials axis was really measured at (a scenario's own logins add to it)."""
    found: dict[str, list[str]] = {}
    for point in points.values():
        for scenario in point.get("scenarios") or {}:
            if (held := held_at(point, scenario)) is not None:
                found.setdefault(scenario, []).append(f"{held:,}")
    return "; ".join(f"`{scenario}` {' → '.join(counts)}" for scenario, counts in found.items())


def held_at(point: dict[str, Any], scenario: str) -> int | None:
    """The live credentials the scenario's account held as its runs at `point` began (`credentials_before`)."""
    return held((point.get("scenarios", {}).get(scenario) or {}).get("credentials_before"))


def seeding(study: dict[str, Any]) -> list[str]:
    """How long growing the accounts axis took, per variant."""
    lines = []
    for variant, record in study["variants"].items():
        steps = [(int(n), p["seed"]) for n, p in (record.get("accounts") or {}).items() if p.get("seed")]
        if steps:
            last = steps[-1][1]
            lines.append(f"`{variant}`: {steps[-1][0]:,} accounts seeded in {last['cumulative_seconds']:,.0f} s")
    return lines


def causes(summary: dict[str, Any], registry: dict[str, Any], work: dict[str, Any] | None = None) -> list[str]:
    """Per growing cost whose ends' runs separate (what a card calls a scale hazard: `scale.curve_hazards`), the
    cause the variant's manifest names from its library's source (`[growth.<axis>]`, in the registry), or that
    none is named: a reader must not take an unexplained growth for an explained one; then what the work counted at
    the axis's ends says (`report.work.verdict`), where the work record has the variant, and, on the accounts axis,
    whether the timed account's own credentials grew between those ends while this cost's work grows with them."""
    lines = []
    for variant in (summary.get("curves") or {}).get("variants", {}):
        named = registry.get("variants", {}).get(variant, {}).get("growth_causes", {})
        for phrase, pointer in curve_hazards(summary, variant):
            axis, scenario = hazard_of(pointer)
            found = work_verdict(work, variant, axis, scenario)
            mixed = _mixed(summary, work, variant, scenario) if axis == "accounts" else ""
            lines.append(f"`{variant}` {phrase}: {named.get(axis, {}).get(scenario) or '**cause not named**'}"
                         f"{f'; {found}' if found else ''}{mixed}")  # fmt: skip
    return lines


def mixed(summary: dict[str, Any], work: dict[str, Any] | None, variant: str, scenario: str) -> tuple[int, int] | None:
    """The credentials the timed accounts axis's account held at the near and far end, where they differ and the
    counted work of this cost grows with credentials (its accounts figure then mixes both axes); else None."""
    points = summary["curves"]["variants"][variant].get("accounts") or {}
    found = ms_points(points, scenario)
    where = {at(x, point): point for x, point in points.items()}
    held = [held_at(where[x], scenario) for x in (found[0][0], found[-1][0])] if len(found) >= 2 else []
    if len(held) < 2 or held[0] is None or held[1] is None or held[0] == held[1]:
        return None
    return (held[0], held[1]) if direction(work, variant, "credentials", scenario) == "more" else None


def _mixed(summary: dict[str, Any], work: dict[str, Any] | None, variant: str, scenario: str) -> str:
    if not (held := mixed(summary, work, variant, scenario)):
        return ""
    return (f"; but the timed account held {held[0]:,} → {held[1]:,} credentials at these ends, and this cost's "
            "counted work grows with credentials (its credentials axis): the accounts figure mixes both")  # fmt: skip
