"""The work counted along the cost curves: its table, and what it says of a growing cost, each way it can come out.

More statements or rows returned at an axis's far end is the library doing more per request; fewer is less; the
same counts at both ends say only that (what was not counted is named); rows counted at one end only compare the
statements alone. On the accounts axis, a timed account whose own credentials grew between the ends is called out
when the cost's counted work grows with credentials.
"""

from __future__ import annotations

from typing import Any

from report import trust, work
from report_tests.test_bench_trust import summary


def _counts(total: int, rows: int | None = None, held: int | None = None) -> dict[str, Any]:
    before = {"credentials_before": {"t": {"live": held, "account": held}}} if held is not None else {}
    return {"total": total, "writes": 0, "requests": 1, **({"rows": rows} if rows is not None else {}), **before}


def record(low: dict[str, Any], high: dict[str, Any], axis: str = "accounts") -> dict[str, Any]:
    """A work record of `a-token` whose `me` counted `low` at the axis's first point and `high` at its last (the
    other axis counts `low` at both ends)."""
    points = {"accounts": [1000, 10000], "credentials": [1, 10]}
    head = {"database": "PostgreSQL", "generated": "2026-12-01T04:00:00+00:00", "git_commit": "d" * 40,
            "scenarios": {"me": ["me"]}, **points}  # fmt: skip
    counted: dict[str, Any] = {"accounts": {}, "credentials": {}}
    for name, xs in points.items():
        for x, found in zip(xs, (low, high) if name == axis else (low, low), strict=True):
            extra = {"logins": {"each": x, "seconds": 0.1}} if name == "credentials" else {}
            counted[name][str(x)] = {"account": f"bench{x:06d}", "scenarios": {"me": found}, **extra}
    return {"header": head, "variants": {"a-token": counted}}


def _verdict(low: dict[str, Any], high: dict[str, Any]) -> str:
    return work.verdict(record(low, high), "a-token", "accounts", "me")


def test_more_statements_or_rows_at_the_far_end_is_the_library_doing_more() -> None:
    assert _verdict(_counts(2, 3), _counts(9, 3)).endswith(
        "**the library does more per request at the far end (more statements)**")  # fmt: skip
    more_rows = _verdict(_counts(2, 3, held=1), _counts(2, 1002, held=1000))
    assert "2 st (0 w) · 3 rows at 1,000 (holding 1) → 2 st (0 w) · 1,002 rows at 10,000 (holding 1,000)" in more_rows
    assert more_rows.endswith("(more rows returned)**")


def test_fewer_at_the_far_end_is_less_work_never_the_same() -> None:
    assert _verdict(_counts(5, 3), _counts(2, 3)).endswith("**less at the far end (fewer statements)**")
    assert work.direction(record(_counts(5, 3), _counts(2, 3)), "a-token", "accounts", "me") == "less"


def test_the_same_counts_say_only_what_was_counted() -> None:
    same = _verdict(_counts(2, 3), _counts(2, 3))
    assert "**the same statements and rows returned at both ends** (not counted: rows scanned" in same
    assert "does more" not in same and "comes from" not in same  # no cause is claimed for what was not counted
    no_rows = _verdict(_counts(2), _counts(2))
    assert no_rows.endswith("kept no count, as sqlite3's and server-side cursors')")
    one_end = _verdict(_counts(2, 3), _counts(2))  # rows at the near end only: the statements alone compare
    assert "the same statements (rows not counted at one end or both" in one_end
    assert work.verdict(None, "a-token", "accounts", "me") == ""  # no record: the cause line says nothing more


def test_two_points_at_the_same_logins_are_ordered_without_comparing_their_counts() -> None:
    counted = record(_counts(2, 3), _counts(2, 3), "credentials")
    counted["variants"]["a-token"]["credentials"]["10"]["logins"] = {"each": 1, "seconds": 600.0, "cut_short": "1"}
    assert len(work.ends(counted, "a-token", "credentials", "me")) == 2  # both at x = 1: no TypeError
    assert "2 st (0 w) · 3 rows (at 1)" in work.table(counted).rows[0]  # type: ignore[union-attr]


