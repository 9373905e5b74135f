"""The measurement-trust pieces wired into the runner (issue #18), with Locust replaced by recorded figures.

The rules themselves are tested in `test_rules.py`; here each is checked where the runner applies it: a scenario
whose runs spread 6 % is run again up to `--max-runs` and then marked, a generator-bound figure gets no ratio, an
open-loop step short of its rate is marked, the cost curves fit each axis. Two cases start real processes: the
benchmark server writes no access log, and a local PostgreSQL is pinned for a run and put back afterwards.
`pytest benchmarks/test_trust.py` (seconds; the PostgreSQL case needs DATABASE_URL or the local default).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import requests

from benchmarks import calibrate, cpu, curves, measure, openloop
from benchmarks.config import parse_args
from benchmarks.progress import Progress
from benchmarks.run import add_ratios
from harness.manifest import load
from harness.server import run_server

VARIANT = "knox-token"


def recorded(rps: float, bound: bool = False) -> dict[str, Any]:
    """What run_locust returns for one run, with the figures that matter here."""
    busy = 0.8 if bound else 0.3
    return {"rps": rps, "p50": 10.0, "p95": 20.0, "p99": 30.0, "requests": 1000, "failures": 0, "files": "x",
            "locust_cpu_warning": False, "generator_bound": bound,
            "cpu": {"generator": {"cores": busy, "busiest_process": busy}}}  # fmt: skip


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Locust runs answered from a list, in order; drain is a no-op (no server)."""
    queue: list[dict[str, Any]] = []
    monkeypatch.setattr(measure, "run_locust", lambda *args, **kwargs: queue.pop(0))
    monkeypatch.setattr(openloop, "run_locust", lambda *args, **kwargs: queue.pop(0))
    monkeypatch.setattr(measure, "drain", lambda *args: None)
    monkeypatch.setattr(openloop, "drain", lambda *args: None)
    monkeypatch.setattr(calibrate, "run_locust", lambda *args, **kwargs: queue.pop(0))
    monkeypatch.setattr(calibrate, "drain", lambda *args: None)
    return queue


def config(*extra: str) -> Any:
    return parse_args(["--variant", VARIANT, "--no-pin", *extra])


def test_a_6_percent_spread_is_run_again_then_marked_spread_exceeded(replay: list, tmp_path: Path) -> None:
    replay += [recorded(r) for r in (100.0, 106.0, 100.5, 94.0, 100.0)]
    args = config("--repeat", "3", "--max-runs", "5")
    result = measure.measure_scenario(load(VARIANT), "me", "http://x", {"count": 100}, args, tmp_path,
                                      Progress(3, 1.0, 1))  # fmt: skip
    assert not replay, "the runner stopped before its bound"
    assert result["spread_exceeded"] and result["repetitions"] == 3 and len(result["earlier_runs"]) == 2


def test_runs_that_settle_within_the_bound_are_kept_unmarked(replay: list, tmp_path: Path) -> None:
    replay += [recorded(r) for r in (100.0, 108.0, 100.5, 101.0, 100.0)]
    args = config("--repeat", "3", "--max-runs", "5")
    result = measure.measure_scenario(load(VARIANT), "me", "http://x", {"count": 100}, args, tmp_path,
                                      Progress(3, 1.0, 1))  # fmt: skip
    assert not result["spread_exceeded"] and result["rps"] == 100.5 and len(result["earlier_runs"]) == 2


def test_a_generator_bound_figure_gets_no_ratio() -> None:
    me = {"status": "measured", "name": "me", **measure.combine([recorded(900.0, bound=True)])}
    drf = {"status": "measured", "name": "baseline_drf", **measure.combine([recorded(1000.0)])}
    entry: dict[str, Any] = {"scenarios": {"me": me, "baseline_drf": drf}}
    add_ratios(entry, None)
    assert me["generator_bound"] and not me["usable_for_ratio"]
    assert me["ratio"]["value"] is None and not me["ratio"]["usable"] and "generator-bound" in me["ratio"]["reason"]
    me.update(generator_bound=False, usable_for_ratio=True)
    add_ratios(entry, None)
    assert me["ratio"]["value"] == pytest.approx(0.9)


def test_an_open_loop_step_short_of_its_rate_is_marked(replay: list, tmp_path: Path) -> None:
    replay += [recorded(r) for r in (25.0, 50.0, 75.0, 70.0)]  # the 90 % step achieves 70 of 90 req/s
    args = config("--open-loop")
    steps = openloop.measure_steps(load(VARIANT), "me", {"rps": 100.0}, "http://x", {"count": 1000}, args,
                                   tmp_path, Progress(4, 1.0, 1), None)["steps"]  # fmt: skip
    assert [step["short"] for step in steps] == [False, False, False, True]
    assert [step["users"] for step in steps] == [25, 50, 75, 90] and steps[3]["target_rps"] == 90.0


