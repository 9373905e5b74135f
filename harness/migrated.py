"""A fresh database that starts as a copy of one migrated before: `migrate` once per schema, not once per server.

Every server the harness starts gets a fresh database (`harness.server.run_server`), and migrating one from empty
applies every migration of every installed app (allauth's apps alone ship dozens). A variant's contract suite starts
up to seven servers, and the benchmarks three more, so that work repeats dozens of times per run for nothing a test
observes. `clone_migrated` gives the fresh database the tables of a template instead, which the first server of the
same schema migrated: on SQLite a copy of the file, on PostgreSQL `CREATE DATABASE … TEMPLATE`.

The server still runs `migrate` afterwards. On a matching template it finds nothing to apply, and where the template
lacks a migration (a settings change since) it applies it, so a template can cost time, never a missing table. A
template is keyed by what decides the schema: the settings module, the profile, the database kind and the packages
installed beside the interpreter (their dist-info names carry the versions); no backend here ships a migration or a
data migration of its own, so nothing of a run (ports, keys, the OIDC provider) ends up in one. Templates live in
`results/templates/` (SQLite) or as `authcmp_tpl_<key>` databases beside the one the URL names (PostgreSQL); a file
lock makes concurrent suites build each one once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from harness.results import PATHS

TEMPLATES = PATHS.root / "templates"
PREFIX = "authcmp_tpl_"  # a template's name: the file's stem, the PostgreSQL database's name
SCHEMA_VARIABLES = ("DJANGO_SETTINGS_MODULE", "AUTHCMP_PROFILE")  # what a template is keyed on, with the packages
# The files of one server: the template's migrate writes into none of them (the settings-reads log counts the
# processes that read a setting, and a template is built once for many servers).
SERVER_FILES = ("AUTHCMP_SETTINGS_READS", "AUTHCMP_HASH_LOG", "AUTHCMP_SERVER_ID")


@lru_cache(maxsize=16)
def _packages(python: str) -> str:
    """The dist-info names (name-version) installed beside `python`, sorted and joined."""
    prefix = Path(python).parent.parent  # not resolved: a virtualenv's python links to the base interpreter's
    found = sorted(p.name for site in prefix.glob("lib/python*/site-packages") for p in site.glob("*.dist-info"))
    return "\n".join(found)


def key(env: dict[str, str], python: str, database_url: str) -> str:
    """What decides the schema, hashed: settings module, profile, database kind, installed packages."""
    kind = "postgres" if database_url.startswith("postgres") else "sqlite"
    parts = [*(env.get(name, "") for name in SCHEMA_VARIABLES), kind, python, _packages(python)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    with (TEMPLATES / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def _sqlite_path(database_url: str) -> Path:
    path = unquote(urlsplit(database_url).path)
    return Path(path[1:] if path.startswith("//") else path)


def clone_migrated(env: dict[str, str], python: str, migrate: Callable[[dict[str, str]], None]) -> None:
    """Fill the fresh, empty database `env["DATABASE_URL"]` names from this schema's template, building the template
    first (`migrate(env)` with the template's URL) if there is none yet."""
    database_url = env["DATABASE_URL"]
    name = f"{PREFIX}{key(env, python, database_url)}"
    template_env = {k: v for k, v in env.items() if k not in SERVER_FILES}
    with _locked(name):
        if database_url.startswith("postgres"):
            _postgres_clone(database_url, name, lambda url: migrate({**template_env, "DATABASE_URL": url}))
            return
        target = _sqlite_path(database_url)
        if target.exists() and target.stat().st_size:  # a file given with data in it is never overwritten
            return
        template = TEMPLATES / f"{name}.sqlite3"
        if not template.exists():
            building = template.with_suffix(".building")
            building.unlink(missing_ok=True)
            migrate({**template_env, "DATABASE_URL": f"sqlite:///{building}"})
            building.rename(template)  # only a completed migrate becomes a template
        shutil.copyfile(template, target)


def _postgres_clone(database_url: str, name: str, migrate: Callable[[str], None]) -> None:
    """Recreate the database of `database_url` (just created by `harness.server`, empty, nobody connected) from
    template `name`, migrated first if new."""
    import psycopg

    target = urlsplit(database_url).path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", target):
        raise ValueError(f"not a database the harness created: {target!r}")
    # Connected to the maintenance database: not to the target (about to be dropped), not to template1 (which every
    # plain CREATE DATABASE of a concurrent server copies, and refuses to while anyone is connected to it).
    maintenance = urlunsplit(urlsplit(database_url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}_building"')
            try:
                migrate(urlunsplit(urlsplit(database_url)._replace(path=f"/{name}_building")))
            except BaseException:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}_building" WITH (FORCE)')
                raise
            admin.execute(f'ALTER DATABASE "{name}_building" RENAME TO "{name}"')
        admin.execute(f'DROP DATABASE "{target}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{name}"')


def enabled() -> bool:
    """Templates are on unless AUTHCMP_MIGRATE_FROM_EMPTY=1 (to time or debug a migration from empty)."""
    return os.environ.get("AUTHCMP_MIGRATE_FROM_EMPTY") != "1"
