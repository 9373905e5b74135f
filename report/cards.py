"""The summary: one card per default variant, generated from the records only.

A card says what the variant alone does (a capability observed `yes` there and in no default variant of another
library), its declared security failures (posture cases it fails as its manifest declares, unsafe matrix
readings), its cost against the no-authentication baseline (SQL statements of an authenticated request from
the matrix; `me` against `baseline_drf` under load and in process where the benchmarks ran), its scale hazards
(rows that grow with logins, as observed), and what its hardened mode closes (findings and readings that pass
there, ⚙ flips observed) and leaves open. Every line links to the record it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from report import bench, profile, scale, work
from report.curves import mixed
from report.data import Data, joined
from report.matrix import FAIL, OBSERVED, PASS, flips, reading, residual
from report.tables import MAIN, Page, value


@dataclass
class Card:
    name: str
    library: str
    kind: str
    alone: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cost: list[str] = field(default_factory=list)
    hazards: list[str] = field(default_factory=list)
    hardened: str | None = None
    closes: list[str] = field(default_factory=list)
    still_open: list[str] = field(default_factory=list)


def _observed(data: Data, name: str, capability: str) -> Any:
    return (data.cell(name, capability) or {}).get("observed")


def alone(data: Data, name: str) -> list[str]:
    """Capabilities observed `yes` here and in no default variant of another backend."""
    backend = data.variant(name).get("backend")
    others = [n for n in data.defaults if data.variant(n).get("backend") != backend]
    return [
        capability["id"]
        for capability in data.registry["capabilities"]
        if _observed(data, name, capability["id"]) is True
        and not any(_observed(data, other, capability["id"]) is True for other in others)
    ]


def failing(data: Data, name: str) -> tuple[set[str], set[str]]:
    """(posture cases found failing, matrix readings observed unsafe) of one variant."""
    cases = {case_id for case_id, entry in data.posture(name).items() if entry["finding"] == FAIL}
    readings = {
        capability
        for capability in data.registry["readings"]
        if (entry := data.cell(name, capability)) and reading(data, capability, entry["observed"]) == FAIL
    }
    return cases, readings


def _cost(data: Data, name: str, page: Page) -> list[str]:
    lines = []
    queries, writes = (_observed(data, name, c) for c in ("queries_per_authenticated_request",
                                                              "writes_per_authenticated_request"))  # fmt: skip
    if queries is not None:
        pointer = f"/variants/{name}/capabilities/queries_per_authenticated_request"
        lines.append(f"{page.cited(f'{queries} SQL statement(s)', 'matrix', pointer)} ({writes} writes) per "
                     "authenticated request")  # fmt: skip
    ratio = bench.me_ratio(data.bench, name)
    if ratio is not None:
        cited = page.cited(f"{ratio:.2f}×", "bench", f"/variants/{name}/scenarios/me/ratio")
        scenarios = data.bench["variants"][name]["scenarios"]  # type: ignore[index]
        loose = [n for n in ("me", "baseline_drf") if (scenarios.get(n) or {}).get("spread_exceeded")]
        mark = f" (⚠ the runs of {' and '.join(loose)} spread beyond the bound: indicative only)" if loose else ""
        head = (data.bench or {}).get("header") or {}
        if head.get("quick"):  # seconds-long windows (its section says so too)
            load = head.get("load") or {}
            mark += (f" (⚠ a quick run's figure: {load.get('duration_seconds', '?')} s × {load.get('repeat', '?')} "
                     "run(s), not to be compared or quoted)")  # fmt: skip
        lines.append(f"`me` under load keeps {cited} of the no-authentication `baseline_drf`{mark}")
    entry = ((data.profile or {}).get("variants") or {}).get(name) or {}
    if entry.get("status") == "profiled":
        me, base = entry["me"]["us_per_request"], entry["baseline_drf"]["us_per_request"]
        cited = page.cited(f"{me:,.0f} µs", "profile", f"/variants/{name}/me")
        lines.append(f"in process, `me` takes {cited} against {base:,.0f} µs for `baseline_drf`")
    if data.bench is None:
        lines.append("throughput not measured in this data")
    return lines


def _hazards(data: Data, name: str, page: Page) -> list[str]:
    lines = []
    if (
        _observed(data, name, "new_credential_per_login") is True
        and _observed(data, name, "credential_kind") == "opaque"
    ):
        cited = page.cited(
            "a distinct opaque credential", "matrix", f"/variants/{name}/capabilities/new_credential_per_login"
        )
        lines.append(f"each login stores {cited}: rows per account grow with logins until they expire or are "
                     "logged out")  # fmt: skip
    growth = scale.hazard(data.bench, name)
    if growth:
        lines.append(page.cited(growth, "bench", f"/scale/variants/{name}/many_tokens"))
    late = profile.login_growth(data.profile, name)
    if late:
        lines.append(page.cited(late, "profile", f"/variants/{name}/sql"))
    curved = _curves_of(data, name)
    if curved:
        sources, summary = curved
        lines += [
            page.cited(phrase, sources[scale.hazard_of(pointer)[0]], pointer)
            + _work_tag(data, name, pointer, page, summary)
            for phrase, pointer in scale.curve_hazards(summary, name)
        ] or [
            "cost curves: every measured cost stays constant ("
            + ", ".join(page.cited(axis, record, f"/curves/variants/{name}/{axis}") for axis, record in sources.items())
            + ")"
        ]
    if not (data.bench or {}).get("scale") and not curved:
        lines.append("no scale study or cost curve in this data")
    return lines


def _work_tag(data: Data, name: str, pointer: str, page: Page, summary: dict[str, Any]) -> str:
    """What the work counted at a growing cost's axis ends says of it (`report.work.tag`), cited, and on the accounts
    axis whether the timed account's credentials grew too (`report.curves.mixed`); "" without a work record."""
    axis, scenario = scale.hazard_of(pointer)
    found = work.tag(data.work, name, axis, scenario)
    held = mixed(summary, data.work, name, scenario) if axis == "accounts" else None
    also = (
        f"; the timed account held {held[0]:,} → {held[1]:,} credentials, which this cost's work grows with"
        if held
        else ""
    )
    return f" ({page.cited(found, 'work', f'/variants/{name}/{axis}')}{also})" if found else ""


