"""Sessions of the comparison: one contract/serve/compat/bench session per variant, plus the tests and compare.

Variants are discovered from `backends/*/manifest.toml`; nothing here names a backend. `nox -l` lists all, with their
tags: `nox -t <variant>` runs every finite session of one variant (never `serve`, which does not end), `nox -t tests`
runs each part of `nox -s tests` on its own. Every session syncs only the dependency groups it needs from `uv.lock`
(`uv sync --frozen`), so a run uses exactly the locked versions.
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
import time
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent))
from harness import compare_plan, concurrent
from harness.compare_plan import QUICK_SUITE, SMOKE
from harness.environment import find_python
from harness.manifest import discover
from harness.results import OVERRIDES_ENV, PATHS, per_variant

nox.needs_version = ">=2025.2.9"
# uv, not virtualenv: the sessions install with `uv sync`, which a virtualenv fallback could not run.
nox.options.default_venv_backend = "uv"
nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"

STARTED = time.monotonic()  # the noxfile loads once per nox run, before its first session
MANIFESTS = discover()  # read once: every list below, and compare's --only, come from it
VARIANTS = list(MANIFESTS)
GROUPS = compare_plan.groups(MANIFESTS)  # by kind: compare_plan.Groups says who runs where
DEFAULT_VARIANTS, HARDENED_VARIANTS, MEASURED_VARIANTS, OBSERVING_VARIANTS, OWN_ENV_VARIANTS = GROUPS
VARIANT_PARAMS = [nox.param(v, id=v, tags=[v]) for v in VARIANTS]
MEASURED_PARAMS = [nox.param(v, id=v, tags=[v]) for v in MEASURED_VARIANTS]
# No variant tag: `nox -t <variant>` must only select sessions that end, and a server runs until stopped.
SERVE_PARAMS = [nox.param(v, id=v) for v in VARIANTS]
POSTGRES_HINT = "postgres://postgres@127.0.0.1:5432/test"
# The one pin the compat sessions change, passed as AUTHCMP_OVERRIDES so their records say they depart from uv.lock.
COMPAT_DJANGO = "django==6.1.3"
# `nox -s tests`: these parts, in this order (`requires` runs them first; one failing fails `tests`).
TEST_PARTS = ["lint", "suite_sqlite", "suite_postgres", "harness_tests", "fuzz_quick", "bench_tests", "browser",
              "history_smoke"]  # fmt: skip
# The first working 3.13 or 3.12 on PATH or under pyenv: Django 6.1 needs one.
COMPAT_PYTHON = find_python("3.13") or find_python("3.12")


def _sync(session: nox.Session, *groups: str) -> None:
    """Install exactly the locked versions of `groups` (and nothing else) into this session's venv."""
    venv = session.virtualenv.location
    group_args = [arg for group in groups for arg in ("--group", group)]
    # --frozen: install what uv.lock says without re-resolving (harness_tests/test_lock.py keeps it current);
    # --python: the session's interpreter, not .python-version's, so the compat venvs keep their 3.12+.
    session.run_install("uv", "sync", "--frozen", "--no-default-groups", *group_args, f"--python={venv}",
                        env={"UV_PROJECT_ENVIRONMENT": venv})  # fmt: skip


def _pytest(session: nox.Session, variant: str, results: Path | None = None, env: dict[str, str] | None = None) -> None:
    """One variant's contract suite on DATABASE_URL or SQLite, with the session's posargs; `results` gets its record."""
    # `--variant=NAME`: with the `=` a positional pytest argument in posargs cannot be read as a name.
    args = [f"--variant={variant}", *([f"--results-json={results}"] if results else [])]
    run_env = {"DATABASE_URL": os.environ.get("DATABASE_URL", ""), **(env or {})}
    session.run("python", "-m", "pytest", "shared_tests", *args, *session.posargs, env=run_env)


def _concurrently(session: nox.Session, runs: list[tuple[str, list[str]]], env: dict[str, str] | None = None,
                  tolerate: bool = False) -> None:  # fmt: skip
    """`python ARGS` in this venv per (label, ARGS), two at a time (harness/concurrent.py: no verdict changes), on
    DATABASE_URL unless `env` overrides it; the session fails if any does, unless `tolerate` (compare: records tell)."""
    venv = {"PATH": session.bin + os.pathsep + os.environ["PATH"], "VIRTUAL_ENV": session.virtualenv.location,
            "DATABASE_URL": os.environ.get("DATABASE_URL", "")}  # fmt: skip
    jobs = [concurrent.Job(label, [f"{session.bin}/python", *args], {**venv, **(env or {})}) for label, args in runs]
    if (failed := concurrent.run(jobs)) and not tolerate:
        session.error(f"failed: {'; '.join(failed)}")
    elif failed:
        session.warn(f"exited non-zero (their records say what failed): {'; '.join(failed)}")


