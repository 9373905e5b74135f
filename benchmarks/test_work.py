"""The work probe (`python -m benchmarks.work`) counts what a request does as accounts and credentials grow, over
real HTTP on the test profile, and its verdict comes out either way.

On SQLite (statements): allauth headless's login runs more statements as the account's user sessions grow (its
usersessions purge walks them), while djoser's token `me` runs the same ones whatever the account holds. On
PostgreSQL (rows read, which sqlite3 does not count; CI always has one): knox's `me` reads more rows as the
account's tokens grow (`_cleanup_token` walks them) in the same statements, and djoser's token `me` does the same
work at both ends of both axes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks import work
from harness.services import REQUIRE_ENV
from report.work import verdict

DATABASE_URL = os.environ.get("DATABASE_URL", "")


def _probe(variants: list[str], database_url: str | None, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "work.json"
    args = ["--variant", *variants, "--accounts", "5", "30", "--credentials", "1", "8", "--out", str(out)]
    assert work.main([*args, "--database-url", database_url or ""]) == 0
    return json.loads(out.read_text())


def test_more_statements_per_login_as_sessions_grow_and_the_same_for_a_token_me(tmp_path: Path) -> None:
    counted = _probe(["allauth_headless-session", "djoser-token"], None, tmp_path)
    login = verdict(counted, "allauth_headless-session", "credentials", "login_fast")
    assert "**the library does more work (more statements)**" in login, login
    me = verdict(counted, "djoser-token", "credentials", "me")
    assert me.endswith("kept no count, as sqlite3's and server-side cursors')"), me
    assert counted["header"]["database"] == "SQLite" and counted["header"]["scenarios"]["logout_login"] == [
        "logout", "login"]  # fmt: skip


def test_rows_read_tell_a_library_walking_its_tokens_from_one_that_does_not(tmp_path: Path) -> None:
    if not DATABASE_URL.startswith("postgres"):
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail("rows read are counted on PostgreSQL only, and DATABASE_URL names none")
        pytest.skip("rows read are counted on PostgreSQL only: set DATABASE_URL=postgres://...")
    counted = _probe(["knox-token", "djoser-token"], DATABASE_URL, tmp_path)
    knox = verdict(counted, "knox-token", "credentials", "me")
    assert knox.endswith("**the library does more work (more rows read)**"), knox
    for variant, axis in (("knox-token", "accounts"), ("djoser-token", "accounts"), ("djoser-token", "credentials")):
        found = verdict(counted, variant, axis, "me")
        assert "**the same work at both ends**" in found, (variant, axis, found)
