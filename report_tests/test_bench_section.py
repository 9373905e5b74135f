"""The benchmark, amendment and profile parts of the report, on hand-made summaries (no benchmark runs here).

An amended figure is shown with the run that replaced it and the superseded one; a figure whose requests failed
(a 429 answered fast) never meets a target; the profile names the variants whose `me` missed its target.
"""

from __future__ import annotations

from typing import Any

from report import bench, profile

SCENARIOS = {"login": {"compare_to": "hash_limit", "target": 0.9}, "me": {"compare_to": "baseline_drf", "target": 0.85}}


def result(rps: float, requests: int, failures: int = 0, ratio: float | None = None) -> dict[str, Any]:
    runs = [{"rps": rps, "failure_reasons": [["POST login", "login: expected (200,), got 429", failures]]}]
    return {"status": "measured", "rps": rps, "requests": requests, "failures": failures, "runs": runs,
            "ratio": {"value": ratio, "to": "hash_limit"}}  # fmt: skip


def summary(login: dict[str, Any], me: dict[str, Any]) -> dict[str, Any]:
    entry = {"status": "measured", "scenarios": {"login": login, "me": me}}
    return {"header": {"load": {"repeat": 1}}, "variants": {"v-token": entry}, "scenarios": SCENARIOS}


def test_an_amendment_shows_the_run_that_replaced_a_figure_and_the_figure_it_replaced() -> None:
    amended = summary(result(2.9, 90, ratio=0.9), result(90.0, 900, ratio=0.9))
    note = {"run_id": "r2", "generated": "2026-11-29T10:00:00Z", "git_commit": "abc1234", "reason": "429s from one IP",
            "command": ["python", "-m", "benchmarks.run"], "replaced": {"v-token": ["login"]}}  # fmt: skip
    amended["header"]["amendments"] = [note]
    amended["variants"]["v-token"]["superseded"] = {"login": result(700.0, 7000, failures=6990)}
    text = "\n".join(bench.amendments(amended))
    assert "**Amended** by run `r2`" in text and "`v-token` login. Why: 429s from one IP" in text
    assert "superseded: `v-token` login, 700.0 req/s, 6,990 of 7,000 requests failed" in text


def test_failed_requests_never_meet_a_target() -> None:
    fast_refusals = summary(result(700.0, 7000, failures=6990, ratio=1 / 3), result(90.0, 900, ratio=0.9))
    rows = bench.targets(fast_refusals, SCENARIOS).rows
    assert rows[0][1] == "❌ 6,990 of 7,000 failed" and rows[1][1] == "✅ 0.90"


def test_the_profile_names_variants_below_the_target_of_me() -> None:
    registry = {"scenarios": SCENARIOS}
    bench_summary = {"variants": {"a-token": {"scenarios": {"me": {"ratio": {"value": 0.61}}}}}}
    said = profile.below_target({"variants": {}}, bench_summary, registry)
    assert said == "Under load, `me` kept less than 0.85× of `baseline_drf` for `a-token` (0.61)."
    assert profile.below_target({"variants": {}}, None, registry) == ""


def test_a_hardening_change_no_larger_than_the_pairs_baseline_drift_is_inconclusive() -> None:
    from report.scale import rps_change

    default = {"rps": 100.0, "runs": [{"rps": r} for r in (98.0, 100.0, 102.0)]}
    hardened = {"rps": 70.0, "runs": [{"rps": r} for r in (69.0, 70.0, 71.0)]}
    assert rps_change(default, hardened, drift=0.10) == "-30%"
    assert rps_change(default, hardened, drift=0.35) == "-30% (inconclusive: within the pair's baseline drift of +35%)"
    overlapping = {"rps": 99.0, "runs": [{"rps": r} for r in (97.0, 99.0, 101.0)]}
    assert rps_change(default, overlapping).endswith("(inconclusive: run ranges overlap)")
