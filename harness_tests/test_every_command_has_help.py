"""Every command the README or a nox session runs answers `--help` with its usage, never a traceback.

argparse formats help text with %-interpolation, so one literal percent sign in a help string (a share such as
"25%") turned `python -m benchmarks.run --help` into a ValueError; nothing else ran --help, so nothing caught it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("harness", "benchmarks", "report")


def commands() -> list[str]:
    """Each module of the runnable packages that has a `__main__` block, as `python -m` names it."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            if re.search(r'^if __name__ == "__main__":', path.read_text(), re.MULTILINE):
                found.append(package if path.stem == "__main__" else f"{package}.{path.stem}")
    return found


def test_the_commands_are_found() -> None:
    # A rename of the marker must not leave the parametrized test below with nothing to check.
    assert {"benchmarks.run", "harness.fuzz", "report.choose", "report"} <= set(commands())


@pytest.mark.parametrize("module", commands())
def test_command_answers_help_with_usage(module: str) -> None:
    done = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:"), done.stdout[:500]
