"""Studies that ran in more than one run, and credentials points whose logins stopped at their time bound.

A second studies-only run (`study_2`) adds the variants the first did not measure: the sections join both, cite
both records and say when each ran; a run re-measuring one axis (`study_3`, `--curve-axes`) replaces that axis of
its variants only, and is cited for it; a point whose logins stopped short is shown, fitted and spanned at the
credentials they reached, and a middle point beyond them says why it was not measured.
"""

from __future__ import annotations

from typing import Any

from report import scale, trust
from report.data import Data, joined
from report_tests.test_bench_trust import point, summary


def _second_run() -> dict[str, Any]:
    """A studies-only run of one more variant, `c-session`, on the same points plus 1,000 credentials."""
    second = summary()
    second["header"].update(generated="2026-12-01T01:00:00+00:00", git_commit="e" * 40, database="postgres://db/test")
    record = second["curves"]["variants"].pop("a-token")
    second["curves"]["variants"] = {"c-session": record}
    second["curves"]["credentials"] = [1, 10, 1000]
    second["variants"] = {"c-session": second["variants"]["a-token"]}
    return second


def test_a_second_study_run_joins_the_first_and_both_are_cited() -> None:
    from report.render import environment
    from report.tables import MAIN

    main, first = summary(), summary()
    del main["curves"]
    first["header"].update(generated="2026-11-30T18:00:00+00:00", git_commit="f" * 40, database="sqlite")
    studies = Data(registry={}, contract={}, bench=main, study=first, study_2=_second_run()).studies
    assert [name for name, _ in studies] == ["study", "study_2", "bench"]
    names, view = joined(studies, "curves") or ([], {})
    assert names == ["study", "study_2"] and list(view["curves"]["variants"]) == ["a-token", "c-session"]
    assert view["curves"]["credentials"] == [1, 10, 1000]  # the union of the runs' points
    shaped = trust.section(main, studies)
    rows = shaped["curves"]["axes"]["credentials"].rows
    assert [row[0] for row in rows] == ["`a-token`", "`c-session`"] and rows[0][4] == "–"  # not a point of run 1
    assert "commit `ffffffffffff`" in shaped["curves_runs"] and "commit `eeeeeeeeeeee`" in shaped["curves_runs"]
    text = environment().get_template("bench_trust.md.j2").render(trust=shaped, source=MAIN.source)
    assert "Record: [`study.json`](data/study.json#/curves), [`study_2.json`](data/study_2.json#/curves)." in text
    assert joined([("bench", main)], "curves") is None


def test_a_point_cut_short_is_shown_fitted_and_spanned_where_its_logins_got() -> None:
    data = summary()
    data["curves"]["credentials"] = [1, 10, 100, 1000]
    record = data["curves"]["variants"]["a-token"]
    cut = {**point(50.0), "logins": {"accounts": 20, "each": 60, "seconds": 600.0,
                                     "cut_short": "60 of 1,000 logins per account in the 10-minute bound"}}  # fmt: skip
    beyond = "not measured: the last point's logins stopped at 60 per account, below this point"
    record["credentials"] = {"1": point(500.0), "10": point(400.0), "100": {"skipped": beyond, "scenarios": {}},
                             "1000": cut}  # fmt: skip
    record["growth"]["credentials"] = {"me": {"ms_per_request": {"class": "linear", "loglog_slope": 0.9}}}
    shaped = trust.section(data)
    assert shaped["curves"]["axes"]["credentials"].rows[0][2:6] == [
        "2.00 · 3", "2.50 · 3", "not measured (beyond the logins made)", "20.00 · 3 (at 60)"]  # fmt: skip
    assert (
        "`a-token`, point 1,000: 60 of 1,000 logins per account in the 10-minute bound; measured at 60"
        in (shaped["curves"]["screens"])
    )
    assert scale.ms_points(record["credentials"], "me")[-1] == (60, 20.0)
    hazards = scale.curve_hazards(data, "a-token")
    assert any("20.00 ms at 60" in phrase for phrase, _ in hazards), hazards


