"""Result records: where each one lives, the schema id it declares, the header it starts with.

Every writer (the pytest recorder, `harness.fuzz`, `benchmarks.run`, `benchmarks.profile_me`, the browser
tests' screenshots) and every reader (`report.export`, which publishes them into `report/data/` for the report
package, `benchmarks.amend`, the noxfile) takes paths and schema ids from here, so a record is named and described
once; the typed shape of each record is in `harness/records.py`. The header pins what was measured (schema, git
commit, time, harness Python, machine); each record adds its own keys to it, so a result file explains itself
without the machine it came from. Standard library only: the noxfile imports this before any virtualenv exists.
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
from typing import Any

from harness.manifest import REPO_ROOT
from harness.records import Header

OVERRIDES_ENV = "AUTHCMP_OVERRIDES"


class Schema(StrEnum):
    """The schema id each record's header declares; bump the number when a record's shape changes."""

    CONTRACT = "authcmp.contract/1"  # contract.json, compat/<variant>.json, security.json
    MATRIX = "authcmp.matrix/1"
    FUZZ = "authcmp.fuzz/1"
    BENCH = "authcmp.bench/1"
    PROFILE = "authcmp.profile/2"  # 2: the common header, with requests, rounds and logins in it
    UPGRADE = "authcmp.upgrade/1"  # upgrade/<from>__<to>.json (harness/upgrade.py)
    WORK = "authcmp.work/1"  # work/summary.json: statements and rows per request along the cost curves


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
    def study_2_latest(self) -> Path:
        """A second studies-only run (`--out results/study-2`), of variants the first did not reach: `study_2`."""
        return summary_in(self.root / "study-2" / "latest")

    @property
    def study_3_latest(self) -> Path:
        """A third studies-only run (`--out results/study-3`), of one curve axis measured again: `study_3`."""
        return summary_in(self.root / "study-3" / "latest")

    @property
    def profile(self) -> Path:
        """Folder of `benchmarks.profile_me`'s record."""
        return self.root / "profile"

    @property
    def profile_summary(self) -> Path:
        return self.profile / "summary.json"

    @property
    def work_summary(self) -> Path:
        """`benchmarks.work`'s record: SQL statements and rows read per request at each cost-curve point."""
        return summary_in(self.root / "work")

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
