"""The report's configuration sections: every ⚙ judged by observation, residual risk, and what hardening costs.

A ⚙ cell says "this library setting changes the cell". Each one names the variant whose settings flip it (the
default variant's hardened counterpart unless the claim says `flipped_in`), and both variants' capability tests
record what they observed; this module compares the two observations. A flip is **observed** when both tests
matched their claims and saw different values; it **did not flip** when both saw the same value and the
flipping variant's manifest says so as a finding; anything else (a test not run or failed, no flipping variant,
an `unverified` declaration) is **unverified**, printed and counted. It reads result records only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.cases.matrix import READINGS, reading
from harness.manifest import BACKENDS_DIR
from harness.posture import CASES, FAIL

OBSERVED, DID_NOT_FLIP, UNVERIFIED = "flip observed", "did not flip", "unverified"
MARKS = {OBSERVED: "✅ flips", DID_NOT_FLIP: "⚠️ did not flip", UNVERIFIED: "❓ unverified"}
COST_THRESHOLD = 0.10  # a figure moving more than this needs its cause named (issue #14)


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


def flip_marks(matrix: dict[str, Any] | None) -> dict[tuple[str, str], str]:
    """(variant, capability) -> the mark a ⚙ cell of the matrix carries."""
    return {(f.variant, f.capability): MARKS[f.verdict] for f in flips(matrix)}


def flip_section(matrix: dict[str, Any] | None) -> list[str]:
    found = flips(matrix)
    if not found:
        return ["No ⚙ cell in this run's matrix."]
    counts = {verdict: sum(f.verdict == verdict for f in found) for verdict in MARKS}
    lines = [
        f"{len(found)} ⚙ cells: **{counts[OBSERVED]} flips observed**, {counts[DID_NOT_FLIP]} settings that did not",
        f"flip the cell (findings), **{counts[UNVERIFIED]} unverified**. Each row compares two observations: the",
        "default variant's and the flipping variant's (its hardened mode unless the manifest names another).",
        "",
        "| variant | capability | setting | default | flipping variant | there | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in found:
        lines.append(
            f"| `{f.variant}` | `{f.capability}` | `{f.setting}` | {f.default!r} | `{f.target or '–'}` "
            f"| {f.flipped!r} | {MARKS[f.verdict]}: {f.why} |"
        )
    return lines


def residual_section(contract: dict[str, Any], matrix: dict[str, Any] | None) -> list[str]:
    """Per library, what its hardened variants still fail: posture cases, then the matrix's security reading."""
    variants, cells = contract["variants"], (matrix or {}).get("variants", {})
    hardened = [name for name in variants if cells.get(name, {}).get("hardens") or variants[name].get("hardens")]
    if not hardened:
        return ["No hardened variant in this run."]
    lines = [
        "What no setting fixed: each hardened variant's failing posture cases and unsafe matrix readings, with the",
        "reason its manifest gives. This is what an architect choosing the library must build or accept.",
        "",
    ]
    for name in hardened:
        rows = [
            f"| `{case_id}` | {CASES[case_id].title if case_id in CASES else case_id} | {entry.get('reason') or '–'} |"
            for case_id, entry in variants[name].get("posture", {}).items()
            if entry["finding"] == FAIL
        ]
        rows += [
            f"| `{capability}` | {READINGS[capability].title} (observed {entry['observed']!r}) "
            f"| {entry.get('note') or '–'} |"
            for capability, entry in cells.get(name, {}).get("capabilities", {}).items()
            if capability in READINGS and reading(capability, entry["observed"]) == FAIL
        ]
        lines += [f"**`{name}`**: {len(rows)} residual", "", "| case | what | why no setting fixes it |"]
        lines.append("|---|---|---|")
        lines += [*(rows or ["| – | nothing: every case and reading passes | |"]), ""]
    return lines


def _measured(entry: dict[str, Any], scenario: str) -> dict[str, Any] | None:
    result = entry.get("scenarios", {}).get(scenario)
    return result if result and result.get("status") == "measured" else None