def test_a_generator_bound_calibration_is_run_again_with_more_locust_processes(replay: list, tmp_path: Path) -> None:
    replay += [recorded(2000.0, bound=True), recorded(3500.0)]  # one process at 80 % of a core, then two
    args = config("--host", "http://x").with_cpus([0], [1, 2])
    found = calibrate._calibrate(load(VARIANT), "http://x", {"count": 100}, args, tmp_path, Progress(0, 1.0, 1), {})
    assert not replay and found["processes"] == 2 and [t["processes"] for t in found["tries"]] == [1, 2]
    assert found["tries"][0]["generator_max_rps"] == pytest.approx(2000.0 / 0.8) and not found["generator_bound"]
    replay += [recorded(2000.0, bound=True)]  # Locust has one CPU: nothing more to give it, the bound is recorded
    found = calibrate._calibrate(load(VARIANT), "http://x", {"count": 100}, args.with_cpus([0], [1]), tmp_path,
                                 Progress(0, 1.0, 1), {})  # fmt: skip
    assert found["processes"] == 1 and found["generator_bound"]


def test_curves_fit_each_axis_from_its_points() -> None:
    def point(rps: float) -> dict[str, Any]:
        return {"scenarios": {"me": {"status": "measured", "rps": rps, "p50": 1000 / rps}}}

    linear = {str(n): point(1000 / (1 + n / 10)) for n in (1, 10, 100, 1000)}  # ms per request = 1 + n/10
    flat = {str(n): point(500.0) for n in (1000, 10000, 100000)}
    assert curves.fit(linear)["me"]["ms_per_request"]["class"] == "linear"
    assert curves.fit(flat)["me"]["ms_per_request"]["class"] == "constant"
    assert curves.fit(flat)["login_fast"]["ms_per_request"]["class"] is None  # not measured: no class


def test_at_a_credentials_point_the_scenarios_that_leave_credentials_run_last() -> None:
    from benchmarks import scale
    from benchmarks.scenarios import SCENARIOS

    for names in (curves.SCENARIO_NAMES, scale.SCENARIO_NAMES):
        issues = [SCENARIOS[name].issues_credentials for name in names]
        assert issues == sorted(issues) and issues[-1], names  # login_fast after me (and logout_login)


def test_a_run_on_a_block_of_accounts_tells_locust_where_the_block_begins(tmp_path: Path) -> None:
    """The curves' credentials points each log in with their own block of accounts; without the offset on Locust's
    command line every point measured the first block, which each point's login_fast had filled with tokens."""
    from benchmarks.measure import locust_command

    options = {"users": 20, "spawn_rate": 20, "warmup": 2, "duration": 8, "variant": "knox-token", "seeded_users": 40,
               "first_pk": 1, "account_prefix": "bench", "account_password": "x", "backends_dir": tmp_path,
               "account_offset": 20}  # fmt: skip
    command = locust_command("MeUser", "http://127.0.0.1:1", tmp_path / "run", options, None)
    assert command[command.index("--account-offset") + 1] == "20"


def test_the_benchmark_server_writes_no_access_log(tmp_path: Path) -> None:
    with run_server(load(VARIANT), profile="bench", workers=1, workdir=tmp_path, access_log=False) as server:
        assert requests.get(server.base_url + "/baseline/plain/", timeout=10).status_code == 200
        assert server.log_path is not None
        assert "GET /baseline/plain/" not in server.log_path.read_text()
        assert cpu.gunicorn_roots(int(server.base_url.rsplit(":", 1)[1])), "the server's gunicorn is not found"


POSTGRES = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"


def test_a_local_postgresql_is_pinned_with_the_server_and_put_back() -> None:
    roots = cpu.postgres_roots()
    cpus = sorted(os.sched_getaffinity(0))
    if not roots or not cpu.is_local_postgres(POSTGRES) or len(cpus) < 2:
        pytest.skip("needs a local PostgreSQL server and two CPUs")
    before = os.sched_getaffinity(roots[0])
    with cpu.place_database(POSTGRES, [cpus[0]], pin=True) as placed:
        if placed["placement"].startswith("not pinned: no permission"):
            pytest.skip(placed["placement"])
        assert placed["placement"] == "pinned with the served variant" and placed["cpus"] == [cpus[0]]
        assert os.sched_getaffinity(roots[0]) == {cpus[0]}
    assert os.sched_getaffinity(roots[0]) == before
    with cpu.place_database(POSTGRES, [cpus[0]], pin=False) as placed:
        assert placed["placement"].startswith("not pinned") and os.sched_getaffinity(roots[0]) == before


def test_a_group_that_exits_before_the_closing_sample_keeps_its_cpu() -> None:
    """Locust exits when its run ends; a closing sample taken after that must not read its CPU as zero."""
    from benchmarks.cpu import Sampler

    sampler = Sampler({"generator": [1], "server": [2]})
    alive = {"generator": (1.0, {1: 1.0}), "server": (5.0, {2: 5.0})}
    sampler.samples = [
        (0.0, alive),
        (10.0, {"generator": (4.0, {1: 4.0}), "server": (9.0, {2: 9.0})}),
        (12.0, {"generator": (0.0, {}), "server": (10.0, {2: 10.0})}),
    ]
    used = sampler.window(0.0, 11.0)
    assert used is not None
    assert used["generator"]["processes"] == 1 and used["generator"]["cpu_seconds"] == 3.0
    assert used["generator"]["cores"] == 0.3
    assert used["server"]["cpu_seconds"] == 5.0 and used["server"]["cores"] == round(5.0 / 12.0, 3)