def test_a_growing_cost_carries_the_work_verdict_and_the_section_tabulates_the_counts() -> None:
    counted = record(_counts(2, 3), _counts(2, 1002))
    shaped = trust.section(summary(), work=counted)["curves"]
    assert shaped["causes"][0].startswith("`a-token` `me` grows linear with accounts")
    assert shaped["causes"][0].endswith("**cause not named**; counted work per cycle 2 st (0 w) · 3 rows at 1,000 → "
                                        "2 st (0 w) · 1,002 rows at 10,000 accounts: **the library does more per "
                                        "request at the far end (more rows returned)**")  # fmt: skip
    assert shaped["work"].rows == [["`a-token`", "me (me)", "2 st (0 w) · 3 rows", "2 st (0 w) · 1,002 rows",
                                    "2 st (0 w) · 3 rows", "2 st (0 w) · 3 rows"]]  # fmt: skip
    assert "PostgreSQL, generated 2026-12-01T04:00:00+00:00 from commit `dddddddddddd`" in shaped["work_run"]
    assert trust.section(summary())["curves"]["work"] is None
    counted["variants"]["a-token"]["error"] = "ServerError: did not start"
    assert trust.section(summary(), work=counted)["curves"]["work"].rows[0][:3] == [
        "`a-token`", "error", "ServerError: did not start"]  # fmt: skip


def test_an_accounts_growth_whose_timed_account_gained_credentials_says_the_figure_mixes_both() -> None:
    timed = summary()  # its accounts axis: `me` at 1,000 and 10,000 accounts, a hazard (2.00 -> 4.00 ms)
    points = timed["curves"]["variants"]["a-token"]["accounts"]
    for x, held in (("1000", 0), ("10000", 13)):
        points[x]["scenarios"]["me"]["credentials_before"] = {"t": {"live": held, "account": held}}
    grows = record(_counts(2, 3), _counts(2, 30), "credentials")  # `me`'s work grows with credentials
    line = trust.section(timed, work=grows)["curves"]["causes"][0]
    assert line.endswith("; but the timed account held 0 → 13 credentials at these ends, and this cost's counted work "
                         "grows with credentials (its credentials axis): the accounts figure mixes both")  # fmt: skip
    flat = record(_counts(2, 3), _counts(2, 3), "credentials")
    assert "mixes both" not in trust.section(timed, work=flat)["curves"]["causes"][0]


def test_a_cards_hazard_says_in_a_few_words_what_the_count_showed() -> None:
    rows = work.tag(record(_counts(2, 3), _counts(2, 1002), "credentials"), "a-token", "credentials", "me")
    assert rows == "counted: more work per cycle, 3 → 1,002 rows returned at 1 → 10 credentials per account"
    same = record(_counts(2, 3), _counts(2, 3))
    assert work.tag(same, "a-token", "accounts", "me") == (
        "counted: the same statements and rows returned at 1,000 → 10,000 accounts")  # fmt: skip
    no_rows = record(_counts(2), _counts(2))
    assert work.tag(no_rows, "a-token", "accounts", "me") == "counted: the same statements at 1,000 → 10,000 accounts"
    assert work.tag(same, "b-jwt", "accounts", "me") == ""  # a variant the probe did not count


def test_a_hardened_mode_capping_live_credentials_bounds_the_default_growth() -> None:
    """knox's hardened mode refuses the 13th live token: where the default's `me` returns a row per token held, the
    hardened card says its work stops at the cap; the same counts at both ends close the growth; growing too, or a
    record without the hardened mode, closes nothing."""
    counted = record(_counts(2, 3), _counts(2, 1002), "credentials")
    capped = record(_counts(2, 3), _counts(2, 13), "credentials")["variants"]["a-token"]
    capped["credentials"]["10"]["logins"] = {"each": 11, "seconds": 1.0, "refused": "login 13 refused, one ..."}
    counted["variants"]["a-token_hardened"] = capped
    assert work.growing(counted, "a-token") == ["me"] and work.growing(counted, "a-token", "accounts") == []
    line = work.hardened_bound(counted, "a-token", "a-token_hardened", "me")
    assert line == ("`me`'s work per cycle is bounded: live credentials stop at a cap (login 13 refused), counted "
                    "2 st (0 w) · 3 rows at 1 → 2 st (0 w) · 13 rows at 11 per account, against 2 st (0 w) · 3 rows "
                    "→ 2 st (0 w) · 1,002 rows at 1 → 10 in the default")  # fmt: skip
    flat = record(_counts(2, 3), _counts(2, 3), "credentials")["variants"]["a-token"]
    counted["variants"]["a-token_hardened"] = flat
    assert work.hardened_bound(counted, "a-token", "a-token_hardened", "me").startswith(
        "`me`'s work per cycle no longer grows with credentials: 2 st (0 w) · 3 rows at 1 → 2 st (0 w) · 3 rows at 10"
    )
    counted["variants"]["a-token_hardened"] = record(_counts(2, 3), _counts(2, 1002), "credentials")["variants"][
        "a-token"
    ]
    assert work.hardened_bound(counted, "a-token", "a-token_hardened", "me") == ""  # grows there too
    assert work.hardened_bound(counted, "a-token", "b-token_hardened", "me") == ""  # not in the record
