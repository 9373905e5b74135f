"""`--curve-axes`: a run that measures one cost-curve axis alone measures that axis only, and says so in its record.

The report joins cost curves per variant and axis (`report.data.joined`), so a re-measure of one axis must leave
the other empty (no points, no fit, no pruning run) rather than carry a one-point stand-in that would replace the
published axis. The sweeps are replaced by recorders: this checks what the runner asks for, not a server.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from benchmarks import curves
from benchmarks.config import parse_args
from benchmarks.progress import Progress


def _config(*extra: str) -> Any:
    return parse_args(["--variant", "knox-token", "--curves", "--curve-accounts", "1000", "1000000", *extra])


def test_both_axes_are_measured_unless_one_is_named() -> None:
    assert _config().curve_axes == ("accounts", "credentials")
    args = _config("--curve-axes", "accounts")
    assert args.curve_axes == ("accounts",)
    described = curves.describe(args)
    assert described["accounts"] == [1000, 1000000] and described["credentials"] == []
    # Two points and the first again after the last (A-B-A), each with the yardstick.
    assert curves.planned_runs(args) == (len(curves.SCENARIO_NAMES) + 1) * 3 * args.repeat
    with pytest.raises(SystemExit):
        _config("--curve-axes", "sessions")


def test_a_sqlite_url_is_refused_since_every_server_would_share_its_file(capsys: pytest.CaptureFixture[str]) -> None:
    """A run's servers each get a fresh database; an explicit SQLite URL is kept as it is by the harness, so the
    accounts axis, its point measured again and every variant would meet what the others left in one file."""
    with pytest.raises(SystemExit):
        _config("--database-url", "sqlite:////tmp/shared.sqlite3")
    assert "fresh SQLite file of its own when it is unset" in capsys.readouterr().err
    assert _config("--database-url", "postgres://db/test").database_url == "postgres://db/test"


def test_a_run_of_one_axis_sweeps_that_axis_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    swept: list[str] = []

    @contextmanager
    def no_server(*_: Any) -> Iterator[Any]:
        yield type("Server", (), {"health": {}})()

    def sweep(axis: str) -> Any:
        def record_point(*call: Any) -> None:
            swept.append(axis)
            record: dict[str, Any] = next(arg for arg in call if isinstance(arg, dict) and axis in arg)
            record[axis]["1000"] = {"scenarios": {}}

        return record_point

    monkeypatch.setattr(curves, "_server", no_server)
    monkeypatch.setattr(curves, "_accounts", sweep("accounts"))
    monkeypatch.setattr(curves, "_credentials", sweep("credentials"))
    args = _config("--curve-axes", "accounts")
    record = curves.measure_variant(args.variants[0], args, tmp_path, Progress(1, 1.0, 1), {})
    assert swept == ["accounts"]
    assert record["credentials"] == {} and record["prune"] == {} and list(record["growth"]) == ["accounts"]
    swept.clear()
    both = _config()
    assert list(curves.measure_variant(both.variants[0], both, tmp_path, Progress(1, 1.0, 1), {})["growth"]) == [
        "accounts",
        "credentials",
    ]
    assert swept == ["accounts", "credentials"]