def _rps_change(default: dict[str, Any], hardened: dict[str, Any]) -> str:
    """The change of the median, and whether the runs' ranges even separate (else it is inconclusive)."""
    change = hardened["rps"] / default["rps"] - 1 if default["rps"] else 0.0
    if min(len(default.get("runs", [])), len(hardened.get("runs", []))) < 3:
        return f"{change:+.0%} (inconclusive: fewer than 3 runs a side, no spread to judge)"
    low_d, high_d = _range(default)
    low_h, high_h = _range(hardened)
    decided = high_h < low_d or low_h > high_d
    return f"{change:+.0%}" + ("" if decided else " (inconclusive: run ranges overlap)")


def _range(result: dict[str, Any]) -> tuple[float, float]:
    rates = [run["rps"] for run in result.get("runs", [])] or [result["rps"]]
    return min(rates), max(rates)


def cost_section(summary: dict[str, Any] | None) -> list[str]:
    """Default vs hardened: requests per second per scenario, and SQL statements per operation (counted)."""
    variants = (summary or {}).get("variants", {})
    pairs = [(entry["hardens"], name) for name, entry in variants.items() if entry.get("hardens") in variants]
    if not pairs:
        return ["Not measured: run the benchmarks with a default variant and its hardened mode together."]
    lines = [
        "Requests per second (median over runs) of each default variant and its hardened mode, measured in one run",
        "on the same stack; a change whose runs overlap is inconclusive. SQL statements are counted on the test",
        f"profile, one request each (deterministic). A move above {COST_THRESHOLD:.0%} names its cause from the",
        "library's source (the hardened manifest's `[cost]` table), or says that none is named yet.",
        "",
        "| pair | scenario | default rps | hardened rps | change | cause |",
        "|---|---|---|---|---|---|",
    ]
    for default, hardened in pairs:
        causes = variants[hardened].get("cost_causes", {})
        for scenario in summary["scenarios"] if summary else ():
            d, h = _measured(variants[default], scenario), _measured(variants[hardened], scenario)
            if not d or not h:
                rates = " | ".join(f"{r['rps']:.1f}" if r else "–" for r in (d, h))
                lines.append(f"| `{hardened}` | {scenario} | {rates} | not measured | |")
                continue
            change = h["rps"] / d["rps"] - 1 if d["rps"] else 0.0
            cause = causes.get(scenario, "**cause not named**" if abs(change) > COST_THRESHOLD else "")
            lines.append(
                f"| `{hardened}` | {scenario} | {d['rps']:.1f} | {h['rps']:.1f} | {_rps_change(d, h)} | {cause} |"
            )
    lines += ["", "| pair | operation | default statements | hardened statements |", "|---|---|---|---|"]
    for default, hardened in pairs:
        d_counts, h_counts = variants[default].get("queries", {}), variants[hardened].get("queries", {})
        for operation in d_counts:
            d, h = d_counts[operation], h_counts.get(operation, {})
            lines.append(f"| `{hardened}` | {operation} | {d.get('total', '–')} | {h.get('total', '–')} |")
    return lines


def _code_lines(path: Path) -> int:
    """Non-blank, non-comment lines of a Python file (docstrings included)."""
    return sum(1 for line in path.read_text().splitlines() if line.strip() and not line.strip().startswith("#"))


def glue_lines(backends_dir: Path = BACKENDS_DIR) -> dict[str, int]:
    """Hand-written code per backend outside settings and URLs: non-blank, non-comment Python lines."""
    counts = {}
    for folder in sorted(p for p in backends_dir.iterdir() if (p / "manifest.toml").exists()):
        counts[folder.name] = sum(
            _code_lines(path)
            for path in folder.rglob("*.py")
            if not path.name.startswith("settings")
            and path.name not in ("urls.py", "__init__.py")
            and "migrations" not in path.parts
        )
    # What every hardened mode shares (Cache-Control: no-store), counted once under its own name.
    shared = backends_dir / "common" / "hardening.py"
    if shared.exists():
        counts["common (hardened modes)"] = _code_lines(shared)
    return counts