def _suites(session: nox.Session, groups: list[tuple[list[str], tuple[str, ...]]], database_url: str | None) -> None:
    """Contract suites of (variants, pytest args) on one database, with the session's posargs, `_concurrently`."""
    _concurrently(session, [(", ".join(v), ["-m", "pytest", "shared_tests", *(f"--variant={n}" for n in v), *extra,
                                            *session.posargs]) for v, extra in groups],
                  {"DATABASE_URL": database_url or ""})  # fmt: skip


def _suite_in_parts(session: nox.Session, record: Path, matrix: Path | None, publish: bool, *extra: str,
                    groups: tuple[list[str], list[str]] = (MEASURED_VARIANTS, OBSERVING_VARIANTS)) -> None:  # fmt: skip
    """The (measured, observing) variants' suites in parts two at a time, joined into `record` and `matrix`."""
    folder = PATHS.parts(record)
    shutil.rmtree(folder, ignore_errors=True)  # a part left by an earlier run must not join this one
    runs = compare_plan.suite_parts(*groups, folder, publish, extra)
    _concurrently(session, runs, tolerate=True)
    outputs = ["--contract", str(record), *(["--matrix", str(matrix)] if matrix else [])]
    session.run("python", "-m", "harness.parts", str(folder), "--labels", *(label for label, _ in runs), *outputs)


@nox.session(tags=["tests"])
def lint(session: nox.Session) -> None:
    """Ruff lint and format check, and mypy over harness/, benchmarks/ and report/ ([tool.mypy] in pyproject.toml)."""
    _sync(session, "lint", "backends", "suite", "bench", "fuzz", "report")  # mypy checks calls into the libraries
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(tags=["tests"])
def suite_sqlite(session: nox.Session) -> None:
    """The contract suite on SQLite: the default variants, and every other too when no PostgreSQL is set."""
    _sync(session, "backends", "suite")
    variants = [v for v in (DEFAULT_VARIANTS if compare_plan.postgres_url() else VARIANTS) if v not in OWN_ENV_VARIANTS]
    where = "; the hardened ones run on PostgreSQL" if compare_plan.postgres_url() else ""
    session.log(f"{len(variants)} variants on SQLite{where}; smoke cases of {', '.join(OWN_ENV_VARIANTS)}")
    _suites(session, [*((p, QUICK_SUITE) for p in concurrent.split(variants)), (OWN_ENV_VARIANTS, ("-k", SMOKE))], None)


@nox.session(tags=["tests"])
def suite_postgres(session: nox.Session) -> None:
    """The hardened (and observation-only) variants' suite on the PostgreSQL of DATABASE_URL; skips without one."""
    database_url = compare_plan.postgres_url()
    if not database_url:
        session.skip(f"DATABASE_URL names no PostgreSQL database: SQLite only (set e.g. DATABASE_URL={POSTGRES_HINT})")
    _sync(session, "backends", "suite")
    session.log(f"{len(HARDENED_VARIANTS)} variants on PostgreSQL; the defaults run on SQLite (all: nox -s compare)")
    _suites(session, [(part, QUICK_SUITE) for part in concurrent.split(HARDENED_VARIANTS)], database_url)


@nox.session(tags=["tests"])
def harness_tests(session: nox.Session) -> None:
    """Self-tests: fake variants the suite must catch, manifest checks, uv.lock, the report package (report_tests/)."""
    _sync(session, "backends", "suite", "bench", "fuzz", "tools", "report")
    # The flip sweep (one long suite over three variants) beside the rest: about half the time on two cores.
    sweep = ["-m", "pytest", "harness_tests/test_every_claim_can_fail.py"]
    rest = ["-m", "pytest", "harness_tests", "report_tests", "--ignore=harness_tests/test_every_claim_can_fail.py"]
    _concurrently(session, [("the flip sweep", sweep), ("the other self-tests", rest)])


@nox.session(tags=["tests"])
def fuzz_quick(session: nox.Session) -> None:
    """A quick schemathesis pass over every measured variant's contract operations (results/fuzz-quick)."""
    _sync(session, "backends", "suite", "fuzz")
    _concurrently(session, compare_plan.fuzz_parts(MEASURED_VARIANTS, PATHS.fuzz_quick, False))


