"""The work probe (`python -m benchmarks.work`) counts what a request does as accounts and credentials grow, over
real HTTP on the test profile, and its verdict comes out either way.

On SQLite (statements): allauth headless's login runs more statements as the account's user sessions grow (its
usersessions purge walks them), while djoser's token `me` runs the same ones whatever the account holds. On
PostgreSQL (rows returned, which sqlite3 does not count; CI always has one): knox's `me` returns one row more per
token the account holds (`_cleanup_token` reads them all) in the same statements, djoser's token `me` does the same
work at both ends of both axes, and headless's login, whose sessions are read through a server-side cursor, reports
no rows rather than a wrong count.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks import work
from harness.services import REQUIRE_ENV
from report.work import direction, ends, table

DATABASE_URL = os.environ.get("DATABASE_URL", "")


def _probe(variants: list[str], database_url: str | None, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "work.json"
    args = ["--variant", *variants, "--accounts", "5", "30", "--credentials", "1", "8", "--out", str(out)]
    assert work.main([*args, "--database-url", database_url or ""]) == 0
    return json.loads(out.read_text())


def _held(counts: dict[str, Any]) -> int:
    return sum(table.get("account") or 0 for table in counts["credentials_before"].values())


def test_more_statements_per_login_as_sessions_grow_and_the_same_for_a_token_me(tmp_path: Path) -> None:
    counted = _probe(["allauth_headless-session", "djoser-token"], None, tmp_path)
    (_, near), (_, far) = ends(counted, "allauth_headless-session", "credentials", "login_fast")
    assert far["total"] > near["total"] and _held(far) > _held(near), (near, far)  # usersessions' purge walks them
    assert direction(counted, "allauth_headless-session", "credentials", "login_fast") == "more"
    (_, near), (_, far) = ends(counted, "djoser-token", "credentials", "me")
    assert near["total"] == far["total"] and "rows" not in near and "rows" not in far  # sqlite3 counts no rows
    assert direction(counted, "djoser-token", "credentials", "me") == "same"


def test_rows_returned_tell_a_library_walking_its_tokens_from_one_that_does_not(tmp_path: Path) -> None:
    if not DATABASE_URL.startswith("postgres"):
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail("rows returned are counted on PostgreSQL only, and DATABASE_URL names none")
        pytest.skip("rows returned are counted on PostgreSQL only: set DATABASE_URL=postgres://...")
    counted = _probe(["knox-token", "djoser-token", "allauth_headless-session"], DATABASE_URL, tmp_path)
    (_, near), (_, far) = ends(counted, "knox-token", "credentials", "me")
    # The same statements, one row more per token the account holds: `_cleanup_token` reads them all.
    assert near["total"] == far["total"] and far["rows"] - near["rows"] == _held(far) - _held(near) > 0, (near, far)
    assert direction(counted, "knox-token", "credentials", "me") == "more"
    for variant, axis in (("knox-token", "accounts"), ("djoser-token", "accounts"), ("djoser-token", "credentials")):
        (_, near), (_, far) = ends(counted, variant, axis, "me")
        assert (near["total"], near["rows"]) == (far["total"], far["rows"]), (variant, axis, near, far)
    # usersessions reads the account's sessions through .iterator(), a server-side cursor: no row count, no `rows`
    (_, near), (_, far) = ends(counted, "allauth_headless-session", "credentials", "login_fast")
    assert "rows" not in near and "rows" not in far and far["total"] > near["total"]


def test_a_cap_on_live_credentials_is_counted_where_the_library_refused(tmp_path: Path) -> None:
    """knox's hardened mode refuses the 13th live token of an account (TOKEN_LIMIT_PER_USER = 12): the credentials
    point stops there and says so, gives one back so each scenario's own login fits under the cap, and is counted
    at the 11 the account then holds; the run is not an error."""
    out = tmp_path / "work.json"
    args = ["--variant", "knox-token_hardened", "--accounts", "5", "--credentials", "1", "20", "--out", str(out)]
    assert work.main(args) == 0
    counted = json.loads(out.read_text())
    record = counted["variants"]["knox-token_hardened"]
    assert "error" not in record, record.get("error")
    logins = record["credentials"]["20"]["logins"]
    assert logins["each"] == 11 and logins["refused"].startswith("login 13 refused, "), logins
    assert "cut_short" not in logins
    assert _held(record["credentials"]["20"]["scenarios"]["me"]) == 11  # its own login makes the 12th
    rows = table(counted)
    assert rows is not None and any("(at 11: login 13 refused)" in cell for row in rows.rows for cell in row)
