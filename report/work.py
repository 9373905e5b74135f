"""Shaping the work counted along the cost curves (`python -m benchmarks.work`, record `work`) for the curves section.

The cost curves time a scenario as accounts and credentials grow; the work record counts, at each point, the SQL
statements, writes and rows returned that one cycle of the scenario cost (exact counts from the test profile's
middleware; rows where the driver reports them: PostgreSQL, not through a server-side cursor). Compared end to end
they say whether the library does more per request at the far end (more statements, or more rows returned: it
walks the account's credentials), less, or the same. "The same" is what was counted, no more: rows the database
scanned or wrote, payload sizes and Python time are not counted, so it says where a growth is not, not where it is.
Every cell and verdict is a count the probe recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from report.scale import at, held
from report.tables import Table

AXIS_LABELS = {"accounts": "accounts", "credentials": "credentials per account"}
COLUMN_LABELS = {"accounts": "accounts", "credentials": "per account"}
COUNTED = (("total", "statements"), ("rows", "rows returned"))


def _held(result: dict[str, Any]) -> str:
    """ " (holding N)": the live credentials the point's account held as the scenario began, where counted."""
    found = held(result.get("credentials_before"))
    return f" (holding {found:,})" if found is not None else ""


def _cell(result: dict[str, Any] | None) -> str:
    if not result:
        return "–"
    if result.get("status") == "skipped":
        return "skipped"
    rows = f" · {result['rows']:,} row{'' if result['rows'] == 1 else 's'}" if "rows" in result else ""
    return f"{result['total']:,} st ({result['writes']:,} w){rows}"


def _refused(logins: dict[str, Any]) -> str:
    """ "login N refused" where the library refused a login of the point (`logins.refused` begins so), else ""."""
    return logins.get("refused", "").split(",", 1)[0]


def _short(logins: dict[str, Any], reached: int) -> str:
    """Where a credentials point's logins stopped below it: at their time bound, or refused by the library."""
    if refused := _refused(logins):
        return f" (at {reached:,}: {refused})"
    return f" (at {reached:,})" if "cut_short" in logins else ""


def table(work: dict[str, Any] | None) -> Table | None:
    """Variant and scenario by each axis's points: statements (writes) · rows returned per cycle."""
    if not work or not work.get("variants"):
        return None
    head = work["header"]
    columns = [f"{n:,} {label}" for axis, label in COLUMN_LABELS.items() for n in head[axis]]
    found = Table(["variant", "scenario (cycle)", *columns])
    for variant, record in work["variants"].items():
        if "error" in record:
            found.add(f"`{variant}`", "error", *([record["error"][-300:]] + ["–"] * (len(columns) - 1)))
        for scenario, cycle in head["scenarios"].items():
            cells = []
            for axis in AXIS_LABELS:
                for n in head[axis]:
                    point = record.get(axis, {}).get(str(n)) or {}
                    short = _short(point.get("logins") or {}, at(str(n), point))
                    cells.append(_cell(point.get("scenarios", {}).get(scenario)) + short)
            found.add(f"`{variant}`", f"{scenario} ({' + '.join(cycle)})", *cells)
    return found


def ends(work: dict[str, Any] | None, variant: str, axis: str, scenario: str) -> list[tuple[int, dict[str, Any]]]:
    """The first and last counted point of one axis for a variant's scenario, as (x, counts)."""
    points = ((work or {}).get("variants", {}).get(variant) or {}).get(axis) or {}
    counted = [(at(x, point), point.get("scenarios", {}).get(scenario) or {}) for x, point in points.items()]
    counted = sorted(((x, found) for x, found in counted if "total" in found), key=lambda pair: pair[0])
    return [counted[0], counted[-1]] if len(counted) >= 2 else []


def _changes(low: dict[str, Any], high: dict[str, Any]) -> dict[str, int]:
    """Per count both ends hold (statements; rows returned where both counted them), far end minus near end."""
    return {key: high[key] - low[key] for key, _ in COUNTED if key in low and key in high}


@dataclass(frozen=True)
class Compared:
    """One scenario's counts at an axis's two ends, their changes (far minus near, per count both ends hold) and
    which way the work went: "more", "less" or "same"."""

    x0: int
    low: dict[str, Any]
    x1: int
    high: dict[str, Any]
    changes: dict[str, int]
    way: str