@nox.session(tags=["tests"])
def bench_tests(session: nox.Session) -> None:
    """Benchmark pipeline tests: a quick bench and report, Locust's distributed modes and --host, the me profile."""
    _sync(session, "backends", "suite", "bench", "report")
    session.run("python", "-m", "pytest", *sorted(glob.glob("benchmarks/test_*.py")))


@nox.session(tags=["tests"])
def browser(session: nox.Session) -> None:
    """Browser tests: each variant's pages and forms, and the HTML report's need filter, in headless Chromium."""
    _sync(session, "backends", "suite", "browser", "report")
    session.run("python", "-m", "pytest", "browser_tests", "-ra")


@nox.session(python=False, requires=TEST_PARTS)
def tests(session: nox.Session) -> None:
    """All the tests: the parts it requires (lint, suites, self-tests, quick pipelines, browser), each must pass."""
    session.log(f"all parts passed or skipped: {', '.join(TEST_PARTS)}")


@nox.session
@nox.parametrize("variant", VARIANT_PARAMS)
def contract(session: nox.Session, variant: str) -> None:
    """Contract suite for one variant, on DATABASE_URL or SQLite (pytest args after --)."""
    _sync(session, "backends", "suite")
    _pytest(session, variant)


def _on_next_django(session: nox.Session) -> None:
    """This session's venv: the locked tree with the one departure the compat sessions exist for, Django 6.1."""
    if not COMPAT_PYTHON:
        session.skip("Django 6.1 needs Python >= 3.12 and none was found on PATH or under pyenv")
    _sync(session, "backends", "suite")
    session.log(f"overriding the locked Django with {COMPAT_DJANGO}")
    session.install(COMPAT_DJANGO)


@nox.session(python=COMPAT_PYTHON)
@nox.parametrize("variant", VARIANT_PARAMS)
def compat(session: nox.Session, variant: str) -> None:
    """The whole suite for one variant on Django 6.1 (needs Python >= 3.12; pytest args after --)."""
    if variant in OWN_ENV_VARIANTS:
        session.skip(f"{variant} runs in its own environment (manifest [environment]): no Django override reaches it")
    _on_next_django(session)
    _pytest(session, variant, per_variant(PATHS.compat, variant), env={OVERRIDES_ENV: COMPAT_DJANGO})


@nox.session(python=COMPAT_PYTHON, default=False)
def compat_all(session: nox.Session) -> None:
    """compare's Django 6.1 phase: the measured variants' core modules, two at a time (-- --publish: every suite)."""
    (measured, observing, _), publish = _only(session), "--publish" in session.posargs  # compare's posargs reach it
    shutil.rmtree(PATHS.compat, ignore_errors=True)  # only this run's records are published, none if it skips
    _on_next_django(session)
    variants = [v for v in (measured + observing if publish else measured) if v not in OWN_ENV_VARIANTS]
    _concurrently(session, compare_plan.compat_runs(variants, PATHS.compat, None if publish else SMOKE),
                  {OVERRIDES_ENV: COMPAT_DJANGO})  # fmt: skip


@nox.session(default=False)
@nox.parametrize("variant", SERVE_PARAMS)
def serve(session: nox.Session, variant: str) -> None:
    """Serve one variant on 127.0.0.1 with a persistent SQLite database until stopped (-- --port N, default 8000)."""
    _sync(session, "backends", "suite")
    session.run("python", "-m", "harness.serve", variant, *session.posargs)


@nox.session(default=False)
def security(session: nox.Session) -> None:
    """Full security run: 1,000-input fuzzing, posture battery, races, a 5-minute soak and the DB fault."""
    _sync(session, "backends", "suite", "fuzz")
    _concurrently(session, compare_plan.fuzz_parts(MEASURED_VARIANTS, PATHS.fuzz, publish=True))
    _suite_in_parts(session, PATHS.security, None, True, "-m", "posture or robustness")


@nox.session(tags=["tests"])
def history_smoke(session: nox.Session) -> None:
    """The smoke cases against the newest earlier release of each library, each in a venv of its own (SQLite)."""
    _sync(session, "backends", "suite")
    session.run("python", "-m", "harness.history", "--smoke", "-k", SMOKE, *session.posargs, env={"DATABASE_URL": ""})


