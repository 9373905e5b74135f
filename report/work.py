"""Shaping the work counted along the cost curves (`python -m benchmarks.work`, record `work`) for the curves section.

The cost curves time a scenario as accounts and credentials grow; the work record counts, at each point, the SQL
statements, writes and rows read that one cycle of the scenario cost (exact counts from the test profile's
middleware; rows where the driver reports them, PostgreSQL). Compared end to end they say what a growing cost is
made of: the library runs more statements, or reads more rows (it walks the account's credentials), or does the
same work at both ends, so the time it gains is not more work by the library (the same statements on a larger
database, or the run's own drift). Every cell and verdict is a count the probe recorded.
"""

from __future__ import annotations

from typing import Any

from report.tables import Table

AXIS_LABELS = {"accounts": "accounts", "credentials": "credentials per account"}
COLUMN_LABELS = {"accounts": "accounts", "credentials": "per account"}


def _x(axis: str, x: str, point: dict[str, Any]) -> int:
    """Where a point sits: a credentials point whose logins stopped at their bound, at the logins it reached."""
    return int(point["logins"]["each"]) if axis == "credentials" and "logins" in point else int(x)


def _cell(result: dict[str, Any] | None) -> str:
    if not result:
        return "–"
    if result.get("status") == "skipped":
        return "skipped"
    rows = f" · {result['rows']:,} row{'' if result['rows'] == 1 else 's'}" if "rows" in result else ""
    return f"{result['total']:,} st ({result['writes']:,} w){rows}"


def table(work: dict[str, Any] | None) -> Table | None:
    """Variant and scenario by each axis's points: statements (writes) · rows read per cycle."""
    if not work or not work.get("variants"):
        return None
    head = work["header"]
    columns = [f"{n:,} {label}" for axis, label in COLUMN_LABELS.items() for n in head[axis]]
    found = Table(["variant", "scenario (cycle)", *columns])
    for variant, record in work["variants"].items():
        for scenario, cycle in head["scenarios"].items():
            cells = []
            for axis in AXIS_LABELS:
                for n in head[axis]:
                    point = record.get(axis, {}).get(str(n)) or {}
                    short = f" (at {_x(axis, str(n), point):,})" if "cut_short" in point.get("logins", {}) else ""
                    cells.append(_cell(point.get("scenarios", {}).get(scenario)) + short)
            found.add(f"`{variant}`", f"{scenario} ({' + '.join(cycle)})", *cells)
    return found


def ends(work: dict[str, Any] | None, variant: str, axis: str, scenario: str) -> list[tuple[int, dict[str, Any]]]:
    """The first and last counted point of one axis for a variant's scenario, as (x, counts)."""
    points = ((work or {}).get("variants", {}).get(variant) or {}).get(axis) or {}
    counted = [(_x(axis, x, point), point.get("scenarios", {}).get(scenario) or {}) for x, point in points.items()]
    counted = sorted((x, found) for x, found in counted if "total" in found)
    return [counted[0], counted[-1]] if len(counted) >= 2 else []


def _grew(low: dict[str, Any], high: dict[str, Any]) -> list[str]:
    """What the far end counted more of: statements, rows read (where both ends counted rows)."""
    return [what for key, what in (("total", "more statements"), ("rows", "more rows read"))
            if key in low and key in high and high[key] > low[key]]  # fmt: skip


def verdict(work: dict[str, Any] | None, variant: str, axis: str, scenario: str) -> str:
    """What the counted work says of a growing cost: more statements, more rows read, or the same work at both
    ends (the time it gains comes from elsewhere); "" where the work record holds no two points for it."""
    found = ends(work, variant, axis, scenario)
    if not found:
        return ""
    (x0, low), (x1, high) = found
    span = f"{_cell(low)} at {x0:,} → {_cell(high)} at {x1:,} {AXIS_LABELS[axis]}"
    if grew := _grew(low, high):
        return f"counted work per cycle {span}: **the library does more work ({' and '.join(grew)})**"
    if "rows" not in low:
        return (
            f"counted work per cycle {span}: the same statements (rows not counted: a read whose driver kept no "
            "count, as sqlite3's and server-side cursors')"
        )
    return (
        f"counted work per cycle {span}: **the same work at both ends** (the library does no more per "
        "request; the time it gains comes from elsewhere: the same statements on a larger database, or the run)"
    )


def tag(work: dict[str, Any] | None, variant: str, axis: str, scenario: str) -> str:
    """The verdict in a few words, for a card's scale hazard: "" where the work record holds no two points."""
    found = ends(work, variant, axis, scenario)
    if not found:
        return ""
    (_, low), (_, high) = found
    if _grew(low, high):
        changes = [f"{low[k]:,} → {high[k]:,} {what}" for k, what in (("total", "statements"), ("rows", "rows read"))
                   if k in low and k in high and high[k] > low[k]]  # fmt: skip
        return f"counted: the library does more work, {', '.join(changes)} per cycle"
    return "counted: the same work at both ends" if "rows" in low else "counted: the same statements at both ends"


def run_line(work: dict[str, Any] | None) -> str:
    """Where and from what the work was counted."""
    if not work:
        return ""
    head = work["header"]
    return (f"{head['database']}, generated {head['generated']} from commit `{head['git_commit'][:12]}`, "
            f"variants {', '.join(f'`{v}`' for v in work['variants'])}")  # fmt: skip
