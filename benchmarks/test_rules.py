"""The runner's decision rules on synthetic figures, and the CPU accounting on this machine's /proc.

Each rule gets a case on each side of its line, so a rule that stopped deciding would fail here: an 80 %-busy
generator is marked and kept out of ratios, a 6 % spread is repeated and then marked, a step 15 % short of its
rate is marked, and the growth fit names constant, logarithmic and linear data as such.
`pytest benchmarks/test_rules.py` (no server, no Locust; a few seconds).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time

import pytest

from benchmarks import cpu, rules


def generator(busiest: float, cores: float) -> dict:
    return {"generator": {"cpu_seconds": cores * 10, "cores": cores, "busiest_process": busiest, "processes": 1}}


def test_an_80_percent_busy_generator_is_marked_generator_bound() -> None:
    assert rules.generator_bound(generator(0.80, 0.80), load_cores=1) is True
    assert rules.generator_bound(generator(0.50, 0.50), load_cores=1) is False
    # Two processes at 45 % each on one core: no single one is busy, the core is.
    assert rules.generator_bound(generator(0.45, 0.90), load_cores=1) is True
    assert rules.generator_bound(generator(0.45, 0.90), load_cores=2) is False
    assert rules.generator_bound(None, load_cores=1) is None


def test_a_generator_bound_figure_is_not_usable_for_a_ratio() -> None:
    ok, reason = rules.usable_for_ratio({"name": "me", "generator_bound": True}, {"name": "baseline_drf"})
    assert not ok and reason and "me" in reason
    assert rules.usable_for_ratio({"name": "me", "generator_bound": False}, {"name": "baseline_drf"}) == (True, None)


def test_a_6_percent_spread_is_repeated_then_marked() -> None:
    spread_6 = [100.0, 106.0, 100.5]  # 5.5 % above the median
    assert rules.spread(spread_6)["exceeded"] is True
    assert rules.next_step(spread_6, repeat=3, max_runs=5) == "repeat"
    assert rules.next_step([*spread_6, 101.0, 100.0][-5:], repeat=3, max_runs=5) == "done"  # the last three agree
    assert rules.next_step([100.0, 106.0, 100.5, 94.0, 100.0], repeat=3, max_runs=5) == "exceeded"
    assert rules.next_step([100.0, 104.0, 97.0], repeat=3, max_runs=5) == "done"
    assert rules.next_step([100.0], repeat=3, max_runs=5) == "run"
    assert rules.next_step([100.0], repeat=1, max_runs=1) == "done" and rules.spread([100.0])["exceeded"] is None


def test_a_baseline_disagreeing_across_variants_marks_the_run() -> None:
    def entry(rps: float) -> dict:
        return {"scenarios": {"baseline_drf": {"status": "measured", "rps": rps}}}

    close = rules.baseline_agreement({"a": entry(200.0), "b": entry(204.0), "c": entry(198.0)}, ["baseline_drf"])
    assert close["baseline_drf"]["exceeded"] is False
    apart = rules.baseline_agreement({"a": entry(206.0), "b": entry(362.0), "c": entry(250.0)}, ["baseline_drf"])
    assert apart["baseline_drf"]["exceeded"] is True and apart["baseline_drf"]["rps_by_variant"]["b"] == 362.0


def test_a_step_15_percent_short_of_its_rate_is_marked() -> None:
    assert rules.short(100.0, 85.0) and not rules.short(100.0, 95.0)


def test_open_loop_users_follow_the_rate_within_the_seeded_accounts() -> None:
    assert rules.open_loop_users(150.0, minimum=20, accounts=1000) == 150
    assert rules.open_loop_users(5.0, minimum=20, accounts=1000) == 20
    assert rules.open_loop_users(5000.0, minimum=20, accounts=1000) == 1000


XS = (1.0, 10.0, 100.0, 1000.0)


def test_growth_fit_names_constant_logarithmic_and_linear_data() -> None:
    assert rules.growth([(x, 5.0 + 0.1 * ((i % 2) - 0.5)) for i, x in enumerate(XS)])["class"] == "constant"
    assert rules.growth([(x, 5.0 + 2.0 * math.log(x)) for x in XS])["class"] == "logarithmic"
    linear = rules.growth([(x, 5.0 + 0.01 * x) for x in XS])
    assert linear["class"] == "linear" and linear["fit"]["slope"] == pytest.approx(0.01)
    assert rules.growth([(x, 50.0 - 4.0 * math.log(x)) for x in XS])["class"] == "decreasing"
    assert rules.growth([(1000.0, 5.0)])["class"] is None


def test_tree_cpu_follows_a_busy_child() -> None:
    """A child burning CPU for a moment shows up in its parent's tree, live or once reaped."""
    # The child burns 0.4 s of its own CPU, however long a loaded machine takes to give it that.
    child = subprocess.Popen([sys.executable, "-c", "import time\nwhile time.process_time() < 0.4: pass"])
    sampler = cpu.Sampler({"me": [os.getpid()]})
    with sampler.running():
        start = time.time()
        child.wait()
        end = time.time()
    used = sampler.window(start, end)
    assert used is not None and used["me"]["cpu_seconds"] >= 0.35, used
    assert sampler.window(end + 100, end + 101) is None  # no sample brackets a window in the future


def test_the_sampling_thread_runs_on_the_cpus_it_is_given() -> None:
    """The scans run on Locust's CPUs, not on the server's (which the runner process shares)."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        pytest.skip("needs two CPUs")
    with cpu.Sampler({"me": [os.getpid()]}, cpus=[cpus[-1]]).running():
        time.sleep(3 * cpu.SAMPLE_SECONDS)
        thread = next(t for t in threading.enumerate() if t.name == "cpu-sampler")
        assert thread.native_id is not None and os.sched_getaffinity(thread.native_id) == {cpus[-1]}
    assert os.sched_getaffinity(0) == set(cpus)  # the process itself keeps its CPUs


def test_an_axis_skips_its_middle_points_only_when_every_scenario_agrees_at_its_ends() -> None:
    """The credentials axis measures 1 and 1,000 first; 10 and 100 only where the ends differ beyond the line the
    growth fit calls constant: a 12 % change, a scenario missing at one end or nothing measured all measure them."""
    assert rules.ends_agree({"me": 2.0, "login_fast": 3.0}, {"me": 2.1, "login_fast": 2.9}) == (
        True, "ends within 10%: login_fast -3%, me +5%")  # fmt: skip
    assert rules.ends_agree({"me": 2.0, "login_fast": 3.0}, {"me": 2.24, "login_fast": 3.0})[0] is False
    assert rules.ends_agree({"me": 2.0, "login_fast": 3.0}, {"me": 2.0, "login_fast": None}) == (
        False, "login_fast not measured at both ends")  # fmt: skip
    assert rules.ends_agree({}, {}) == (False, "nothing measured at the ends")


def test_the_credentials_axis_measures_its_ends_first_and_each_point_keeps_its_own_block() -> None:
    from benchmarks.curves import _screened

    assert _screened((1, 10, 100, 1000)) == [(0, 1), (3, 1000), (1, 10), (2, 100)]
    assert _screened((1, 10)) == [(0, 1), (1, 10)] and _screened((5,)) == [(0, 5)]