def test_a_growing_cost_says_its_named_cause_or_that_none_is_named() -> None:
    named = {"variants": {"a-token": {"growth_causes": {"accounts": {"me": "a walk over every row"}}}}}
    lines = trust.section(summary(), registry=named)["curves"]["causes"]
    assert lines == ["`a-token` `me` grows linear with accounts (log-log slope +0.70: 2.00 ms at 1,000, 4.00 ms at "
                     "10,000): a walk over every row"]  # fmt: skip
    assert trust.section(summary())["curves"]["causes"][0].endswith(": **cause not named**")
    near = summary()  # 11 % slower, runs overlapping: no hazard, so no cause is asked for
    near["curves"]["variants"]["a-token"]["accounts"]["10000"] = {**point(450.0), "seed": {"cumulative_seconds": 9.0}}
    assert trust.section(near, registry=named)["curves"]["causes"] == []


def _accounts_again() -> dict[str, Any]:
    """A later studies-only run of `a-token`'s accounts axis alone (`--curve-axes accounts`): constant this time."""
    again = summary()
    again["header"].update(generated="2026-12-02T10:00:00+00:00", git_commit="d" * 40, database="postgres://db/test")
    record = again["curves"]["variants"]["a-token"]
    record["accounts"] = {"1000": {**point(500.0), "seed": {"cumulative_seconds": 2.0}},
                          "100000": {**point(495.0), "seed": {"cumulative_seconds": 60.0}}}  # fmt: skip
    record["credentials"], record["prune"] = {}, {}
    record["growth"] = {"accounts": {"me": {"ms_per_request": {"class": "constant", "loglog_slope": 0.0}}}}
    again["curves"]["accounts"], again["curves"]["credentials"] = [1000, 100000], []
    return again


def test_an_axis_measured_again_replaces_that_axis_only_and_is_cited_for_it() -> None:
    from report.cards import _hazards
    from report.tables import MAIN

    first = summary()
    first["header"].update(generated="2026-11-30T18:00:00+00:00", git_commit="f" * 40, database="sqlite")
    studies = [("study", first), ("study_3", _accounts_again())]
    names, view = joined(studies, "curves") or ([], {})
    record = view["curves"]["variants"]["a-token"]
    assert names == ["study", "study_3"] and view["curves"]["sources"] == {
        "a-token": {"accounts": "study_3", "credentials": "study"}}  # fmt: skip
    assert list(record["accounts"]) == ["1000", "100000"] and list(record["credentials"]) == ["1", "10"]
    assert record["growth"]["accounts"]["me"]["ms_per_request"]["class"] == "constant"
    assert "flushexpiredtokens" in record["prune"]  # the credentials axis's pruning stays with it
    assert scale.curve_hazards(view, "a-token") == []  # the old run's linear accounts growth is no longer cited
    shaped = trust.section(summary(), studies)
    assert "the cost curves' accounts axis only" in shaped["curves_runs"]
    # Both orders: the newest run wins whichever record holds it.
    _, reversed_view = joined(studies[::-1], "curves") or ([], {})
    assert reversed_view["curves"]["sources"]["a-token"]["accounts"] == "study_3"
    hazards = " ".join(
        _hazards(Data(registry={}, contract={}, study=first, study_3=_accounts_again()), "a-token", MAIN)
    )
    cited = ("stays constant ([accounts](data/study_3.json#/curves/variants/a-token/accounts), "
             "[credentials](data/study.json#/curves/variants/a-token/credentials))")  # fmt: skip
    assert cited in hazards


def test_a_growth_the_yardstick_shows_too_is_the_machines_drift_not_a_hazard() -> None:
    """`me` takes twice as long at 10,000 accounts: a hazard while the no-library yardstick holds still, none when
    the yardstick slowed just as much between the same points (the points are minutes apart); the table says how
    far it moved."""
    from report_tests.test_bench_trust import figure

    data = summary()
    data["curves"]["yardstick"] = "baseline_drf"
    points = data["curves"]["variants"]["a-token"]["accounts"]
    for x, rps in (("1000", 1000.0), ("10000", 1000.0), ("100000", 1000.0)):
        points[x]["scenarios"]["baseline_drf"] = figure(rps, 0.3, False)
    assert [pointer for _, pointer in scale.curve_hazards(data, "a-token")] == [
        "/curves/variants/a-token/growth/accounts/me"]  # fmt: skip
    for x in ("10000", "100000"):  # the machine, twice as slow from the second point on
        points[x]["scenarios"]["baseline_drf"] = figure(500.0, 0.3, False)
    assert scale.curve_hazards(data, "a-token") == []
    rows = trust.section(data)["curves"]["axes"]["accounts"].rows
    assert rows[-1][:2] == ["`a-token`", "baseline_drf (yardstick)"] and rows[-1][-1] == (
        "machine drift +100% (1,000 → 100,000)")  # fmt: skip


