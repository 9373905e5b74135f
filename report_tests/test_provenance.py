"""The report says where each record comes from: a quick run's records beside the committed studies it carried over."""

from __future__ import annotations

import copy

from report import provenance
from report.data import Data


def test_each_record_is_dated_with_its_commit_database_and_grade(published: Data) -> None:
    data = copy.copy(published)
    bench = copy.deepcopy(published.bench or {})
    bench["header"].update(quick=True, generated="2026-12-01T09:03:23+00:00", git_commit="69b76db5" + "0" * 32,
                           database="sqlite")  # fmt: skip
    bench["header"]["load"].update(duration_seconds=4.0, repeat=1)
    data.bench = bench
    rows = {row[0].split("`")[1]: row for row in provenance.table(data).rows}
    assert rows["bench.json"][2:] == ["2026-12-01 09:03", "`69b76db`", "SQLite", "quick: 4.0 s × 1 run(s) a figure"]
    study = (published.study or {})["header"]  # carried over: its own run, not this one
    assert rows["study.json"][2] == study["generated"][:16].replace("T", " ") != rows["bench.json"][2]
    assert rows["study.json"][5].startswith("full")
    fuzz = rows["fuzz.json"]  # a record set: its records' first and last times, and every commit they came from
    assert " – " in fuzz[2] and fuzz[5] == "1,000 inputs per operation"
    assert list(rows) == [f"{name}.json" for name in published.present]
