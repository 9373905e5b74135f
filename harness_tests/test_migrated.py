"""A server's fresh database starts as a copy of its schema's migrated template (`harness.migrated`).

Counted, not timed: the first server of a schema runs two migrates (the template's, then its own, which finds
nothing left), later ones only their own; the copy passes `migrate --check` (no migration left to apply) without a
migrate of its own; and a template lacking tables costs only time: the server's own migrate creates them. On
PostgreSQL too where DATABASE_URL names one (CI always has one).
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import migrated, server
from harness.environment import PYTHON_ENV
from harness.manifest import load
from harness.server import database_for, manage, run_server, server_env

VARIANT = "knox-token"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = [None, *([DATABASE_URL] if DATABASE_URL.startswith("postgres") else [])]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """The database URL of every migrate run, with templates kept in this test's own folder."""
    calls: list[str] = []

    def counting(env: dict[str, str], *args: str) -> None:
        if args[:1] == ("migrate",):
            calls.append(env["DATABASE_URL"])
        manage(env, *args)

    prefix = f"authcmp_tpltest_{uuid.uuid4().hex[:6]}_"  # PostgreSQL's templates outlive a run: this test's own
    monkeypatch.setattr(migrated, "TEMPLATES", tmp_path / "templates")
    monkeypatch.setattr(migrated, "PREFIX", prefix)
    monkeypatch.setattr(server, "manage", counting)
    yield calls
    if DATABASE_URL.startswith("postgres"):
        import psycopg

        with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
            names = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (f"{prefix}%",)).fetchall()
            for (name,) in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("database_url", DATABASES, ids=lambda url: "postgres" if url else "sqlite")
def test_the_second_server_of_a_schema_migrates_nothing_from_empty(counted: list[str], database_url: str | None,
                                                                    tmp_path: Path) -> None:  # fmt: skip
    manifest = load(VARIANT)
    for number in (1, 2):
        with run_server(manifest, database_url=database_url, workdir=tmp_path / str(number)) as started:
            assert started.health["status"] == "ok"
    template, first, second = counted
    assert migrated.PREFIX in template and first != template and second not in (template, first)
    (tmp_path / "check").mkdir()
    with database_for(VARIANT, database_url, tmp_path / "check") as url:
        env = server_env(manifest, url, "test", tmp_path / "mail")
        migrated.clone_migrated(env, env[PYTHON_ENV], _refuse)
        manage(env, "migrate", "--check")  # exits non-zero where a migration is left to apply


def _refuse(_env: dict[str, str]) -> None:
    raise AssertionError("the template exists: cloning must not migrate")


def test_a_template_without_tables_costs_time_not_tables(counted: list[str], tmp_path: Path) -> None:
    manifest = load(VARIANT)
    env = server_env(manifest, f"sqlite:///{tmp_path / 'x.sqlite3'}", "test", tmp_path / "mail")

    def empty(found: dict[str, str]) -> None:
        sqlite3.connect(found["DATABASE_URL"].removeprefix("sqlite:///")).close()

    migrated.clone_migrated(env, env[PYTHON_ENV], empty)  # a template with no table at all
    with run_server(manifest, workdir=tmp_path / "served") as started:
        assert started.health["status"] == "ok"
        assert started.database_url is not None
        with sqlite3.connect(started.database_url.removeprefix("sqlite:///")) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"knox_authtoken", "auth_user", "django_migrations"} <= tables