def test_a_growth_the_first_point_measured_again_does_not_reproduce_is_no_hazard() -> None:
    """A-B-A: `me` takes twice as long at 10,000 accounts as at 1,000. Measured again at 1,000 after the last point
    (a new database and server), it is as fast as before: the growth is reproduced, a hazard. Measured again as slow
    as at 10,000: the first point's figure moved with the time it ran, not with the accounts: no hazard, and the
    section lists it as not reproduced with the figure measured again; the table has the column."""
    from report.render import environment
    from report.tables import MAIN

    data = summary()
    first = data["curves"]["variants"]["a-token"]["accounts"]["1000"]
    first["again"] = point(480.0)
    assert [pointer for _, pointer in scale.curve_hazards(data, "a-token")] == [
        "/curves/variants/a-token/growth/accounts/me"]  # fmt: skip
    assert trust.section(data)["curves"]["not_reproduced"] == []
    first["again"] = point(260.0)
    assert scale.curve_hazards(data, "a-token") == []
    shaped = trust.section(data)["curves"]
    assert shaped["not_reproduced"] == [
        "`a-token` `me` grows linear with accounts (log-log slope +0.70: 2.00 ms at 1,000, 4.00 ms at 10,000); "
        "measured again after the last: 3.85 ms at the first"]  # fmt: skip
    table = shaped["axes"]["accounts"]
    assert table.head[-2] == "1,000 again" and table.rows[0][-2] == "3.85 · 3"
    text = environment().get_template("bench_trust.md.j2").render(trust=trust.section(data), source=MAIN.source)
    assert 'Column "again"' in text and "measured again after the last: 3.85 ms" in text
    # A first point measured again at the generator's limit, or without runs, is not judged: the hazard stays.
    first["again"] = point(260.0, bound=True)
    assert len(scale.curve_hazards(data, "a-token")) == 1 and scale.not_reproduced(data, "a-token") == []
    first["again"] = point(260.0)
    first["again"]["scenarios"]["me"]["runs"] = []
    assert len(scale.curve_hazards(data, "a-token")) == 1
    # A variant joined from a run without the A-B-A has no figure in the column: a dash, not a reason it lacks.
    data["curves"]["variants"]["b-jwt"] = {"accounts": {"1000": point(500.0)}, "credentials": {}, "growth": {}}
    rows = trust.section(data)["curves"]["axes"]["accounts"].rows
    assert next(row for row in rows if row[0] == "`b-jwt`")[-2] == "–"
    del first["again"]
    assert "again" not in trust.section(data)["curves"]["axes"]["accounts"].head[-2]


def test_a_curves_chart_is_drawn_from_the_records_its_axis_was_joined_from(tmp_path: Any) -> None:
    """The accounts axis re-measured in `study_3`: the accounts chart names `study_3` (caption and footnote), the
    credentials chart still `study`, not the first record that holds cost curves."""
    from report.chart_lines import finish
    from report.charts import _drawn_from

    first = summary()
    first["header"].update(generated="2026-11-30T18:00:00+00:00", git_commit="f" * 40, run_id="old")
    again = _accounts_again()
    again["header"]["run_id"] = "new"
    data = Data(registry={}, contract={}, study=first, study_3=again, bench=summary())
    names, view = joined(data.studies, "curves") or ([], {})
    accounts = _drawn_from(data, "bench-curves-accounts.png", names, view)
    credentials = _drawn_from(data, "bench-curves-credentials.png", names, view)
    assert (accounts[0], credentials[0]) == (["study_3"], ["study"])
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2], label="a-token")
    finish(fig, ax, accounts[1])
    footnote = fig.texts[-1].get_text()
    plt.close(fig)
    assert footnote.startswith("run new, commit ") and "run old" not in footnote
