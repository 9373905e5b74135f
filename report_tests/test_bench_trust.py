"""The benchmark's trust marks, open-loop steps and cost curves, on hand-made summaries in the runner's shape.

A generator-bound figure is marked and listed as unusable for ratios, a figure whose spread stayed above the bound
is listed with its runs, a short open-loop step says so, the curves show each point and the fitted growth, and a
generator-bound point is left out of the chart's line (it is still in the table, marked).
"""

from __future__ import annotations

from typing import Any

from report import chart_lines, scale, trust


def figure(rps: float, busiest: float, bound: bool, exceeded: bool = False) -> dict[str, Any]:
    cpu = {
        "generator": {"cores": busiest, "busiest_process": busiest},
        "server": {"cores": 0.95, "busiest_process": 0.5},
    }
    runs = [{"rps": rps * factor} for factor in (0.9, 1.0, 1.1)]
    earlier = [{"rps": rps * 1.3}] if exceeded else []
    return {"status": "measured", "rps": rps, "p50": 10.0, "p95": 20.0, "p99": 40.0, "cpu": cpu, "runs": runs,
            "generator_bound": bound, "spread_exceeded": exceeded, "requests": 1000, "failures": 0,
            "earlier_runs": earlier, "spread_max_deviation_pct": 10.0 if exceeded else 1.0}  # fmt: skip


def step(load: float, rps: float, short: bool = False, bound: bool = False) -> dict[str, Any]:
    return {"load": load, "target_rps": 400 * load, "status": "measured", "rps": rps, "short": short, "p50": 5.0,
            "p95": 9.0, "p99": 30.0, "failures": 0, "generator_bound": bound}  # fmt: skip


def point(rps: float, bound: bool = False, held: int | None = None) -> dict[str, Any]:
    before = {"credentials_before": {"knox.AuthToken": {"live": 20 * held, "account": held}}} if held else {}
    return {"scenarios": {"me": {**figure(rps, 0.3, bound), "p50": 3.0, **before}},
            "credentials_after": {"knox.AuthToken": {"live": 20, "account": 10}}}  # fmt: skip


def summary() -> dict[str, Any]:
    me = figure(400.0, 0.4, False)
    steps = [step(0.25, 100.0), step(0.9, 300.0, short=True), step(0.5, 200.0, bound=True)]
    me["open_loop"] = {"capacity_rps": 400.0, "status": "measured", "steps": steps}  # fmt: skip
    variants = {
        "a-token": {"status": "measured", "scenarios": {"me": me, "baseline_drf": figure(500.0, 0.95, True)}},
        "b-jwt": {"status": "measured", "scenarios": {"me": figure(300.0, 0.5, False, exceeded=True)}},
    }
    curves = {"scenarios": ["me"], "accounts": [1000, 10000, 100000], "credentials": [1, 10], "credential_accounts": 20,
              "variants": {"a-token": {
                  "accounts": {"1000": {**point(500.0), "seed": {"cumulative_seconds": 2.0}},
                               "10000": {**point(250.0), "seed": {"cumulative_seconds": 9.0}},
                               "100000": {**point(50.0, bound=True), "seed": {"cumulative_seconds": 70.0}}},
                  "credentials": {"1": point(500.0, held=1), "10": point(100.0, held=10)},
                  "prune": {"flushexpiredtokens": {"seconds": 1.5, "before": {"t": {"live": 9}},
                                                   "after": {"t": {"live": 2}}}},
                  "growth": {"accounts": {"me": {"ms_per_request": {"class": "linear", "loglog_slope": 0.7}}}},
              }}}  # fmt: skip
    header = {"rules": {"generator_busy": 0.7, "spread_bound": 0.05, "max_runs": 6, "open_loop_short": 0.1,
                        "growth_tolerance": 0.1},
              "calibration": {"status": "measured", "scenario": "baseline_plain", "variant": "a-token",
                              "processes": 1, "load_cpus": 1, "generator_max_rps": 2346.0,
                              "tries": [{"rps": 1978.0, "generator_busiest_process": 0.84}]},
              "git_commit": "abc", "load": {"repeat": 3}}  # fmt: skip
    agreement = {"baseline_drf": {"rps_by_variant": {"a-token": 500.0, "b-jwt": 400.0}, "median": 450.0,
                                  "deviation_pct": 11.1, "exceeded": True}}  # fmt: skip
    return {"header": header, "scenarios": {"me": {"open_loop": True}, "baseline_drf": {}}, "variants": variants,
            "curves": curves, "baseline_agreement": agreement}  # fmt: skip


