"""Self-tests of the harness: they run the contract suite as a subprocess and read what it recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.manifest import REPO_ROOT


def run_suite(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> tuple[int, dict[str, Any], str]:
    """Run `pytest shared_tests ARGS` (with `env` over this process's); return its exit code, its results record
    and its output."""
    record = tmp_path / "record.json"
    command = [sys.executable, "-m", "pytest", "shared_tests", "-q", "-p", "no:cacheprovider", *args]
    done = subprocess.run(
        [*command, f"--results-json={record}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    results = json.loads(record.read_text()) if record.exists() else {}
    return done.returncode, results, done.stdout + done.stderr


@pytest.fixture
def suite(tmp_path: Path):
    return lambda *args, env=None, timeout=600: run_suite(tmp_path, *args, env=env, timeout=timeout)
