"""The report says no more than the records: a skip is a skip, a cell carries its own mode's note, nothing twice.

Rendered by the report package (`report/`) from small hand-made records in the shape the recorder writes (no
server): each test names a way the published report once said more than the evidence supported.
"""

from __future__ import annotations

import re
from typing import Any

from harness.cases.matrix import READINGS
from harness.posture import CASES
from report.data import Data
from report.export import registry
from report.render import COMPARISON
from report.render import render as render_all


def render(contract: dict[str, Any], matrix: dict[str, Any] | None = None) -> str:
    """The comparison the report package renders from these records alone (registry from the registries now)."""
    return render_all(Data(registry(contract), contract, matrix))[COMPARISON].decode()


HEALTH = {"versions": {"django": "5.2"}, "python": "3.11", "hasher": {"algorithm": "md5"}, "database": {}}


def _test(outcome: str, area: str, message: str = "") -> dict[str, Any]:
    return {"nodeid": "n", "operation": None, "area": area, "outcome": outcome, "phase": "call", "message": message}


def _contract(tests: dict[str, dict[str, Any]], posture: dict[str, Any] | None = None) -> dict[str, Any]:
    head = {
        "schema": "authcmp.contract/1", "generated": "2026-11-29T00:00:00+00:00", "git_commit": "abc",
        "harness_python": "3.11", "machine": {"cpu_count": 2, "cpu_model": "cpu", "system": "Linux"},
        "overrides": [], "database": "sqlite", "profile": "test", "base_url": None,
    }  # fmt: skip
    variant = {"library": "lib", "manifest": "backends/x/manifest.toml", "health": HEALTH, "tests": tests}
    return {"header": head, "variants": {"x-token": {**variant, "posture": posture or {}}}}


def _row(report: str, label: str) -> str:
    return next(line for line in report.splitlines() if line.startswith(f"| {label} |"))


def test_a_skip_is_shown_as_a_skip_never_as_a_failure() -> None:
    tests = {
        "a": _test("passed", "robustness"),
        "b": _test("skipped", "robustness", "needs PostgreSQL (shared_tests/test_robustness.py:130)"),
    }
    report = render(_contract(tests))
    assert _row(report, "robustness") == "| robustness | ✅ 1/1, 1 skipped |"
    assert "**skipped** `b`: needs PostgreSQL (shared_tests/test_robustness.py:130)" in report


def test_cases_without_an_operation_are_counted_in_their_area() -> None:
    tests = {"c": _test("passed", "capability"), "p": _test("failed", "posture", "boom")}
    report = render(_contract(tests))
    assert _row(report, "capability") == "| capability | ✅ 1/1 |"
    assert _row(report, "posture") == "| posture | ❌ 0/1 |"
    assert "| other |" not in report


def test_no_absolute_path_or_raw_tuple_reaches_the_report() -> None:
    tests = {"b": _test("skipped", "robustness", "needs PostgreSQL (shared_tests/test_robustness.py:130)")}
    report = render(_contract(tests))
    assert not re.search(r"\('/|/(work|home|tmp|root)/", report)


def test_matrix_readings_are_not_counted_as_posture_cases() -> None:
    assert not set(READINGS) & set(CASES), "a capability reading must not be a posture case too"
    case = next(iter(CASES))
    posture = {case: {"id": case, "finding": "pass", "expected": "pass", "reason": "", "evidence": "", "test": "t"}}
    report = render(_contract({}, posture))
    assert _row(report, "**total**").endswith(f"| 1 pass, {len(CASES) - 1} not run |")


def test_a_cell_shows_the_note_of_its_own_mode_only() -> None:
    capabilities = {
        "credential_expiry_enforced": {
            "declared": True, "observed": True, "test": "shared_tests/test_cap_tokens.py::t", "setting": None,
            "note": "the access token's exp claim", "evidence": "",
        }
    }  # fmt: skip
    matrix = {"header": {}, "variants": {"x-jwt": {**HEALTH, "capabilities": capabilities}}}
    report = render(_contract({}), matrix=matrix)
    assert "- `credential_expiry_enforced` on `x-jwt`: the access token's exp claim" in report
    assert "never expire" not in report