def test_a_generator_bound_figure_is_marked_and_named_unusable_for_ratios() -> None:
    shaped = trust.section(summary())
    rows = {row[0]: row[1:] for row in shaped["headroom"].rows}
    assert rows["baseline_drf"][0].startswith("⛔ Locust 95%") and rows["me"][0] == "Locust 40% · server 0.95"
    assert any("`a-token` baseline_drf: generator-bound" in line for line in shaped["unusable"])
    assert "about **2,346 req/s** at most" in shaped["calibration"]


def test_a_figure_over_the_spread_bound_and_disagreeing_baselines_are_said() -> None:
    shaped = trust.section(summary())
    said = "⚠ `b-jwt` me: after 4 runs (390.0, 270.0, 300.0, 330.0 req/s) the last 3 still lie up to 10.0 %"
    assert any(line.startswith(said) for line in shaped["unusable"])
    assert "they disagree by more than the spread bound" in shaped["baselines"][0]


def test_open_loop_steps_show_latency_at_rate_and_mark_short_steps() -> None:
    table = trust.section(summary())["open_loop"][0]["table"]
    assert table.rows[0][2] == "5 / 9 / 30 ms @ 100"
    assert table.rows[0][4] == "5 / 9 / 30 ms @ 300 ↓ short of 360"
    assert table.rows[0][3].endswith("⛔")
    lines = chart_lines._open_loop_lines(summary(), "me")
    assert [x for x, _, _ in lines["a-token"]] == [100.0, 300.0]  # the generator-bound step is not drawn


def test_cost_curves_show_each_point_the_growth_and_what_pruning_removed() -> None:
    shaped = trust.section(summary())["curves"]
    accounts = shaped["axes"]["accounts"].rows[0]
    assert accounts[2:] == ["2.00 · 3", "4.00 · 3", "20.00 · 3 ⛔", "linear (log-log slope +0.70)"]
    assert "`a-token` `flushexpiredtokens` (1.5 s): t 9 live → t 2 live" in shaped["rows"]
    held = "`a-token`: credentials the block's first account held as each scenario began, point by point: `me` 1 → 10"
    assert held in shaped["rows"]
    assert shaped["seeding"] == ["`a-token`: 100,000 accounts seeded in 70 s"]
    study = summary()["curves"]
    assert chart_lines._curve_lines(study, "accounts", "me")["a-token"] == [(1000.0, 2.0), (10000.0, 4.0)]


def test_a_run_without_open_loop_or_curves_says_so() -> None:
    plain = summary()
    del plain["curves"], plain["variants"]["a-token"]["scenarios"]["me"]["open_loop"]
    shaped = trust.section(plain)
    assert shaped["open_loop"] == [] and shaped["curves"] is None


def test_the_section_renders_and_an_error_stays_inside_its_table_cell() -> None:
    from report.render import environment
    from report.tables import MAIN

    broken = summary()
    steps = broken["variants"]["a-token"]["scenarios"]["me"]["open_loop"]["steps"]
    steps.append({"load": 0.75, "status": "error", "reason": "locust exited 2\n| Type | Name |\nTimeoutExpired: 120 s"})
    text = environment().get_template("bench_trust.md.j2").render(trust=trust.section(broken), source=MAIN.source)
    row = next(line for line in text.splitlines() if line.startswith("| `a-token` | 400 |"))
    assert row.count(" | ") == 5 and "error: TimeoutExpired: 120 s" in row  # one line, no stray pipes
    assert "### Generator headroom" in text and "### Cost curves" in text


