"""Shaping the capability matrix: the cells, their notes, every ⚙ judged by observation, and the residual risk.

A ⚙ cell says "this library setting changes the cell". Each one names the variant whose settings flip it (the
default variant's hardened counterpart unless the claim says `flipped_in`), and both variants' capability tests
record what they observed; `flips` compares the two observations. A flip is **observed** when both tests
matched their claims and saw different values; it **did not flip** when both saw the same value and the
flipping variant's manifest says so as a finding; anything else (a test not run or failed, no flipping variant,
an `unverified` declaration) is **unverified**, printed and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from report.data import Data
from report.tables import MAIN, Page, Table, code, columns, value

OBSERVED, DID_NOT_FLIP, UNVERIFIED = "flip observed", "did not flip", "unverified"
MARKS = {OBSERVED: "✅ flips", DID_NOT_FLIP: "⚠️ did not flip", UNVERIFIED: "❓ unverified"}
PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "n/a"


@dataclass(frozen=True)
class Flip:
    variant: str
    capability: str
    setting: str
    target: str | None
    default: Any
    flipped: Any
    verdict: str
    why: str


def _judge(entry: dict[str, Any], target: dict[str, Any] | None, name: str | None) -> tuple[str, str]:
    if not name:
        return UNVERIFIED, "no variant of the backend flips this setting"
    if not target:
        return UNVERIFIED, f"`{name}` did not observe the capability in this run"
    if target.get("unverified"):
        return UNVERIFIED, target["unverified"]
    if entry["observed"] != entry["declared"] or target["observed"] != target["declared"]:
        return UNVERIFIED, "a capability test observed something other than its claim"
    if entry["observed"] != target["observed"]:
        return OBSERVED, f"{entry['observed']!r} → {target['observed']!r} in `{name}`"
    if target.get("finding"):
        return DID_NOT_FLIP, f"`{name}` set it and still observed {target['observed']!r}: {target['finding']}"
    return UNVERIFIED, f"`{name}` observed the same value {target['observed']!r} and declares no finding"


def flips(matrix: dict[str, Any] | None) -> list[Flip]:
    """Every ⚙ of a default variant in the matrix record, judged against its flipping variant's observation."""
    variants = (matrix or {}).get("variants", {})
    found = []
    for name, data in variants.items():
        if data.get("hardens") or data.get("observes"):
            continue  # a hardened variant's inherited ⚙ was flipped by its default, not by itself
        for capability, entry in data.get("capabilities", {}).items():
            if not entry.get("setting"):
                continue
            target_name = entry.get("flips_in")
            target = variants.get(target_name, {}).get("capabilities", {}).get(capability) if target_name else None
            verdict, why = _judge(entry, target, target_name)
            flipped = target["observed"] if target else None
            found.append(
                Flip(name, capability, entry["setting"], target_name, entry["observed"], flipped, verdict, why)
            )
    return found


def flip_table(data: Data) -> tuple[Table, dict[str, int]]:
    found = flips(data.matrix)
    table = Table(["variant", "capability", "setting", "default", "flipping variant", "there", "verdict"])
    for f in found:
        table.add(code(f.variant), code(f.capability), code(f.setting), repr(f.default), code(f.target or "–"),
                  repr(f.flipped), f"{MARKS[f.verdict]}: {f.why}")  # fmt: skip
    return table, {verdict: sum(f.verdict == verdict for f in found) for verdict in MARKS}


def reading(data: Data, capability: str, observed: Any) -> str:
    """`pass` when the observed value is the safe one, `fail` when not, `n/a` when the capability does not apply."""
    if observed == NOT_APPLICABLE:
        return NOT_APPLICABLE
    return PASS if observed == data.registry["readings"][capability]["safe"] else FAIL


def cell(entry: dict[str, Any] | None, mark: str | None, page: Page = MAIN) -> str:
    if not entry:
        return "not observed"
    matched = "✅" if entry["observed"] == entry["declared"] else f"❌ declared {value(entry['declared'])}, observed"
    setting = f" ⚙ `{entry['setting']}`" + (f" {mark}" if mark else "") if entry.get("setting") else ""
    return page.test(entry["test"], f"{matched} {value(entry['observed'])}") + setting


def capability_table(data: Data, names: list[str], page: Page = MAIN) -> Table:
    """Rows of capabilities grouped by area, one column per variant."""
    marks = {(f.variant, f.capability): MARKS[f.verdict] for f in flips(data.matrix)}
    table = Table(columns("capability", names=names))
    area = None
    for capability in data.registry["capabilities"]:
        if capability["area"] != area:
            area = capability["area"]
            table.add(f"**{area}**", *([""] * len(names)))
        cid = capability["id"]
        cells = [cell(data.cell(n, cid), marks.get((n, cid)), page) for n in names]
        table.add(f"`{cid}`: {capability['meaning']}", *cells)
    return table


def notes(data: Data, names: list[str]) -> list[str]:
    return [
        f"`{capability['id']}` on `{name}`: {entry['note']}"
        for capability in data.registry["capabilities"]
        for name in names
        if (entry := data.cell(name, capability["id"])) and entry.get("note")
    ]


def residual(data: Data, name: str) -> list[dict[str, str]]:
    """What a variant still fails: declared failing posture cases, then its unsafe matrix readings."""
    titles = {case["id"]: case["title"] for case in data.registry["posture_cases"]}
    rows = [
        {"id": case_id, "what": titles.get(case_id, case_id), "why": entry.get("reason") or "–", "kind": "posture"}
        for case_id, entry in data.posture(name).items()
        if entry["finding"] == FAIL
    ]
    readings = data.registry["readings"]
    matrix = ((data.matrix or {}).get("variants", {}).get(name) or {}).get("capabilities", {})
    rows += [
        {"id": capability, "what": f"{readings[capability]['title']} (observed {entry['observed']!r})",
         "why": entry.get("note") or "–", "kind": "reading"}
        for capability, entry in matrix.items()
        if capability in readings and reading(data, capability, entry["observed"]) == FAIL
    ]  # fmt: skip
    return rows


def residual_tables(data: Data) -> list[tuple[str, Table]]:
    """Per hardened variant: what no setting fixed, with the reason its manifest gives."""
    out = []
    for name in data.columns:
        if not data.variant(name).get("hardens"):
            continue
        table = Table(["case", "what", "why no setting fixes it"])
        for row in residual(data, name):
            table.add(code(row["id"]), row["what"], row["why"])
        out.append((name, table))
    return out