@nox.session(default=False)
@nox.parametrize("variant", [nox.param(v, id=v) for v in MEASURED_VARIANTS])  # no tag: `nox -t` stays short
def history(session: nox.Session, variant: str) -> None:
    """The suite against earlier releases of the variant's libraries, each in a venv of its own (results/history/)."""
    _sync(session, "backends", "suite")
    session.run("python", "-m", "harness.history", "--variant", variant, *session.posargs)


@nox.session(default=False)
def upgrade_bench(session: nox.Session) -> None:
    """What each upgrade step costs in me and login_fast: one benchmark run per release (results/upgrade-bench/)."""
    _sync(session, "backends", "suite", "bench")
    session.run("python", "-m", "benchmarks.releases", *session.posargs)


@nox.session(default=False)
@nox.parametrize("variant", MEASURED_PARAMS)
def bench(session: nox.Session, variant: str) -> None:
    """Locust benchmarks of one variant against the hash limit and baselines (-- --quick, --duration …)."""
    _sync(session, "backends", "suite", "bench")
    session.run("python", "-m", "benchmarks.run", "--variant", variant, *session.posargs)


def _only(session: nox.Session) -> tuple[list[str], list[str], list[str]]:
    """compare's `-- --only BACKEND ...`: its measured and observation-only variants (all without it), other posargs."""
    try:
        selected, rest = compare_plan.only(list(session.posargs), {n: m.backend for n, m in MANIFESTS.items()})
    except ValueError as exc:
        session.error(str(exc))
    return [v for v in MEASURED_VARIANTS if v in selected], [v for v in OBSERVING_VARIANTS if v in selected], rest


def _log_phase(session: nox.Session, phases: list[tuple[str, float]], number: int, note: str = "") -> None:
    session.log(compare_plan.phase_line(phases, number, (time.monotonic() - STARTED) / 60, note))


@nox.session(default=False, requires=["compat_all"])
def compare(session: nox.Session) -> None:
    """The main job: contract, matrix, posture, Django 6.1 compat, benchmarks (-- runner options), the report."""
    measured, observing, rest = _only(session)
    bench_options, publish = compare_plan.bench_options(rest, PATHS.contract)
    phases = compare_plan.phases(len(measured) + len(observing), len(measured), quick=not publish)
    _log_phase(session, phases, 1, note="finished by the required compat_all session")
    _sync(session, "backends", "suite", "bench", "fuzz", "report")
    _log_phase(session, phases, 2)
    _suite_in_parts(session, PATHS.contract, PATHS.matrix, publish, groups=(measured, observing))  # --publish: soak
    _log_phase(session, phases, 3)
    shutil.rmtree(PATHS.fuzz, ignore_errors=True)  # only this run's fuzz is published, and none joins the first report
    for first in (["report.export", *compare_plan.first_report_args()], ["report"]):  # the verdict before the figures
        session.run("python", "-m", *first, success_codes=(0, 1, 2))  # the final report decides; this one may fail
    _log_phase(session, phases, 4, note=compare_plan.FIRST_REPORT_NOTE)
    _concurrently(session, compare_plan.fuzz_parts(measured, PATHS.fuzz, publish), tolerate=True)
    _log_phase(session, phases, 5)
    session.run("python", "-m", "benchmarks.run", "--variant", *measured, *bench_options, success_codes=(0, 1))
    _log_phase(session, phases, 6, note="" if publish else "skipped with phase 7: no profile, no curves when quick")
    for stale in (PATHS.work_summary, PATHS.profile_summary) if publish else ():  # only this run's are published
        stale.unlink(missing_ok=True)
    if publish:  # where `me`'s time goes; what each curve scenario's requests do at the curves' ends
        session.run("python", "-m", "benchmarks.profile_me", "--variant", *measured, success_codes=(0, 1))
        _log_phase(session, phases, 7)
        session.run("python", "-m", "benchmarks.work", "--variant", *measured, success_codes=(0, 1))
    _log_phase(session, phases, 8)
    session.run("python", "-m", "report.export", *compare_plan.export_args(publish, bench_options))
    session.run("python", "-m", "report")  # every page, from report/data alone
    session.log(f"compare done in {(time.monotonic() - STARTED) / 60:.0f} min")


@nox.session(default=False)
def choose(session: nox.Session) -> None:
    """Which variant meets these needs, from report/data (-- --need ID[=VALUE] ...; no server is started)."""
    _sync(session, "report")
    session.run("python", "-m", "report.choose", *session.posargs)
