"""Amending a run (`benchmarks/amend.py`) and the ratios, on hand-made summaries.

A figure measured again replaces the old one, the old one is kept with the reason, and the ratio is recomputed
against the new run's own hash timing. A figure whose requests failed (a 429 answered fast) counts only its
answered requests in its ratio. How the report shows both is tested in report_tests/test_bench_section.py.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from benchmarks.amend import amend
from benchmarks.run import add_ratios


def result(rps: float, requests: int, failures: int = 0) -> dict[str, Any]:
    runs = [{"rps": rps, "failure_reasons": [["POST login", "login: expected (200,), got 429", failures]]}]
    return {"status": "measured", "rps": rps, "requests": requests, "failures": failures, "runs": runs}


def summary(run_id: str, login: dict[str, Any], per_second: float) -> dict[str, Any]:
    header = {"run_id": run_id, "generated": "2026-11-29T10:00:00Z", "git_commit": "abc1234",
              "command": ["python", "-m", "benchmarks.run"], "ip_rate_limits": "lifted"}  # fmt: skip
    entry = {"status": "measured", "hash_limit": {"per_second": per_second},
             "scenarios": {"login": login, "me": result(90.0, 900), "baseline_drf": result(100.0, 1000)}}  # fmt: skip
    return {"header": header, "hash_limit": {"per_second": per_second}, "variants": {"v-token": entry}}


def test_amended_figure_replaces_the_old_one_and_keeps_it_with_the_reason() -> None:
    base = summary("r1", result(700.0, 7000, failures=6990), 3.0)
    patch = summary("r2", result(2.9, 90), 3.2)
    patch["variants"]["v-token"]["scenarios"] = {"login": patch["variants"]["v-token"]["scenarios"]["login"]}
    add_ratios(base["variants"]["v-token"], base["hash_limit"])
    amended = amend(copy.deepcopy(base), patch, "429s from one IP")
    entry = amended["variants"]["v-token"]
    assert entry["scenarios"]["login"]["rps"] == 2.9 and entry["scenarios"]["login"]["run_id"] == "r2"
    assert entry["scenarios"]["login"]["ratio"]["value"] == pytest.approx(2.9 / 3.2)  # the new run's timing
    assert entry["superseded"]["login"]["rps"] == 700.0 and entry["superseded"]["login"]["reason"] == "429s from one IP"
    assert entry["scenarios"]["me"]["rps"] == 90.0, "figures the later run did not measure stay"
    assert amended["header"]["amendments"][0]["replaced"] == {"v-token": ["login"]}


def test_amending_with_a_variant_the_run_does_not_have_is_refused() -> None:
    patch = summary("r2", result(2.9, 90), 3.2)
    patch["variants"] = {"other-token": patch["variants"]["v-token"]}
    with pytest.raises(ValueError, match="other-token is not in the run"):
        amend(summary("r1", result(3.0, 90), 3.0), patch, "why")


def test_failed_requests_count_in_no_ratio() -> None:
    fast_refusals = summary("r1", result(700.0, 7000, failures=6990), 3.0)
    add_ratios(fast_refusals["variants"]["v-token"], fast_refusals["hash_limit"])
    ratio = fast_refusals["variants"]["v-token"]["scenarios"]["login"]["ratio"]["value"]
    assert ratio == pytest.approx(1.0 / 3.0)  # 10 answered logins in 10 s, not 700 refusals a second
