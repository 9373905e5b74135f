"""The runner's smoke cases read from a suite record (`--smoke-record`, as compare passes the record its suite has
just written): a variant is measured only if every smoke case is in the record and passed there.
`pytest benchmarks/test_smoke_record.py` (no server; under a second).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import prepare
from harness.results import Schema, header, write_record

CASES = prepare.SMOKE.split(" or ")


def record(tmp_path: Path, outcomes: dict[str, str]) -> Path:
    tests = {f"shared_tests/test_x.py::{name}": {"outcome": outcome} for name, outcome in outcomes.items()}
    head = {**header(Schema.CONTRACT), "database": "sqlite", "profile": "test", "base_url": None}
    return write_record(tmp_path / "contract.json", {"header": head, "variants": {"a-token": {"tests": tests}}})


def test_every_smoke_case_passed_in_the_record_lets_the_variant_be_measured(tmp_path: Path) -> None:
    found = prepare.smoke_in_record("a-token", record(tmp_path, dict.fromkeys(CASES, "passed")))
    assert found["passed"] and found["summary"].startswith("3 passed in ")


@pytest.mark.parametrize(("outcomes", "reason"), [
    ({**dict.fromkeys(CASES, "passed"), CASES[1]: "failed"}, f"{CASES[1]} failed"),
    (dict.fromkeys(CASES[:2], "passed"), f"{CASES[2]} not in"),
    ({}, f"{CASES[0]} not in"),  # a variant the record never ran
])  # fmt: skip
def test_a_smoke_case_failed_or_missing_in_the_record_refuses_the_variant(
    tmp_path: Path, outcomes: dict[str, str], reason: str
) -> None:
    found = prepare.smoke_in_record("a-token", record(tmp_path, outcomes))
    assert not found["passed"] and reason in found["summary"], found


def test_a_missing_or_foreign_smoke_record_is_refused_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.config import parse_args

    foreign = write_record(tmp_path / "bench.json", {"header": header(Schema.BENCH)})
    for path, reason in ((tmp_path / "none.json", "No such file"), (foreign, "expected 'authcmp.contract/1'")):
        with pytest.raises(SystemExit) as stopped:
            parse_args(["--variant", "knox-token", "--smoke-record", str(path)])
        assert stopped.value.code == 2 and reason in capsys.readouterr().err