def _curves_of(data: Data, name: str) -> tuple[dict[str, str], dict[str, Any]] | None:
    """Per axis the record the curves section cites for the variant (`report.data.joined`: each axis from the newest
    run that measured it), and the joined summary the hazards are read from; None: no curve of the variant."""
    found = joined(data.studies, "curves")
    if not found or not (sources := found[1]["curves"]["sources"].get(name)):
        return None
    return sources, found[1]


def card(data: Data, name: str, page: Page = MAIN) -> Card:
    kind = _observed(data, name, "credential_kind")
    found = Card(name, data.variant(name).get("library", "?"), value(kind) if kind is not None else "?")
    found.alone = [page.cited(f"`{c}`", "matrix", f"/variants/{name}/capabilities/{c}") for c in alone(data, name)]
    cases, readings = failing(data, name)
    found.failures = [_cite(page, name, c, data) for c in [*sorted(cases), *sorted(readings)]]
    found.cost, found.hazards = _cost(data, name, page), _hazards(data, name, page)
    hardened = data.hardened_of(name)
    if hardened:
        found.hardened = hardened
        h_cases, h_readings = failing(data, hardened)
        closed = sorted((cases - h_cases) | (readings - h_readings))
        found.closes = [_cite(page, hardened, c, data) for c in closed if _passes(data, hardened, c)]
        found.closes += [f"⚙ `{f.setting}`: `{f.capability}` {value(f.default)} → {value(f.flipped)}"
                         for f in flips(data.matrix) if f.variant == name and f.target == hardened
                         and f.verdict == OBSERVED]  # fmt: skip
        found.closes += [page.cited(line, "work", f"/variants/{hardened}/credentials")
                         for scenario in work.growing(data.work, name)
                         if (line := work.hardened_bound(data.work, name, hardened, scenario))]  # fmt: skip
        found.still_open = [_cite(page, hardened, row["id"], data) for row in residual(data, hardened)]
    return found


def _cite(page: Page, name: str, item: str, data: Data) -> str:
    """A posture case or a matrix reading of a variant, linked to its place in the record."""
    if item in data.registry["readings"]:
        return page.cited(f"`{item}` (reading)", "matrix", f"/variants/{name}/capabilities/{item}")
    return page.cited(f"`{item}`", "contract", f"/variants/{name}/posture/{item}")


def _passes(data: Data, name: str, item: str) -> bool:
    if item in data.registry["readings"]:
        entry = data.cell(name, item)
        return entry is not None and reading(data, item, entry["observed"]) == PASS
    return (data.posture(name).get(item) or {}).get("finding") == PASS


def cards(data: Data, page: Page = MAIN) -> list[Card]:
    return [card(data, name, page) for name in data.defaults]
