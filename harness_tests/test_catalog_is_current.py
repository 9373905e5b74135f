"""harness_tests/README.md lists every capability and posture case with what shows it can fail, and is current."""

from __future__ import annotations

from harness.posture import CASES
from harness_tests.catalog import OUTSIDE_SUITE, README, render, suite_test_names


def test_readme_table_is_the_catalog() -> None:
    assert README.read_text() == render(), "run: python -m harness_tests.catalog > harness_tests/README.md"


def test_every_posture_case_is_judged_by_a_suite_test_or_named_outside_it() -> None:
    """The sweep shows a case only if a shared_tests function `test_<case>` judges it."""
    names = suite_test_names()
    missing = sorted(case for case in CASES if f"test_{case}" not in names and case not in OUTSIDE_SUITE)
    assert missing == []
