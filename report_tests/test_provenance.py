"""The report says where each record comes from (a quick run beside the studies it carried over) and why a case did
not run."""

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


def test_a_robustness_case_not_run_says_why_its_test_was_skipped(published: Data) -> None:
    from report import security

    data = copy.copy(published)
    contract = copy.deepcopy(published.contract)
    name = published.columns[0]
    case = "database_connections_killed_mid_load_recover"
    contract["variants"][name]["posture"].pop(case)  # as on SQLite: the case's test skipped, no finding recorded
    where = "shared_tests/test_robustness.py"
    contract["variants"][name]["tests"][f"{where}::test_{case}"] = {
        "outcome": "skipped", "message": f"the connection-kill fault needs PostgreSQL ({where}:175)"
    }  # fmt: skip
    data.contract = contract
    lines = next(found["lines"] for found in security.robustness(data, [name]) if found["id"] == case)
    assert lines == [f"`{name}`: not run (skipped: the connection-kill fault needs PostgreSQL)"]


def test_the_opening_names_every_record_made_from_another_commit_than_the_suite(published: Data) -> None:
    """As in compare's first report: the suite's records are this run's, the benchmarks carried over from the committed
    data; a reader of the cards must see at once that their figures are not from the suite's commit. A record made
    after the first report changed tracked files says `+dirty`, a snapshot's says so: the hash alone decides."""
    data = copy.deepcopy(published)  # every record is changed below: none of the shared fixture's
    own = "a" * 40
    elsewhere = "0123456789" + "0" * 30
    for name in data.present:  # every record from the suite's commit, as a snapshot's or a changed checkout's
        record = getattr(data, name)
        for n, found in enumerate(record["records"].values() if "records" in record else [record]):
            if "header" in found:
                found["header"]["git_commit"] = own + ("+dirty" if n % 2 else " (git archive snapshot)")
    assert provenance.elsewhere(data) == ""
    assert data.bench and data.fuzz
    data.bench["header"]["git_commit"] = elsewhere
    records = list(data.fuzz["records"].items())
    records[0][1]["header"]["git_commit"] = elsewhere + "+dirty"  # one record of the set from another commit
    line = provenance.elsewhere(data)
    assert line.startswith("Made from another commit than the suite's (`aaaaaaa`): ")
    bench = data.bench["header"]
    assert f"bench ({bench['generated'][:16].replace('T', ' ')}, `0123456`)" in line
    assert f"fuzz (1 of its {len(records)} records ({records[0][0]}): " in line
    assert "profile (" not in line and "matrix (" not in line and "registry (" not in line
