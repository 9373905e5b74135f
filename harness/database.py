"""Direct looks into a variant's database, for the few capabilities HTTP alone cannot show.

Only for servers the harness started (it knows their database URL): searching every stored text for a
credential (is it kept in plain text at rest?) and switching a user's `is_active` off (what happens to
an inactive user's login and live credentials?). Both use the DB-API drivers directly, never Django.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit


@contextlib.contextmanager
def connect(database_url: str) -> Iterator[Any]:
    if database_url.startswith("sqlite:"):
        path = unquote(urlsplit(database_url).path)
        connection: Any = sqlite3.connect(path[1:] if path.startswith("//") else path, timeout=20)
    else:
        import psycopg

        connection = psycopg.connect(database_url)
    try:
        yield connection
        connection.commit()
    finally:
        connection.close()


def _tables(connection: Any, sqlite: bool) -> list[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        if sqlite
        else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    )
    return [row[0] for row in connection.execute(query).fetchall()]


def tables_containing(database_url: str, needle: str) -> list[str]:
    """Every `table.column` whose stored value contains `needle` as text."""
    sqlite = database_url.startswith("sqlite:")
    found = []
    with connect(database_url) as connection:
        for table in _tables(connection, sqlite):
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = bytes(value).decode(errors="ignore") if isinstance(value, bytes | memoryview) else str(value)
                    if needle in text:
                        found.append(f"{table}.{column}")
    return sorted(set(found))


def set_active(database_url: str, username: str, active: bool) -> None:
    placeholder = "?" if database_url.startswith("sqlite:") else "%s"
    with connect(database_url) as connection:
        connection.execute(
            f"UPDATE auth_user SET is_active = {placeholder} WHERE username = {placeholder}", (active, username)
        )


def count_users(database_url: str, username_prefix: str) -> int:
    placeholder = "?" if database_url.startswith("sqlite:") else "%s"
    with connect(database_url) as connection:
        query = f"SELECT COUNT(*) FROM auth_user WHERE username LIKE {placeholder}"
        return connection.execute(query, (username_prefix + "%",)).fetchone()[0]
