"""uv.lock matches pyproject.toml: a pin edited without `uv lock` fails here, not in a later `uv sync --frozen`.

The nox sessions install with `uv sync --frozen`, which trusts the lock without checking it against
pyproject.toml; this test is that check. The uv it runs is the `tools` group's (the one that wrote the lock).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from harness.manifest import REPO_ROOT


def _uv_command() -> list[str]:
    """How to call uv here: on PATH (the session venv's `tools` group), else as this Python's module."""
    found = shutil.which("uv")
    if found:
        return [found]
    if subprocess.run([sys.executable, "-m", "uv", "--version"], capture_output=True).returncode == 0:
        return [sys.executable, "-m", "uv"]
    reason = "uv is not installed: sync the `tools` group (nox -s harness_tests does) or `pip install uv`"
    # CI must check the lock, so a missing uv there is a broken setup, not a reason to pass quietly.
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set)", pytrace=False)
    pytest.skip(reason)


def test_uv_lock_is_up_to_date_with_pyproject() -> None:
    # This interpreter, never a downloaded one: the lock is universal, any Python >= 3.11 resolves it.
    command = [*_uv_command(), "lock", "--check", f"--python={sys.executable}"]
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, (
        f"uv.lock is out of date with pyproject.toml: run `uv lock` and commit uv.lock\n{done.stdout}{done.stderr}"
    )
