"""Result records: where each one lives, the schema id it declares, the header it starts with, its shape.

Every writer (the pytest recorder, `harness.fuzz`, `benchmarks.run`, `benchmarks.profile_me`, the browser
tests' screenshots) and every reader (`report.export`, which publishes them into `report/data/` for the report
package, `benchmarks.amend`, the noxfile) takes paths and schema ids from here, so a record is named and described
once. The header pins what was measured (schema, git commit, time, harness Python, machine); each record adds its
own keys to it, so a result file explains itself without the machine it came from. Standard library only: the
noxfile imports this before any virtualenv exists.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from harness.manifest import REPO_ROOT

OVERRIDES_ENV = "AUTHCMP_OVERRIDES"


class Schema(StrEnum):
    """The schema id each record's header declares; bump the number when a record's shape changes."""

    CONTRACT = "authcmp.contract/1"  # contract.json, compat/<variant>.json, security.json
    MATRIX = "authcmp.matrix/1"
    FUZZ = "authcmp.fuzz/1"
    BENCH = "authcmp.bench/1"
    PROFILE = "authcmp.profile/2"  # 2: the common header, with requests, rounds and logins in it
    UPGRADE = "authcmp.upgrade/1"  # upgrade/<from>__<to>.json (harness/upgrade.py)


@dataclass(frozen=True)
class ResultPaths:
    """Every record's place under one results folder (git-ignored), and the rendered report's."""

    root: Path
    report: Path

    @property
    def contract(self) -> Path:
        return self.root / "contract.json"

    @property
    def matrix(self) -> Path:
        return self.root / "matrix.json"

    @property
    def compat(self) -> Path:
        """Folder of `<variant>.json`: the contract suite on the next Django, one record per variant."""
        return self.root / "compat"

    @property
    def security(self) -> Path:
        return self.root / "security.json"

    def parts(self, record: Path) -> Path:
        """Folder of the parts a suite record is joined from (harness/parts.py): `contract-parts/` for contract.json."""
        return record.with_name(f"{record.stem}-parts")

    @property
    def history(self) -> Path:
        """Folder of `<variant>/<package>-<version>.json`: the suite against an earlier release (harness/history.py)."""
        return self.root / "history"

    @property
    def history_smoke(self) -> Path:
        """The same for the tests session's smoke of one earlier release per library (`--smoke`)."""
        return self.root / "history-smoke"

    @property
    def upgrade(self) -> Path:
        """Folder of `<from>__<to>.json`: what one upgrade step changes (harness/upgrade.py)."""
        return self.root / "upgrade"

    @property
    def upgrade_bench(self) -> Path:
        """Folder of `<variant>__<label>.json`: a benchmark summary of one release (benchmarks/releases.py)."""
        return self.root / "upgrade-bench"

    @property
    def fuzz(self) -> Path:
        """Folder of `<variant>.json`, one fuzz record per variant (the report reads this one)."""
        return self.root / "fuzz"

    @property
    def fuzz_quick(self) -> Path:
        """The self-test's quick fuzz, kept apart so it never stands in for the comparison's run."""
        return self.root / "fuzz-quick"

    @property
    def bench(self) -> Path:
        """Folder of benchmark runs, `<run-id>/summary.json` each, and `latest` pointing at the newest."""
        return self.root / "bench"

    @property
    def bench_latest(self) -> Path:
        return summary_in(self.bench / "latest")

    @property
    def study_latest(self) -> Path:
        """A studies-only benchmark run (`benchmarks.run --curves --out results/study`), published as `study`."""
        return summary_in(self.root / "study" / "latest")

    @property
    def profile(self) -> Path:
        """Folder of `benchmarks.profile_me`'s record."""
        return self.root / "profile"

    @property
    def profile_summary(self) -> Path:
        return self.profile / "summary.json"

    @property
    def screenshots(self) -> Path:
        return self.root / "screenshots"