def compared(work: dict[str, Any] | None, variant: str, axis: str, scenario: str) -> Compared | None:
    """The counts at the axis's ends compared, or None where the record holds no two points for the scenario."""
    found = ends(work, variant, axis, scenario)
    if not found:
        return None
    (x0, low), (x1, high) = found
    changes = _changes(low, high)
    way = "more" if any(c > 0 for c in changes.values()) else "less" if any(c < 0 for c in changes.values()) else "same"
    return Compared(x0, low, x1, high, changes, way)


def direction(work: dict[str, Any] | None, variant: str, axis: str, scenario: str) -> str:
    """ "more", "less" or "same" work at the axis's far end, or "" where the record holds no two points for it."""
    found = compared(work, variant, axis, scenario)
    return found.way if found else ""


def verdict(work: dict[str, Any] | None, variant: str, axis: str, scenario: str) -> str:
    """What the counts at the axis's ends say of a growing cost, or "" where the record holds no two points."""
    if not (c := compared(work, variant, axis, scenario)):
        return ""
    span = f"{_cell(c.low)} at {c.x0:,}{_held(c.low)} → {_cell(c.high)} at {c.x1:,}{_held(c.high)} {AXIS_LABELS[axis]}"
    if c.way != "same":
        named = dict(COUNTED)
        which = " and ".join(f"{'more' if n > 0 else 'fewer'} {named[k]}" for k, n in c.changes.items() if n)
        text = "the library does more per request at the far end" if c.way == "more" else "less at the far end"
        return f"counted work per cycle {span}: **{text} ({which})**"
    if len(c.changes) < len(COUNTED):
        return (f"counted work per cycle {span}: the same statements (rows not counted at one end or both: a read "
                "whose driver kept no count, as sqlite3's and server-side cursors')")  # fmt: skip
    return (f"counted work per cycle {span}: **the same statements and rows returned at both ends** (not counted: "
            "rows scanned or written, payload size, Python time)")  # fmt: skip


def tag(work: dict[str, Any] | None, variant: str, axis: str, scenario: str) -> str:
    """The verdict in a few words, for a card's scale hazard: "" where the work record holds no two points."""
    if not (c := compared(work, variant, axis, scenario)):
        return ""
    where = f"at {c.x0:,} → {c.x1:,} {AXIS_LABELS[axis]}"
    if c.way == "same":
        what = "statements and rows returned" if len(c.changes) == len(COUNTED) else "statements"
        return f"counted: the same {what} {where}"
    moved = [f"{c.low[k]:,} → {c.high[k]:,} {name}" for k, name in COUNTED if c.changes.get(k)]
    return f"counted: {c.way} work per cycle, {', '.join(moved)} {where}"


def growing(work: dict[str, Any] | None, variant: str, axis: str = "credentials") -> list[str]:
    """The curve scenarios whose counted work per cycle grows along `axis` in the variant's record."""
    scenarios = (work or {}).get("header", {}).get("scenarios", {})
    return [scenario for scenario in scenarios if direction(work, variant, axis, scenario) == "more"]


def hardened_bound(work: dict[str, Any] | None, default: str, hardened: str, scenario: str) -> str:
    """What the hardened mode's counted work says of a cost whose work grows with credentials in the default: that
    its live credentials stop at a cap the library enforces (the far point's logins refused), that it does the same
    work at both ends, or "" (it grows there too, or the record does not hold the hardened mode)."""
    mine, theirs = compared(work, hardened, "credentials", scenario), compared(work, default, "credentials", scenario)
    if not mine or not theirs:
        return ""
    points = (work or {})["variants"][hardened].get("credentials") or {}
    refused = next((found for p in points.values() if (found := _refused(p.get("logins") or {}))), "")
    ours = f"{_cell(mine.low)} at {mine.x0:,} → {_cell(mine.high)} at {mine.x1:,}"
    default_span = f"{_cell(theirs.low)} → {_cell(theirs.high)} at {theirs.x0:,} → {theirs.x1:,} in the default"
    if refused:
        return (f"`{scenario}`'s work per cycle is bounded: live credentials stop at a cap ({refused}), counted "
                f"{ours} per account, against {default_span}")  # fmt: skip
    if mine.way == "same":
        return f"`{scenario}`'s work per cycle no longer grows with credentials: {ours}, against {default_span}"
    return ""


def run_line(work: dict[str, Any] | None) -> str:
    """Where and from what the work was counted."""
    if not work:
        return ""
    head = work["header"]
    return (f"{head['database']}, generated {head['generated']} from commit `{head['git_commit'][:12]}`, "
            f"variants {', '.join(f'`{v}`' for v in work['variants'])}")  # fmt: skip
