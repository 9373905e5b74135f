"""Fixtures of the report package's tests: the published data, and hand-made records in the recorder's shape."""

from __future__ import annotations

from typing import Any

import pytest

from report import DATA_DIR
from report.data import Data, load


@pytest.fixture(scope="session")
def published() -> Data:
    """The records the committed report is rendered from (report/data)."""
    return load(DATA_DIR)


def cell(declared: Any, observed: Any, **extra: Any) -> dict[str, Any]:
    """A capability cell as the recorder writes it."""
    base = {"setting": None, "flips_in": None, "finding": None, "unverified": None, "note": None, "evidence": ""}
    return {"declared": declared, "observed": observed, "test": "shared_tests/test_cap_x.py::t", **base, **extra}


def hand_made(cells: dict[str, dict[str, Any]], posture: dict[str, dict[str, str]] | None = None) -> Data:
    """Data of one backend `x`: variant -> {capability: cell}; a name ending in `_hardened` hardens `x-token`,
    one ending in `_probe` observes it. `posture`: variant -> {case: finding}."""
    capabilities = sorted({c for entry in cells.values() for c in entry})

    def relation(name: str, suffix: str) -> str | None:
        return "x-token" if name.endswith(suffix) else None

    variants = {
        name: {"backend": name.split("-")[0], "library": "lib", "hardens": relation(name, "_hardened"),
               "observes": relation(name, "_probe")}
        for name in cells
    }  # fmt: skip
    registry = {
        "capabilities": [{"id": c, "area": "a", "meaning": c} for c in capabilities],
        "posture_cases": [{"id": "case_a", "title": "case a", "reference": "ref"}],
        "readings": {}, "variants": variants, "glue": {}, "scenarios": {}, "unstable": 0.1,
    }  # fmt: skip
    contract = {
        "header": {"git_commit": "abc", "database": "sqlite", "generated": "2026-11-30T00:00:00+00:00"},
        "variants": {
            name: {**variants[name], "tests": {}, "posture": {
                case: {"id": case, "finding": finding, "expected": finding, "reason": "", "evidence": "", "test": "t"}
                for case, finding in (posture or {}).get(name, {}).items()}}
            for name in cells
        },
    }  # fmt: skip
    matrix = {"header": {}, "variants": {name: {**variants[name], "capabilities": c} for name, c in cells.items()}}
    return Data(registry=registry, contract=contract, matrix=matrix)
