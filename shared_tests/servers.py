"""Another server of the variant under test, for cases that need something of it changed (profile, workers, a
lifetime cut short): started by the harness for one module, or the cases skip, saying what they need."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from harness.manifest import Manifest
from harness.server import Server, run_server


@contextlib.contextmanager
def another_server(
    manifest: Manifest,
    pytestconfig: pytest.Config,
    needs: str,
    *,
    profile: str = "test",
    workers: int = 1,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """The variant on a fresh database with `profile`, `workers` and `env`; a --base-url run cannot have one."""
    if pytestconfig.getoption("--base-url"):
        pytest.skip(f"needs a server the harness started, {needs}")
    database_url = pytestconfig.getoption("--database-url")
    with run_server(manifest, database_url=database_url, profile=profile, workers=workers, extra_env=env) as server:
        yield server
