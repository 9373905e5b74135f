"""The work counted along the cost curves: its table, and what it says of a growing cost, either way.

A growing cost with more statements or more rows read at its axis's far end is the library doing more work; the
same counts at both ends are not; without rows (SQLite) the verdict says only that the statements are the same.
"""

from __future__ import annotations

from typing import Any

from report import trust, work
from report_tests.test_bench_trust import summary


def _counts(total: int, rows: int | None = None) -> dict[str, Any]:
    return {"total": total, "writes": 0, "requests": 1, **({"rows": rows} if rows is not None else {})}


def record(low: dict[str, Any], high: dict[str, Any], axis: str = "accounts") -> dict[str, Any]:
    """A work record of `a-token` whose `me` counted `low` at the axis's first point and `high` at its last."""
    points = {"accounts": [1000, 10000], "credentials": [1, 10]}
    head = {"database": "PostgreSQL", "generated": "2026-12-01T04:00:00+00:00", "git_commit": "d" * 40,
            "scenarios": {"me": ["me"]}, **points}  # fmt: skip
    counted: dict[str, Any] = {"accounts": {}, "credentials": {}}
    for name, xs in points.items():
        for x, found in zip(xs, (low, high) if name == axis else (low, low), strict=True):
            extra = {"logins": {"each": x, "seconds": 0.1}} if name == "credentials" else {}
            counted[name][str(x)] = {"account": f"bench{x:06d}", "scenarios": {"me": found}, **extra}
    return {"header": head, "variants": {"a-token": counted}}


def test_more_statements_or_rows_at_the_far_end_is_the_library_doing_more_work() -> None:
    more_statements = work.verdict(record(_counts(2, 3), _counts(9, 3)), "a-token", "accounts", "me")
    assert more_statements.endswith("**the library does more work (more statements)**"), more_statements
    more_rows = work.verdict(record(_counts(2, 3), _counts(2, 1002)), "a-token", "accounts", "me")
    assert "2 st (0 w) · 3 rows at 1,000 → 2 st (0 w) · 1,002 rows at 10,000 accounts" in more_rows
    assert more_rows.endswith("(more rows read)**")


def test_the_same_counts_at_both_ends_are_not_the_library_doing_more() -> None:
    same = work.verdict(record(_counts(2, 3), _counts(2, 3)), "a-token", "accounts", "me")
    assert "**the same work at both ends**" in same and "does more" not in same
    no_rows = work.verdict(record(_counts(2), _counts(2)), "a-token", "accounts", "me")
    assert no_rows.endswith("kept no count, as sqlite3's and server-side cursors')")
    assert work.verdict(None, "a-token", "accounts", "me") == ""  # no record: the cause line says nothing more


def test_a_growing_cost_carries_the_work_verdict_and_the_section_tabulates_the_counts() -> None:
    counted = record(_counts(2, 3), _counts(2, 1002))
    shaped = trust.section(summary(), work=counted)["curves"]
    assert shaped["causes"][0].startswith("`a-token` `me` grows linear with accounts")
    assert shaped["causes"][0].endswith("**cause not named**; counted work per cycle 2 st (0 w) · 3 rows at 1,000 → "
                                        "2 st (0 w) · 1,002 rows at 10,000 accounts: **the library does more work "
                                        "(more rows read)**")  # fmt: skip
    assert shaped["work"].rows == [["`a-token`", "me (me)", "2 st (0 w) · 3 rows", "2 st (0 w) · 1,002 rows",
                                    "2 st (0 w) · 3 rows", "2 st (0 w) · 3 rows"]]  # fmt: skip
    assert "PostgreSQL, generated 2026-12-01T04:00:00+00:00 from commit `dddddddddddd`" in shaped["work_run"]
    assert trust.section(summary())["curves"]["work"] is None


def test_a_cards_hazard_says_in_a_few_words_what_the_count_showed() -> None:
    rows = work.tag(record(_counts(2, 3), _counts(2, 1002), "credentials"), "a-token", "credentials", "me")
    assert rows == "counted: the library does more work, 3 → 1,002 rows read per cycle"
    same = record(_counts(2, 3), _counts(2, 3))
    assert work.tag(same, "a-token", "accounts", "me") == "counted: the same work at both ends"
    no_rows = record(_counts(2), _counts(2))
    assert work.tag(no_rows, "a-token", "accounts", "me") == "counted: the same statements at both ends"
    assert work.tag(same, "b-jwt", "accounts", "me") == ""  # a variant the probe did not count