PATHS = ResultPaths(root=REPO_ROOT / "results", report=REPO_ROOT / "report" / "COMPARISON.md")
LATEST = "latest"  # the symlink in a benchmark folder that names its newest run


def summary_in(run_dir: Path) -> Path:
    """The record a run keeps inside its folder: a benchmark run's, the profile's."""
    return run_dir / "summary.json"


def per_variant(folder: Path, variant: str) -> Path:
    """A record kept one file per variant (compat, fuzz)."""
    return folder / f"{variant}.json"


class Machine(TypedDict):
    cpu_count: int
    cpu_model: str
    system: str


class Header(TypedDict):
    """What every record's header holds; each record's own header adds its keys."""

    schema: str
    generated: str
    git_commit: str
    harness_python: str
    machine: Machine
    overrides: list[str]  # pins a session installs over uv.lock on purpose (the compat sessions' Django)


class ContractHeader(Header):
    database: str
    profile: str
    base_url: str | None


class ContractRecord(TypedDict):
    """contract.json, security.json, compat/<variant>.json: per variant its health and every test's outcome."""

    header: ContractHeader
    variants: dict[str, dict[str, Any]]


class MatrixRecord(TypedDict):
    """matrix.json: per variant its versions and each capability's claim and observation."""

    header: ContractHeader
    variants: dict[str, dict[str, Any]]


class FuzzHeader(Header):
    schemathesis: str | None
    max_examples: int
    seed: int | None
    database: str
    profile: str


class FuzzRecord(TypedDict):
    """fuzz/<variant>.json: what schemathesis sent to each operation and the 5xx it met; `error` if it could not."""

    header: FuzzHeader
    variant: str
    error: NotRequired[str]
    library: NotRequired[str]
    manifest: NotRequired[str]
    health: NotRequired[dict[str, Any]]
    elapsed_seconds: NotRequired[float]
    posture: NotRequired[dict[str, Any]]
    not_in_schema: NotRequired[list[str]]
    credential_passes: NotRequired[dict[str, str]]
    operations: NotRequired[dict[str, dict[str, Any]]]
    server_exceptions: NotRequired[dict[str, dict[str, int]]]


class BenchHeader(Header):
    run_id: str
    database: str
    host: str | None
    quick: bool
    server: dict[str, Any]
    load: dict[str, Any]
    seeded_users: int
    ip_rate_limits: str
    profiles: dict[str, str]
    command: list[str]
    pinning: NotRequired[dict[str, Any]]
    stack: NotRequired[dict[str, Any]]
    amendments: NotRequired[list[dict[str, Any]]]
    # The decision rules' thresholds (benchmarks/rules.py): generator_busy, spread_bound, max_runs, open_loop_short,
    # growth_tolerance.
    rules: NotRequired[dict[str, Any]]
    # Where the database server ran: kind (sqlite/postgresql), placement (pinned with the served variant or why
    # not), cpus, postmasters; its CPU use per run is in each run's `cpu.database`.
    database_server: NotRequired[dict[str, Any]]
    # The load generator's limit, measured once (benchmarks/calibrate.py): status, scenario, processes,
    # generator_max_rps, generator_bound, tries (rps, generator and server cores, busiest Locust process).
    calibration: NotRequired[dict[str, Any]]


class BenchFigure(TypedDict, total=False):
    """One measured figure (variants.<v>.scenarios.<s>, and each point of `scale` and `curves`): the median of
    its judged runs. The fields the measurement-trust rules add (issue #18) are listed here."""

    status: str  # measured | skipped | error
    rps: float
    p50: float | None
    p95: float | None
    p99: float | None
    runs: list[dict[str, Any]]  # the judged runs, each with `cpu` (below) and `generator_bound`
    earlier_runs: list[dict[str, Any]]  # runs the spread rule replaced by later ones
    spread_max_deviation_pct: float | None  # the judged run furthest from the median, in % (None: one run)
    spread_exceeded: bool  # the judged runs still spread beyond rules.spread_bound after max_runs
    generator_bound: bool | None  # some run's Locust was above rules.generator_busy (None: not measured)
    usable_for_ratio: bool  # False when generator-bound: no ratio uses it
    # Median over the runs per process tree (generator, server, database): cores (CPU seconds per second) and
    # busiest_process (share of one core of the busiest process).
    cpu: dict[str, dict[str, float]] | None
    ratio: dict[str, Any]  # to, value, usable, reason (when value is None)
    # --open-loop: capacity_rps, steps [{load, target_rps, users, rps, p50, p95, p99, short, generator_bound, cpu}]
    open_loop: dict[str, Any]


