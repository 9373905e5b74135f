"""Shaping the security records: the posture battery, the matrix's security reading, fuzzing and robustness.

Rendered from the contract record (posture findings, robustness cases), the capability matrix (its security
reading) and the fuzz records.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from report.data import Data
from report.matrix import FAIL, NOT_APPLICABLE, PASS, reading
from report.tables import MAIN, Page, Table, code, columns, first_line

INCONCLUSIVE = "inconclusive"
# "not reached": the case's test is a declared deviation (xfail) that stops before the posture is judged, e.g. a
# password reset that never completes on the 2021 tutorial's dj-rest-auth 2.1.7, so its reset cases cannot run.
UNREACHED = "not reached"
KINDS = (PASS, FAIL, NOT_APPLICABLE, INCONCLUSIVE, UNREACHED, "not run")
TIMING_CASE = "login_timing_does_not_reveal_users"
ROBUSTNESS = (
    "concurrent_registration_creates_one_account",
    "concurrent_logins_issue_credentials_as_declared",
    "soak_has_no_server_errors_and_loses_no_account",
    "database_connections_killed_mid_load_recover",
)


def posture_cell(entry: dict[str, Any] | None, page: Page = MAIN) -> str:
    if not entry:
        return "not run"
    finding = entry["finding"]
    if finding == INCONCLUSIVE:  # a statistic too wide to decide: neither a pass nor a failure
        text = "❔ inconclusive"
    elif finding != entry.get("expected", PASS):  # n/a is pinned too: one that stopped applying is a mismatch
        text = f"❌ {finding} (expected {entry.get('expected')})"
    elif finding == NOT_APPLICABLE:
        text = "n/a"
    else:
        text = "✅ pass" if finding == PASS else "⚠️ fail (declared)"
    return page.test(entry.get("test", ""), text)


def posture_table(data: Data, names: list[str], page: Page = MAIN) -> Table | None:
    if not any(data.posture(name) for name in names):
        return None
    table = Table(columns("case", "reference", names=names))
    tally: dict[str, Counter[str]] = {name: Counter() for name in names}
    for case in data.registry["posture_cases"]:
        cells = []
        for name in names:
            entry = data.posture(name).get(case["id"])
            unreached = None if entry else _unreached(data, name, case["id"])
            tally[name][entry["finding"] if entry else UNREACHED if unreached else "not run"] += 1
            cells.append(page.test(unreached["nodeid"], "⚠️ not reached (declared deviation)") if unreached
                         else posture_cell(entry, page))  # fmt: skip
        table.add(f"`{case['id']}`: {case['title']}", case["reference"], *cells)
    table.add("**total**", "", *(", ".join(f"{c[k]} {k}" for k in KINDS if c[k]) for c in tally.values()))
    return table


def _unreached(data: Data, name: str, case_id: str) -> dict[str, Any] | None:
    """The variant's test of the case when it is a declared deviation (xfailed) and so never judged the posture."""
    tests = data.contract["variants"].get(name, {}).get("tests", {})
    found = [test for key, test in tests.items() if key.split("::")[-1].split("[")[0] == f"test_{case_id}"]
    return found[0] if found and all(test["outcome"] == "xfailed" for test in found) else None


def posture_counts(data: Data, name: str) -> Counter[str]:
    return Counter(entry["finding"] for entry in data.posture(name).values())


def declared(data: Data, names: list[str]) -> list[str]:
    return [
        f"`{name}` `{case_id}`: {entry['reason']} — observed: {entry['evidence'][:200]}"
        for name in names
        for case_id, entry in data.posture(name).items()
        if entry["finding"] == FAIL and entry.get("reason")
    ]


def timing(data: Data, names: list[str]) -> list[str]:
    return [f"`{name}`: {entry['evidence']}" for name in names if (entry := data.posture(name).get(TIMING_CASE))]


def readings_table(data: Data, names: list[str], page: Page = MAIN) -> Table:
    """The matrix's security-relevant cells read against their reference; not cases, so not in the totals."""
    table = Table(columns("capability", "reference", names=names))
    for capability, spec in data.registry["readings"].items():
        cells = []
        for name in names:
            observed = data.cell(name, capability)
            unreached = None if observed else _unreached(data, name, capability)
            if unreached:  # its test is a declared deviation that stops before the cell is observed
                cells.append(page.test(unreached["nodeid"], "⚠️ not reached (declared deviation)"))
                continue
            finding = reading(data, capability, observed["observed"]) if observed else "not run"
            mark = {PASS: "✅", FAIL: "⚠️", NOT_APPLICABLE: "n/a"}.get(finding, finding)
            cells.append(page.test(observed["test"], mark) if observed else mark)
        table.add(f"`{capability}`: {spec['title']}", spec["reference"], *cells)
    return table


def robustness(data: Data, names: list[str]) -> list[dict[str, Any]]:
    """The figures behind the robustness cases, as measured, per variant."""
    titles = {case["id"]: case["title"] for case in data.registry["posture_cases"]}
    out = []
    for case_id in ROBUSTNESS:
        lines = []
        for name in names:
            found = data.posture(name).get(case_id)
            lines.append(f"`{name}`: " + (f"{found['finding']}: {found['evidence'][:400]}" if found
                                          else f"not run{_skipped(data, name, case_id)}"))  # fmt: skip
        out.append({"id": case_id, "title": titles.get(case_id, case_id), "lines": lines})
    return out


def _skipped(data: Data, name: str, case_id: str) -> str:
    """Why the case's test was skipped (e.g. the connection-kill fault needs PostgreSQL), as " (skipped: ...)"."""
    tests = data.contract["variants"].get(name, {}).get("tests", {})
    found = next(
        (t for key, t in tests.items() if key.endswith(f"::test_{case_id}") and t["outcome"] == "skipped"), None
    )
    # The recorder appends where the skip was raised, " (path:line)": the reason is what comes before it.
    return f" (skipped: {found['message'].rsplit(' (', 1)[0]})" if found and found.get("message") else ""


def fuzz(data: Data, names: list[str]) -> tuple[Table, list[str]] | None:
    records = {name: record for name in names if (record := data.fuzz_record(name))}
    if not records:
        return None
    table = Table(["variant", "operations", "inputs", "5xx", "finding", "max examples", "seconds"])
    for name, record in records.items():
        if "error" in record:  # the run could not start or finish: say so rather than show no figure
            table.add(code(name), "–", "–", "–", f"run failed: {first_line(record['error'], 200)}", "–", "–")
            continue
        operations = record["operations"]
        inputs = sum(op["inputs"] for op in operations.values())
        errors = sum(op["server_errors"] for op in operations.values())
        finding = record["posture"]["finding"] + (" (declared)" if record["posture"].get("reason") else "")
        examples = record["header"].get("max_examples", "?")
        table.add(code(name), len(operations), f"{inputs:,}", errors, finding, examples, record["elapsed_seconds"])
    notes = [f"`{n}`: {r['posture']['reason']}" for n, r in records.items() if r.get("posture", {}).get("reason")]
    notes += [
        f"`{n}`: not fuzzed, as its schema does not describe them: {', '.join(r['not_in_schema'])}"
        for n, r in records.items()
        if r.get("not_in_schema")
    ]
    return table, notes
