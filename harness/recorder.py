"""The pytest plugin that records every contract test per variant: `--results-json` and `--matrix-json`.

Each variant carries the health report its server gave (library versions, Django, Python, hasher, database
version) next to its tests' outcomes, its capability observations and its posture findings; the records'
paths, schema ids and header come from `harness.results`. The report renderer only reads these files.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from harness.capabilities import declared, flip_target
from harness.manifest import Manifest, display_path
from harness.records import ContractHeader, ContractRecord, MatrixRecord
from harness.results import Schema, header, write_record
from harness.server import Server, redact


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
        self.profile: str = config.getoption("--profile")
        self.base_url: str | None = config.getoption("--base-url")
        # Which cases ran (`-k`, `-m`): a record of the smoke cases must not read as the whole suite's.
        self.selection = {"keyword": config.option.keyword or None, "markers": config.option.markexpr or None}
        self.variants: dict[str, dict[str, Any]] = {}

    def add_variant(self, manifest: Manifest, server: Server) -> None:
        entry = self._entry(manifest)
        entry["health"] = server.health

    def add_settings_reads(self, manifest: Manifest, reads: dict[str, Any]) -> None:
        """The settings (and namespace-dict keys) the variant's server defined but never read during the run."""
        self._entry(manifest)["settings_reads"] = reads

    def _entry(self, manifest: Manifest) -> dict[str, Any]:
        return self.variants.setdefault(
            manifest.variant,
            {
                "library": manifest.library,
                "manifest": display_path(manifest.path),
                "hardens": manifest.hardens,
                "observes": manifest.observes,
                "tests": {},
            },
        )

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        callspec = getattr(item, "callspec", None)
        manifest = callspec.params.get("manifest") if callspec else None
        if not isinstance(manifest, Manifest) or (report.when != "call" and report.passed):
            return report
        outcome = _outcome(report)
        marker = item.get_closest_marker("operation")
        for name, entry in report.user_properties:
            if not isinstance(entry, dict):
                continue  # only the capability and posture fixtures record here, always a dict
            if name == "capability":
                self._capability(manifest, entry, item.nodeid)
            elif name == "posture":
                self._entry(manifest).setdefault("posture", {})[entry["id"]] = {**entry, "test": item.nodeid}
        self._entry(manifest)["tests"][test_key(item.nodeid, manifest.variant)] = {
            "nodeid": item.nodeid,
            "operation": marker.args[0] if marker else None,
            "area": _area(item),
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
            # where the setting is flipped, and what that variant declares when the flip did not happen
            "flips_in": flip_target(manifest, observed["id"]),
            "finding": claim.get("finding"),
            "unverified": claim.get("unverified"),
            "note": claim.get("note") or claim.get("reason"),
            "evidence": observed["evidence"],
        }

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        head: ContractHeader = {
            **header(Schema.CONTRACT), "database": self.database, "profile": self.profile, "base_url": self.base_url,
            "selection": self.selection,
        }  # fmt: skip
        record: ContractRecord = {"header": head, "variants": self.variants}
        write_record(self.path, record)
        if self.matrix_path:
            matrix: MatrixRecord = {
                "header": {**head, "schema": str(Schema.MATRIX)},
                "variants": {name: _matrix_entry(entry) for name, entry in self.variants.items()},
            }
            write_record(self.matrix_path, matrix)


def _matrix_entry(entry: dict[str, Any]) -> dict[str, Any]:
    health = entry.get("health") or {}
    return {
        "versions": health.get("versions", {}),
        "python": health.get("python"),
        "hasher": health.get("hasher"),
        "database": health.get("database"),
        "hardens": entry.get("hardens"),
        "observes": entry.get("observes"),
        "capabilities": entry.get("capabilities", {}),
    }


def _outcome(report: pytest.TestReport) -> str:
    """pytest's outcome, with a declared deviation's strict xfail told apart from a skip."""
    if hasattr(report, "wasxfail") and report.skipped:
        return "xfailed"
    if hasattr(report, "wasxfail") and report.passed:
        return "xpassed"
    return report.outcome


def _area(item: pytest.Item) -> str:
    """What kind of case a test is, for the report's rows: robustness, posture, capability or contract."""
    for marker in ("robustness", "posture"):
        if item.get_closest_marker(marker):
            return marker
    return "capability" if "capability" in getattr(item, "fixturenames", ()) else "contract"


def _message(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return str(report.wasxfail)
    if report.passed:
        return ""
    if report.skipped and isinstance(report.longrepr, tuple):
        # (path, line, "Skipped: reason"): the reason, and where, relative to the repository
        path, line, reason = report.longrepr
        return f"{reason.removeprefix('Skipped: ')} ({display_path(Path(path))}:{line})"[:1000]
    crash = getattr(report.longrepr, "reprcrash", None)
    return (crash.message if crash else str(report.longrepr))[:1000]