class BenchSummary(TypedDict):
    """bench/<run-id>/summary.json: the run's hash limit, the scenarios it ran, per variant their figures."""

    header: BenchHeader
    hash_limit: dict[str, Any] | None
    scenarios: dict[str, dict[str, Any]]
    variants: dict[str, dict[str, Any]]
    scale: NotRequired[dict[str, Any]]
    # --curves (benchmarks/curves.py): scenarios, accounts, credentials, prune_commands, and per variant
    # accounts/credentials -> point -> {seed or logins, credentials_before/after (live, account, stored per table),
    # scenarios -> BenchFigure}, prune -> command -> {seconds, before, after}, growth -> axis -> scenario ->
    # {ms_per_request, p50: rules.growth (class, fitted_change, loglog_slope, fit), generator_bound_points}.
    curves: NotRequired[dict[str, Any]]
    # Per baseline scenario: rps_by_variant, median, deviation_pct, exceeded (rules.baseline_agreement: the same
    # endpoint under every variant must agree within the spread bound, else the run is marked).
    baseline_agreement: NotRequired[dict[str, Any]]


class ProfileHeader(Header):
    requests: int  # per round
    rounds: int  # unprofiled rounds, the median kept
    logins: int  # of the profiled account before its SQL statements are counted again


class ProfileSummary(TypedDict):
    """profile/summary.json: per variant where `me`'s time goes beyond `baseline_drf`, in process."""

    header: ProfileHeader
    variants: dict[str, dict[str, Any]]


def header(schema: Schema) -> Header:
    """The part of the header every record shares; writers add their own keys (`{**header(...), ...}`)."""
    return {
        "schema": str(schema),
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "harness_python": platform.python_version(),
        "machine": {"cpu_count": _cpu_count(), "cpu_model": _cpu_model(), "system": platform.platform()},
        "overrides": overrides(),
    }


def overrides() -> list[str]:
    """The requirements a nox session installed over the locked versions, as it declares them in
    AUTHCMP_OVERRIDES (space-separated, e.g. "django==6.1.3"); empty for a run of exactly uv.lock."""
    return os.environ.get(OVERRIDES_ENV, "").split()


def write_record(path: Path, record: Any) -> Path:
    """The one way a record is written: its folder made, indented JSON, non-ASCII text kept as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return path


def read_record(path: Path, schema: Schema) -> Any:
    """A record, refused with the reason when its header declares another schema (an old or foreign file)."""
    record = json.loads(path.read_text())
    found = (record.get("header") or {}).get("schema") if isinstance(record, dict) else None
    if found != schema:
        raise ValueError(f"{path}: declares schema {found!r}, expected {str(schema)!r}")
    return record


# `git archive` writes the commit into this file (.gitattributes: export-subst), so a clean snapshot, which has no
# .git, still names what it measured.
ARCHIVED_COMMIT = Path(__file__).with_name("ARCHIVED_COMMIT")


def git_commit() -> str:
    archived = ARCHIVED_COMMIT.read_text().strip() if ARCHIVED_COMMIT.exists() else ""
    if re.fullmatch(r"[0-9a-f]{40}", archived):
        return archived + " (git archive snapshot)"
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO_ROOT, capture_output=True, text=True)
        return sha + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
