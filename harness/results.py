"""Machine-readable results: a pytest plugin that records every contract test per variant, with a header.

The header pins what was measured (git commit, time, harness Python, database, profile) and each variant
carries the health report its server gave (library versions, Django, Python, hasher, database version), so
a result file explains itself without the machine it came from. The report renderer only reads these files.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness.capabilities import declared
from harness.manifest import REPO_ROOT, Manifest, display_path
from harness.server import Server, redact

SCHEMA = "authcmp.contract/1"
MATRIX_SCHEMA = "authcmp.matrix/1"


def git_commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=REPO_ROOT, capture_output=True, text=True)
        return sha + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def header(kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "schema": kind,
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "harness_python": platform.python_version(),
        "machine": {"cpu_count": _cpu_count(), "cpu_model": _cpu_model(), "system": platform.platform()},
        **extra,
    }


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def test_key(nodeid: str, variant: str) -> str:
    """The node id without the variant parameter: the same key names the same case for every variant."""
    for pattern, repl in ((f"[{variant}-", "["), (f"-{variant}]", "]"), (f"[{variant}]", "")):
        nodeid = nodeid.replace(pattern, repl)
    return nodeid


class ResultsRecorder:
    """Collects each test's outcome per variant and writes them to --results-json at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self.path = Path(config.getoption("--results-json"))
        matrix = config.getoption("--matrix-json")
        self.matrix_path = Path(matrix) if matrix else None
        self.database = redact(config.getoption("--database-url") or "sqlite")
        self.profile = config.getoption("--profile")
        self.base_url = config.getoption("--base-url")
        self.variants: dict[str, dict[str, Any]] = {}

    def add_variant(self, manifest: Manifest, server: Server) -> None:
        entry = self._entry(manifest)
        entry["health"] = server.health

    def _entry(self, manifest: Manifest) -> dict[str, Any]:
        return self.variants.setdefault(
            manifest.variant,
            {"library": manifest.library, "manifest": display_path(manifest.path), "tests": {}},
        )

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):
        report = yield
        manifest = getattr(item, "callspec", None) and item.callspec.params.get("manifest")
        if not isinstance(manifest, Manifest) or (report.when != "call" and report.passed):
            return report
        outcome = "xfailed" if hasattr(report, "wasxfail") and report.skipped else report.outcome
        if hasattr(report, "wasxfail") and report.passed:
            outcome = "xpassed"
        marker = item.get_closest_marker("operation")
        for name, entry in report.user_properties:
            if name == "capability":
                self._capability(manifest, entry, item.nodeid)
            elif name == "posture":
                self._entry(manifest).setdefault("posture", {})[entry["id"]] = {**entry, "test": item.nodeid}
        self._entry(manifest)["tests"][test_key(item.nodeid, manifest.variant)] = {
            "nodeid": item.nodeid,
            "operation": marker.args[0] if marker else None,
            "outcome": outcome,
            "phase": report.when,
            "message": _message(report),
        }
        return report

    def _capability(self, manifest: Manifest, observed: dict[str, Any], nodeid: str) -> None:
        claim = declared(manifest, observed["id"])
        self._entry(manifest).setdefault("capabilities", {})[observed["id"]] = {
            "declared": observed["declared"],
            "observed": observed["observed"],
            "test": nodeid,
            "setting": claim.get("setting"),
            "note": claim.get("note") or claim.get("reason"),
            "evidence": observed["evidence"],
        }

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        head = header(SCHEMA, database=self.database, profile=self.profile, base_url=self.base_url)
        _write(self.path, {"header": head, "variants": self.variants})
        if self.matrix_path:
            matrix = {
                name: {
                    "versions": (entry.get("health") or {}).get("versions", {}),
                    "python": (entry.get("health") or {}).get("python"),
                    "hasher": (entry.get("health") or {}).get("hasher"),
                    "database": (entry.get("health") or {}).get("database"),
                    "capabilities": entry.get("capabilities", {}),
                }
                for name, entry in self.variants.items()
            }
            _write(self.matrix_path, {"header": {**head, "schema": MATRIX_SCHEMA}, "variants": matrix})


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def _message(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return report.wasxfail
    if report.passed:
        return ""
    crash = getattr(report.longrepr, "reprcrash", None)
    return (crash.message if crash else str(report.longrepr))[:1000]