def test_studies_measured_in_a_run_of_their_own_are_cited_from_that_record() -> None:
    from report.render import environment
    from report.tables import MAIN

    main = summary()
    del main["curves"]  # the main run measured no curves; its open-loop steps stay its own
    study = summary()
    del study["variants"]["a-token"]["scenarios"]["me"]["open_loop"]
    study["header"].update(generated="2026-11-30T18:00:00+00:00", git_commit="f" * 40, database="postgres://db/test")
    from report.data import Data

    shaped = trust.section(main, Data(registry={}, contract={}, bench=main, study=study).studies)
    assert (shaped["curves_records"], shaped["open_loop_records"]) == (["study"], ["bench"])
    assert shaped["curves"]["axes"]["accounts"].rows[0][2] == "2.00 · 3"
    assert "generated 2026-11-30T18:00:00+00:00 from commit `ffffffffffff`" in shaped["curves_runs"]
    text = environment().get_template("bench_trust.md.j2").render(trust=shaped, source=MAIN.source)
    assert "Record: [`study.json`](data/study.json#/curves). Measured in a run of its own" in text
    assert "Record: [`bench.json`](data/bench.json#/variants) (`open_loop`).\n" in text
    assert trust.section(main)["curves"] is None and trust.section(main)["curves_records"] == ["bench"]


def test_a_cost_that_grows_along_a_curve_is_a_scale_hazard_with_its_measured_ends() -> None:
    hazards = scale.curve_hazards(summary(), "a-token")
    # The 100,000-account point was generator-bound: the span ends at the last point the server set.
    assert hazards == [("`me` grows linear with accounts (log-log slope +0.70: 2.00 ms at 1,000, 4.00 ms at 10,000)",
                        "/curves/variants/a-token/growth/accounts/me")]  # fmt: skip
    assert scale.curve_hazards(summary(), "b-jwt") == [] and scale.curve_hazards(None, "a-token") == []
    two = summary()
    two["curves"]["variants"]["a-token"]["growth"]["accounts"]["me"]["ms_per_request"]["class"] = (
        "grows (two points: logarithmic or linear not told apart)"
    )
    assert scale.curve_hazards(two, "a-token")[0][0].startswith("`me` grows (two points: logarithmic or linear not")
    # 11 % slower at the last end, but its runs (±10 %) overlap the first end's: the runs' spread, not a hazard
    near = summary()
    near["curves"]["variants"]["a-token"]["accounts"]["10000"] = {**point(450.0), "seed": {"cumulative_seconds": 9.0}}
    assert scale.curve_hazards(near, "a-token") == []


def test_a_middle_point_the_ends_left_unmeasured_says_so_and_why() -> None:
    """The credentials axis measures its ends first; a middle point skipped because they agreed reads 'not measured
    (ends agree)', never a blank or a figure, and the section says each variant's screening verdict."""
    from report.render import environment
    from report.tables import MAIN

    data = summary()
    data["curves"]["credentials"] = [1, 10, 1000]
    record = data["curves"]["variants"]["a-token"]
    record["credentials"] = {"1": point(500.0), "10": {"skipped": "not measured: ends within 10%", "scenarios": {}},
                             "1000": point(490.0)}  # fmt: skip
    record["credentials_screen"] = {"agree": True, "reason": "ends within 10%: me +2%"}
    shaped = trust.section(data)
    assert shaped["curves"]["axes"]["credentials"].rows[0][2:5] == ["2.00 · 3", "not measured (ends agree)", "2.04 · 3"]
    assert shaped["curves"]["screens"] == ["`a-token`: ends within 10%: me +2%; middle points not measured"]
    text = environment().get_template("bench_trust.md.j2").render(trust=shaped, source=MAIN.source)
    assert "its middle points only where some scenario's ends differ beyond 10%" in text
    assert trust.section(summary())["curves"]["screens"] == []  # a run without screening says nothing of it
