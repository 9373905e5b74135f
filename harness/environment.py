"""A variant's own server environment: its interpreter and exact requirements, built once into a venv of its own.

Most variants run on the locked environment the suite runs on (`uv.lock`). A variant whose manifest has an
`[environment]` table (`python = "3.9"`, `requirements = "requirements.txt"`, optionally `build_constraints`)
is served by another interpreter with other releases: the tutorial's 2021 stack, an earlier release of a library.
Its server (migrate, gunicorn, management commands) runs in a venv built with uv from that interpreter and those
pins, kept under `var/envs/` and keyed by a hash of the Python version and the files, so a changed pin builds a
new one and an unchanged one is reused. The suite and the harness stay on the current Python and talk to it over
HTTP; nothing else changes. A build that fails raises `EnvironmentFailed` with uv's own words (an old release
that no longer installs is a finding, recorded with its exact error).
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from harness.manifest import REPO_ROOT, Manifest

ENVS_DIR = REPO_ROOT / "var" / "envs"
# The environment variable through which the harness tells `manage` and friends which interpreter serves a variant.
PYTHON_ENV = "AUTHCMP_SERVER_PYTHON"
BUILD_RECORD = "authcmp-environment.json"  # written into a venv once it is complete


class EnvironmentFailed(RuntimeError):
    """The variant's own environment could not be built: no such interpreter, or uv could not install the pins."""


# A requirements file every server the harness starts installs instead, on the suite's own Python: a release
# history run (harness/history.py) sets it to uv.lock's backends group with one library's pin replaced.
REQUIREMENTS_ENV = "AUTHCMP_SERVER_REQUIREMENTS"


def spec(manifest: Manifest) -> dict[str, str] | None:
    """The variant's environment: REQUIREMENTS_ENV's file if set, else the manifest's `[environment]` table, else
    None (served by the suite's own environment)."""
    if os.environ.get(REQUIREMENTS_ENV):
        return {
            "python": f"{sys.version_info.major}.{sys.version_info.minor}",
            "requirements": os.environ[REQUIREMENTS_ENV],
        }
    table = manifest.data.get("environment")
    return dict(table) if table else None


def find_python(version: str) -> str | None:
    """A working interpreter of `version` ("3.9"): on PATH, or under pyenv's versions folder (the newest patch)."""
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    found = sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"), reverse=True)
    for candidate in [shutil.which(f"python{version}"), *found]:
        if candidate and subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    return None


def _uv() -> list[str]:
    """uv on PATH, or the module of the running interpreter (the `tools` group pins it)."""
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def _files(manifest: Manifest, table: dict[str, str]) -> list[Path]:
    files = [manifest.path.parent / table["requirements"]]
    if table.get("build_constraints"):
        files.append(manifest.path.parent / table["build_constraints"])
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise EnvironmentFailed(f"{manifest.path}: [environment] names missing file(s) {', '.join(missing)}")
    return files


def venv_dir(manifest: Manifest) -> Path:
    """Where the variant's environment lives: one folder per Python version and content of its pin files."""
    table = spec(manifest) or {}
    digest = hashlib.sha256(table.get("python", "").encode())
    for path in _files(manifest, table):
        digest.update(path.read_bytes())
    return ENVS_DIR / f"{manifest.backend}-py{table.get('python', '')}-{digest.hexdigest()[:12]}"


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise EnvironmentFailed(f"{what} failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-4000:]}")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One builder at a time per environment (two pytest processes may ask for it together)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def interpreter(manifest: Manifest) -> str:
    """The Python that serves `manifest`'s variant: the suite's own, or its environment's (built if missing)."""
    table = spec(manifest)
    if table is None:
        return sys.executable
    target = venv_dir(manifest)
    python = target / "bin" / "python"
    if (target / BUILD_RECORD).is_file():
        return str(python)
    with _locked(target.with_name(target.name + ".lock")):
        if (target / BUILD_RECORD).is_file():
            return str(python)
        # Found here, or left to uv, which looks for (and, where allowed, downloads) that version itself.
        base = find_python(table["python"]) or table["python"]
        files = _files(manifest, table)
        started = time.monotonic()
        shutil.rmtree(target, ignore_errors=True)  # a build interrupted before its record
        _run([*_uv(), "venv", "--quiet", "--python", base, str(target)], "uv venv")
        install = [*_uv(), "pip", "install", "--quiet", "--python", str(python), "-r", str(files[0])]
        if len(files) > 1:
            install += ["--build-constraints", str(files[1])]
        try:
            _run(install, f"installing {manifest.variant}'s requirements")
        except EnvironmentFailed:
            shutil.rmtree(target, ignore_errors=True)
            raise
        record: dict[str, object] = {
            "python": base,
            "requirements": [str(path.relative_to(REPO_ROOT)) for path in files],
            "seconds": round(time.monotonic() - started, 1),
        }
        (target / BUILD_RECORD).write_text(json.dumps(record, indent=2) + "\n")
    return str(python)
