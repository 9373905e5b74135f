"""Glue: the shared base's SQLite journal (WAL, synchronous=NORMAL) on Django 3.2, which has no `init_command`.

Several gunicorn workers write to one SQLite file; the base sets WAL through OPTIONS["init_command"], a Django 5.1
option that Django 3.2 would pass to sqlite3.connect() as an unknown argument. This app runs the same PRAGMAs on
every new SQLite connection instead. Not part of the tutorial; PostgreSQL connections are left alone.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _journal(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")


class SQLiteWAL(AppConfig):
    name = "backends.tutorial_2021"
    label = "tutorial_2021_sqlite_wal"
    verbose_name = "SQLite WAL journal on Django 3.2"

    def ready(self) -> None:
        connection_created.connect(_journal, dispatch_uid="tutorial_2021_sqlite_wal")
