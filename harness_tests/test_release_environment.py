"""A release's venv is built with its requirements in the environment, and the environment is restored afterwards.

`harness.history.release_environment` is the one place the suite's history and the benchmarks' per-release runs
(benchmarks/releases.py) point a server at a release's venv; a leaked AUTHCMP_SERVER_REQUIREMENTS would serve the
next variant from the wrong release. The venv build itself is replaced here by a recorder (it takes minutes).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness import history
from harness.environment import REQUIREMENTS_ENV, EnvironmentFailed
from harness.manifest import Manifest


def test_the_build_sees_the_release_and_the_caller_gets_its_environment_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str | None, str | None]] = []

    def build(manifest: Manifest) -> str:
        seen.append((manifest.variant, os.environ.get(REQUIREMENTS_ENV), os.environ.get("EXTRA")))
        return "python"

    monkeypatch.setattr(history, "interpreter", build)
    monkeypatch.setenv(REQUIREMENTS_ENV, "the caller's")
    lines = ["django-rest-knox==4.2.0", "django==5.2.19"]
    with history.release_environment("knox-token", "knox-4.2.0", lines, {"EXTRA": "1"}, work_dir=tmp_path) as path:
        assert os.environ[REQUIREMENTS_ENV] == str(path) and path.read_text().splitlines() == lines
    assert seen == [("knox-token", str(tmp_path / "knox-token" / "knox-4.2.0.txt"), "1")]
    assert os.environ[REQUIREMENTS_ENV] == "the caller's" and "EXTRA" not in os.environ


def test_a_release_uv_cannot_install_raises_with_the_environment_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(manifest: Manifest) -> str:
        raise EnvironmentFailed("No solution found when resolving dependencies")

    monkeypatch.setattr(history, "interpreter", refuse)
    monkeypatch.delenv(REQUIREMENTS_ENV, raising=False)
    with (
        pytest.raises(EnvironmentFailed, match="No solution"),
        history.release_environment("knox-token", "x", ["djoser==2.2.3"], work_dir=tmp_path),
    ):
        pytest.fail("the body must not run when the build fails")
    assert REQUIREMENTS_ENV not in os.environ
