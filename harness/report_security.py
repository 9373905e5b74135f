"""The report's security sections: the posture battery, the fuzzing table and the robustness figures.

Rendered from the contract record (posture findings, robustness cases), the capability matrix (its
security reading) and the fuzz records; `harness.report` puts them in the comparison. It only reads.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from harness.cases.matrix import READINGS, reading
from harness.manifest import display_path
from harness.posture import CASES, FAIL, INCONCLUSIVE, NOT_APPLICABLE, PASS
from harness.results import PATHS, FuzzRecord, Schema, read_record


def variant_columns(*columns: str, names: list[str]) -> list[str]:
    """A table's header and rule: the given first columns, then one column per variant."""
    head = " | ".join([*columns, *(f"`{n}`" for n in names)])
    return [f"| {head} |", "|" + "---|" * (len(columns) + len(names))]


def _posture_cell(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "not run"
    finding, path = entry["finding"], entry.get("test", "").split("::")[0]
    if finding == INCONCLUSIVE:  # a statistic too wide to decide: neither a pass nor a failure
        text = "❔ inconclusive"
    elif finding != entry.get("expected", PASS):  # n/a is pinned too: one that stopped applying is a mismatch
        text = f"❌ {finding} (expected {entry.get('expected')})"
    elif finding == NOT_APPLICABLE:
        text = "n/a"
    else:
        text = "✅ pass" if finding == PASS else "⚠️ fail (declared)"
    return f"[{text}](../{path})" if path else text


def posture_section(variants: dict[str, Any], matrix: dict[str, Any] | None) -> list[str]:
    names = list(variants)
    if not any(entry.get("posture") for entry in variants.values()):
        return ["Not run: the battery runs with the contract suite (`-m posture` alone)."]
    rows = [
        "Each case is a finding per variant: ✅ pass; ⚠️ fail that the variant's manifest declares with a reason",
        "(listed below); ❌ a finding that differs from what the manifest expects; n/a where the case cannot apply;",
        "❔ a timing statistic whose confidence interval was too wide to decide (neither a pass nor a failure).",
        "",
        *variant_columns("case", "reference", names=names),
    ]
    counts: dict[str, Counter[str]] = {name: Counter() for name in names}
    for case_id, case in CASES.items():
        cells = []
        for name in names:
            entry = variants[name].get("posture", {}).get(case_id)
            counts[name][entry["finding"] if entry else "not run"] += 1
            cells.append(_posture_cell(entry))
        rows.append(f"| `{case_id}`: {case.title} | {case.reference} | " + " | ".join(cells) + " |")
    kinds = (PASS, FAIL, NOT_APPLICABLE, INCONCLUSIVE, "not run")
    totals = " | ".join(", ".join(f"{c[k]} {k}" for k in kinds if c[k]) for c in counts.values())
    rows.append(f"| **total** | | {totals} |")
    declared = [
        f"- `{name}` `{case_id}`: {entry['reason']} — observed: {entry['evidence'][:200]}"
        for name in names
        for case_id, entry in variants[name].get("posture", {}).items()
        if entry["finding"] == FAIL and entry.get("reason")
    ]
    timing = [
        f"- `{name}`: {entry['evidence']}"
        for name in names
        if (entry := variants[name].get("posture", {}).get("login_timing_does_not_reveal_users"))
    ]
    return [
        *rows, "", *matrix_readings(names, matrix), "",
        "Login timing with the production hasher (unknown user / wrong password):", "", *timing,
        "", "Declared failures, with what was observed:", "", *declared,
    ]  # fmt: skip


def matrix_readings(names: list[str], matrix: dict[str, Any] | None) -> list[str]:
    """The matrix's security-relevant cells read against their reference; not cases, so not in the totals."""
    rows = [
        "Security reading of the capability matrix (each cell is the capability test's observation, counted once,",
        "there; ✅ the safe value, ⚠️ not):",
        "",
        *variant_columns("capability", "reference", names=names),
    ]
    variants = (matrix or {}).get("variants", {})
    for capability, spec in READINGS.items():
        cells = []
        for name in names:
            observed = variants.get(name, {}).get("capabilities", {}).get(capability)
            finding = reading(capability, observed["observed"]) if observed else "not run"
            mark = {PASS: "✅", FAIL: "⚠️", NOT_APPLICABLE: "n/a"}.get(finding, finding)
            cells.append(f"[{mark}](../{observed['test'].split('::')[0]})" if observed else mark)
        rows.append(f"| `{capability}`: {spec.title} | {spec.reference} | " + " | ".join(cells) + " |")
    return rows


ROBUSTNESS = (
    "concurrent_registration_creates_one_account",
    "concurrent_logins_issue_credentials_as_declared",
    "soak_has_no_server_errors_and_loses_no_account",
    "database_connections_killed_mid_load_recover",
)


def robustness_section(contract: dict[str, Any]) -> list[str]:
    """The figures behind the robustness cases, as measured, per variant."""
    head = contract["header"]
    lines = [
        f"Measured on `{head['database']}` (the fault case needs PostgreSQL). "
        f"Raw records: `{display_path(PATHS.contract)}`.",
        "",
    ]
    for case_id in ROBUSTNESS:
        lines += [f"**{CASES[case_id].title}** (`{case_id}`)", ""]
        for name, entry in contract["variants"].items():
            found = entry.get("posture", {}).get(case_id)
            lines.append(f"- `{name}`: " + (f"{found['finding']}: {found['evidence'][:400]}" if found else "not run"))
        lines.append("")
    return lines


def load_fuzz(fuzz_dir: Path | None) -> dict[str, FuzzRecord]:
    """Fuzz records by variant (`python -m harness.fuzz` writes one JSON file per variant)."""
    files = sorted(fuzz_dir.glob("*.json")) if fuzz_dir and fuzz_dir.is_dir() else []
    return {(data := read_record(path, Schema.FUZZ))["variant"]: data for path in files}


def fuzz_section(fuzz: dict[str, FuzzRecord]) -> list[str]:
    if not fuzz:
        return ["Not run: `python -m harness.fuzz` (quick in `nox -s tests`, full in `nox -s security`).", ""]
    rows = [
        "| variant | operations | inputs | 5xx | finding | max examples | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, data in fuzz.items():
        if "error" in data:  # the run could not start or finish: say so rather than show no figure
            rows.append(f"| `{name}` | – | – | – | run failed: {data['error'].splitlines()[0][:200]} | – | – |")
            continue
        operations = dict(data["operations"])
        inputs = sum(op["inputs"] for op in operations.values())
        errors = sum(op["server_errors"] for op in operations.values())
        finding = data["posture"]["finding"] + (" (declared)" if data["posture"].get("reason") else "")
        examples = data["header"].get("max_examples", "?")
        seconds = data["elapsed_seconds"]
        rows.append(f"| `{name}` | {len(operations)} | {inputs:,} | {errors} | {finding} | {examples} | {seconds} |")
    notes = [f"- `{n}`: {d['posture']['reason']}" for n, d in fuzz.items() if d.get("posture", {}).get("reason")]
    notes += [
        f"- `{n}`: not fuzzed, as its schema does not describe them: {', '.join(d['not_in_schema'])}"
        for n, d in fuzz.items()
        if d.get("not_in_schema")
    ]
    return [
        "schemathesis against every OpenAPI document a variant serves (drf-spectacular's, and allauth headless's",
        "own specification), `not_a_server_error` check; inputs count every generated request. A 5xx fails the run",
        "unless the manifest pins it to its endpoint (`[fuzz.server_errors]`, listed below); such a declared 5xx is",
        "replayed by the suite, so `fail (declared)` stands whether or not this run's inputs met it.",
        f"Raw records: `{display_path(PATHS.fuzz)}/<variant>.json`.",
        "",
        *rows,
        "",
        *notes,
        "",
    ]
