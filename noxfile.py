"""Sessions of the comparison: one contract/serve/compat session per variant, plus lint, tests and compare.

Variants are discovered from `backends/*/manifest.toml`; nothing here names a backend. `nox -l` lists all.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent))
from harness.manifest import discover

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")
VARIANTS = list(discover())
VARIANT_PARAMS = [nox.param(v, id=v, tags=[v]) for v in VARIANTS]
RESULTS = Path("results")
POSTGRES_HINT = "postgres://postgres@127.0.0.1:5432/test"
COMPAT_DJANGO = "django==6.1.3"


def _find_python(*versions: str) -> str | None:
    """The first working interpreter among `versions`, looking on PATH and in pyenv's versions folder."""
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    for version in versions:
        found = glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}")
        for candidate in [*sorted(found, reverse=True), shutil.which(f"python{version}")]:
            if candidate and subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
                return candidate
    return None


COMPAT_PYTHON = _find_python("3.13", "3.12")


def _install(session: nox.Session, *groups: str) -> None:
    session.install(*[req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)])


def _pytest(
    session: nox.Session,
    *variants: str,
    database_url: str | None,
    results: Path | None = None,
    matrix: Path | None = None,
    codes: tuple[int, ...] = (0,),
    extra: tuple[str, ...] = (),
    posargs: tuple[str, ...] | list[str] | None = None,
) -> None:
    """Run the contract suite for `variants` on one database; `results` (and `matrix`) receive JSON records."""
    args = [*(f"--variant={v}" for v in variants), *extra]
    posargs = session.posargs if posargs is None else posargs
    if results:
        args.append(f"--results-json={results}")
    if matrix:
        args.append(f"--matrix-json={matrix}")
    env = {"DATABASE_URL": database_url or ""}
    session.run("python", "-m", "pytest", "shared_tests", *args, *posargs, env=env, success_codes=codes)


def _databases() -> list[str | None]:
    """SQLite always; PostgreSQL too when DATABASE_URL names one."""
    url = os.environ.get("DATABASE_URL")
    return [None, url] if url and url.startswith("postgres") else [None]


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    _install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
@nox.parametrize("variant", VARIANT_PARAMS)
def contract(session: nox.Session, variant: str) -> None:
    """Contract suite for one variant, on DATABASE_URL or SQLite (pytest args after --)."""
    _install(session, "backends", "suite")
    _pytest(session, variant, database_url=os.environ.get("DATABASE_URL"))


@nox.session(python=COMPAT_PYTHON)
@nox.parametrize("variant", VARIANT_PARAMS)
def compat(session: nox.Session, variant: str) -> None:
    """The whole suite for one variant on Django 6.1 (needs Python >= 3.12; takes no pytest args)."""
    if not COMPAT_PYTHON:
        session.skip("Django 6.1 needs Python >= 3.12 and none was found on PATH or under pyenv")
    _install(session, "backends", "suite")
    session.install(COMPAT_DJANGO)
    record = RESULTS / "compat" / f"{variant}.json"
    # No posargs: compare requires these sessions and its posargs are benchmark options, not pytest's.
    _pytest(session, variant, database_url=os.environ.get("DATABASE_URL"), results=record, posargs=())


@nox.session(default=False)
@nox.parametrize("variant", VARIANT_PARAMS)
def serve(session: nox.Session, variant: str) -> None:
    """Serve one variant on 127.0.0.1 with a persistent SQLite database (-- --port N, default 8000)."""
    _install(session, "backends", "suite")
    session.run("python", "-m", "harness.serve", variant, *session.posargs)


@nox.session(requires=["lint"])
def tests(session: nox.Session) -> None:
    """Lint, every variant's contract suite on SQLite (and PostgreSQL if DATABASE_URL), then the self-tests."""
    _install(session, "backends", "suite")
    if not os.environ.get("DATABASE_URL"):
        session.log(f"DATABASE_URL unset: SQLite only (set e.g. DATABASE_URL={POSTGRES_HINT} for both)")
    for database_url in _databases():
        _pytest(session, *VARIANTS, database_url=database_url)
    _install(session, "bench", "fuzz")
    session.run("python", "-m", "pytest", "harness_tests")
    session.run("python", "-m", "harness.fuzz", "--quick", "--out", str(RESULTS / "fuzz-quick"))
    # A quick bench + report in a temp dir; Locust's distributed modes and --host; the `me` profile.
    session.run("python", "-m", "pytest", *sorted(glob.glob("benchmarks/test_*.py")))
    _browser(session)


def _browser(session: nox.Session) -> None:
    """The headless-Chromium tests; they skip, saying why, where no Chromium is installed."""
    _install(session, "browser")
    session.run("python", "-m", "pytest", "browser_tests", "-ra")


@nox.session(default=False)
def browser(session: nox.Session) -> None:
    """Browser tests: each variant's index, API docs and browsable sign-up/login forms in headless Chromium."""
    _install(session, "backends", "suite")
    _browser(session)


@nox.session(default=False)
def security(session: nox.Session) -> None:
    """Full security run: 1,000-input fuzzing, posture battery, races, a 5-minute soak and the DB fault."""
    _install(session, "backends", "suite", "fuzz")
    session.run("python", "-m", "harness.fuzz", "--max-examples", "1000")
    extra = ("-m", "posture or robustness", "--soak-seconds=300")
    record = RESULTS / "security.json"
    _pytest(session, *VARIANTS, database_url=os.environ.get("DATABASE_URL"), results=record, extra=extra)


@nox.session(default=False)
@nox.parametrize("variant", VARIANT_PARAMS)
def bench(session: nox.Session, variant: str) -> None:
    """Locust benchmarks of one variant against the hash limit and baselines (-- --quick, --duration …)."""
    _install(session, "backends", "suite", "bench")
    session.run("python", "-m", "benchmarks.run", "--variants", variant, *session.posargs)


@nox.session(default=False, requires=[f"compat({v})" for v in VARIANTS])
def compare(session: nox.Session) -> None:
    """The main job: contract, matrix, posture, Django 6.1 compat, benchmarks (-- runner options), the report."""
    _install(session, "backends", "suite", "bench", "fuzz")
    record, matrix = RESULTS / "contract.json", RESULTS / "matrix.json"
    database_url = os.environ.get("DATABASE_URL")
    _pytest(session, *VARIANTS, database_url=database_url, results=record, matrix=matrix, codes=(0, 1), posargs=())
    session.run("python", "-m", "harness.fuzz", "--quick", success_codes=(0, 1))
    session.run("python", "-m", "benchmarks.run", "--variants", *VARIANTS, *session.posargs, success_codes=(0, 1))
    session.run("python", "-m", "benchmarks.profile_me", success_codes=(0, 1))
    report = ["--contract", str(record), "--matrix", str(matrix), "--compat", str(RESULTS / "compat")]
    report += ["--fuzz", str(RESULTS / "fuzz"), "--profile", str(RESULTS / "profile" / "summary.json")]
    report += ["--bench", str(RESULTS / "bench" / "latest" / "summary.json"), "--out", "report/COMPARISON.md"]
    session.run("python", "-m", "harness.report", *report)
