"""The benchmark pipeline end to end on one variant, plus the pure pieces it is built from.

The end-to-end case runs the real runner (smoke cases, gunicorn, seeding, Locust, query probe) in quick
mode into a temporary folder and renders the report section from what it wrote; a second quick run does the
scale study (`--scale`) alone. It checks that figures exist and are plausible in kind (non-zero, skipped
with a reason), never how large they are or how long the run took: those depend on the machine.
`pytest benchmarks/test_pipeline.py` (needs the bench group).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

# Only looked up, never imported: importing Locust monkey-patches the process with gevent, which breaks
# modules already loaded here (ssl). The runner starts Locust in processes of its own.
if not all(importlib.util.find_spec(name) for name in ("locust", "matplotlib", "jinja2")):
    pytest.skip(
        "the benchmarks need the `bench` and `report` groups (locust, matplotlib, jinja2)", allow_module_level=True
    )

from benchmarks.measure import combine, figures, percentile
from benchmarks.scenarios import WINDOW_MARK
from harness.client import Received, build_request, captured
from harness.manifest import REPO_ROOT, load
from harness.results import Schema
from report import DATA_DIR
from report.data import load as load_data
from report.export import registry
from report.render import COMPARISON, HTML, bench_markdown, render

VARIANT = "knox-token"
SCENARIOS = ("login", "me", "refresh", "baseline_drf", "baseline_plain")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, str]:
    out = tmp_path_factory.mktemp("bench")
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--variant", VARIANT, "--scenarios", *SCENARIOS,
               "--open-loop", "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, f"runner failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    summary_path = out / "latest" / "summary.json"
    assert summary_path.exists(), f"no summary.json under {out}/latest:\n{done.stdout[-2000:]}"
    return json.loads(summary_path.read_text()), summary_path.parent, done.stdout


def test_summary_header_names_what_ran(run: tuple[dict, Path, str]) -> None:
    head = run[0]["header"]
    assert head["schema"] == Schema.BENCH
    for key in ("generated", "git_commit", "run_id", "database", "harness_python"):
        assert head[key], key
    assert head["machine"]["cpu_count"] >= 1 and head["machine"]["cpu_model"]
    assert head["server"]["software"] == "gunicorn" and head["server"]["workers"] == 2
    assert head["load"]["tool"] == "locust" and head["load"]["repeat"] == 1
    assert head["ip_rate_limits"] == "lifted"
    assert isinstance(head["pinning"]["used"], bool)
    assert head["stack"]["django"] and head["stack"]["python"]
    assert head["stack"]["hasher_by_profile"]["production"]["algorithm"].startswith("pbkdf2")
    assert head["stack"]["hasher_by_profile"]["bench"]["algorithm"] == "md5"


def test_hash_limit_is_measured(run: tuple[dict, Path, str]) -> None:
    limit = run[0]["hash_limit"]
    assert limit["seconds"] > 0 and limit["per_second"] > 0 and limit["server_cpus"] >= 1


def test_me_and_baselines_have_throughput(run: tuple[dict, Path, str]) -> None:
    scenarios = run[0]["variants"][VARIANT]["scenarios"]
    for name in ("me", "baseline_drf", "baseline_plain", "login"):
        assert scenarios[name]["status"] == "measured", scenarios[name]
        assert scenarios[name]["rps"] > 0 and scenarios[name]["requests"] > 0, name
        assert scenarios[name]["failures"] == 0, scenarios[name]["runs"][0]["failure_reasons"]
    assert scenarios["me"]["ratio"]["to"] == "baseline_drf" and scenarios["me"]["ratio"]["value"] > 0
    assert scenarios["login"]["ratio"]["to"] == "hash_limit"


def test_scenario_without_its_operation_is_skipped_with_a_reason(run: tuple[dict, Path, str]) -> None:
    refresh = run[0]["variants"][VARIANT]["scenarios"]["refresh"]
    assert refresh["status"] == "skipped" and "refresh" in refresh["reason"]


def test_raw_locust_files_are_kept(run: tuple[dict, Path, str]) -> None:
    folder = run[1] / VARIANT
    for name in ("me-r1_stats.csv", "me-r1.json", "me-r1_locust.log", "me-r1.html", "baseline_plain-r1.html"):
        assert (folder / name).exists(), name


def test_each_run_records_the_cpu_of_locust_and_the_server(run: tuple[dict, Path, str]) -> None:
    head, me = run[0]["header"], run[0]["variants"][VARIANT]["scenarios"]["me"]
    used = me["runs"][0]["cpu"]
    assert used["generator"]["processes"] >= 1 and used["generator"]["cpu_seconds"] > 0
    assert used["server"]["processes"] == 3 and used["server"]["cpu_seconds"] > 0  # gunicorn's master and 2 workers
    assert me["generator_bound"] in (True, False) and me["usable_for_ratio"] == (not me["generator_bound"])
    assert head["calibration"]["status"] == "measured" and head["calibration"]["generator_max_rps"] > 0
    # The runner measures on DATABASE_URL when set (CI sets a PostgreSQL one), else on SQLite.
    kind = "postgresql" if str(head["database"]).startswith("postgres") else "sqlite"
    assert head["database_server"]["kind"] == kind and head["server"]["access_log"].startswith("none")
    assert head["rules"]["generator_busy"] == 0.7 and head["rules"]["spread_bound"] == 0.05


def test_open_loop_steps_are_sent_at_shares_of_the_measured_capacity(run: tuple[dict, Path, str]) -> None:
    me = run[0]["variants"][VARIANT]["scenarios"]["me"]
    record = me["open_loop"]
    assert record["status"] == "measured" and record["capacity_rps"] == me["rps"]
    assert [step["load"] for step in record["steps"]] == [0.25, 0.5, 0.75, 0.9]
    for step in record["steps"]:
        assert step["status"] == "measured" and step["rps"] > 0 and step["p99"] is not None, step
        assert step["target_rps"] == pytest.approx(me["rps"] * step["load"], rel=0.01)
        assert step["short"] in (True, False)
    assert (run[1] / VARIANT / "me-open90.html").exists()


def test_query_counts_come_from_the_test_profile(run: tuple[dict, Path, str]) -> None:
    queries = run[0]["variants"][VARIANT]["queries"]
    assert queries["me"]["ok"] and queries["me"]["total"] >= 1
    assert queries["baseline_plain"]["total"] == 0


def _section(summary: dict, charts: Path) -> str:
    """The report package's benchmark section of this summary (its registry read from the manifests now)."""
    return bench_markdown(summary, registry({"header": summary["header"], "variants": {VARIANT: {}}}), charts)


def test_report_section_renders_with_charts(run: tuple[dict, Path, str], tmp_path: Path) -> None:
    text = _section(run[0], tmp_path / "charts")
    lines = text.splitlines()
    assert text.startswith("## Load benchmarks")
    me_row = next(line for line in lines if line.startswith("| me | "))  # the throughput table's, the first
    assert "Quick run" in text and "not run" not in me_row and "refused" not in me_row
    pngs = sorted((tmp_path / "charts").glob("*.png"))
    assert pngs, "no chart written"
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"(charts/{png.name})" in text


def test_whole_report_renders_this_run_beside_the_published_records(run: tuple[dict, Path, str]) -> None:
    """The quick run as the data's bench.json: the card cites `me`'s ratio, the charts reach the page and the HTML."""
    data = load_data(DATA_DIR)
    data.bench = run[0]
    files = render(data)
    card = files[COMPARISON].decode().split(f"### `{VARIANT}`")[1].split("\n### ")[0]
    assert "`me` under load keeps [" in card and "](data/bench.json#/variants/knox-token/scenarios/me/ratio)" in card
    assert "charts/bench-latency.png" in files and "](charts/bench-latency.png)" in files[COMPARISON].decode()
    assert files[HTML].decode().count("<svg") >= 2  # the posture chart and at least one benchmark chart, inline


def test_progress_names_variant_scenario_and_time_left(run: tuple[dict, Path, str]) -> None:
    assert f"{VARIANT} · me · run 1/1 · about" in run[2]


@pytest.fixture(scope="module")
def scale_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The scale study alone, quick (10,000 accounts at its large point), on the same variant."""
    out = tmp_path_factory.mktemp("scale")
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--scale", "--variant", VARIANT, "--no-smoke",
               "--no-queries", "--curves", "--curve-accounts", "1000", "1100", "--curve-credentials", "2",
               "--curve-login-minutes", "0.000001", "--out", str(out)]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, f"runner failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads((out / "latest" / "summary.json").read_text())


def test_scale_study_records_every_point(scale_run: dict) -> None:
    scale = scale_run["scale"]
    assert scale_run["variants"][VARIANT]["scenarios"] == {}, "--scale alone runs no main scenario"
    assert scale["points"]["many_users"]["seed_users"] == 10_000 and "10,000" in scale["quick_note"]
    by_point = scale["variants"][VARIANT]
    assert list(by_point) == ["base", "many_users", "many_tokens"]
    for point, entry in by_point.items():
        assert entry["status"] == "measured", entry["status"]
        assert entry["seed"]["count"] == scale["points"][point]["seed_users"]
        for name in ("login_fast", "me"):
            result = entry["scenarios"][name]
            assert result["status"] == "measured" and result["requests"] > 0, (point, name, result)
            assert result["p50"] is not None and result["p95"] is not None and result["rps"] > 0
            assert result["failures"] == 0, result["runs"][0]["failure_reasons"]
    tokens = by_point["many_tokens"]
    assert tokens["tokens"]["accounts"] == 10 and tokens["tokens"]["logins_each"] == 100  # one per --quick user
    # knox keeps one row per login: the first token account holds its 100 before the runs start.
    assert tokens["credentials_before"]["knox.AuthToken"] == {"live": 1000, "account": 100, "stored": 1000}
    assert by_point["base"]["credentials_before"]["knox.AuthToken"]["live"] == 0


def test_cost_curves_count_what_each_point_left(scale_run: dict) -> None:
    """One point per axis (quick): every curve scenario measured, the rows the logins left counted, pruning run."""
    curves = scale_run["curves"]["variants"][VARIANT]
    accounts, credentials = curves["accounts"]["1000"], curves["credentials"]["2"]
    assert accounts["seed"]["count"] == 1000 and accounts["seed"]["seconds"] > 0
    # Each accounts point logs in with the accounts it added: its `me` account holds nothing earlier runs left.
    later = curves["accounts"]["1100"]
    for point in (accounts, later):
        assert point["scenarios"]["me"]["credentials_before"]["knox.AuthToken"]["account"] == 0, point["seed"]
    assert (accounts["seed"]["account_offset"], later["seed"]["account_offset"]) == (0, 1000)
    assert later["seed"]["created"] == 100  # the 1,100 point grew the first point's database in place
    # A-B-A: after the last point the first is measured again on a database of its own (all 1,000 seeded anew).
    again = accounts["again"]
    assert (again["seed"]["count"], again["seed"]["created"], again["seed"]["account_offset"]) == (1000, 1000, 0)
    assert again["scenarios"]["me"]["credentials_before"]["knox.AuthToken"]["account"] == 0
    for point in (accounts, again, credentials):
        for name in ("baseline_drf", "login_fast", "me", "logout_login"):
            assert point["scenarios"][name]["status"] == "measured", (name, point["scenarios"][name])
    # The logins' time bound (a few microseconds here) stops them after their first round: the point is measured at
    # the 1 credential each account reached, and says so. knox keeps a row per login, and more after login_fast.
    logins = credentials["logins"]
    assert (logins["accounts"], logins["each"], logins["first_account"]) == (10, 1, 1)
    assert logins["cut_short"].startswith("1 of 2 logins per account in the "), logins
    assert credentials["credentials_before"]["knox.AuthToken"]["account"] == 1
    assert credentials["credentials_after"]["knox.AuthToken"]["account"] > 1
    # `me` runs first at a point, so it is measured at the point's credentials, not at what login_fast leaves.
    assert credentials["scenarios"]["me"]["credentials_before"]["knox.AuthToken"]["account"] == 1
    assert list(credentials["scenarios"])[-1] == "login_fast"
    assert set(curves["prune"]) == {"clearsessions"}  # knox installs no pruning command of its own
    assert curves["growth"]["credentials"]["me"]["ms_per_request"]["class"] is None  # one point: no fit


def test_scale_section_renders(scale_run: dict, tmp_path: Path) -> None:
    text = _section(scale_run, tmp_path / "charts")
    assert "### Scale" in text and "--quick seeds 10,000" in text
    lines = text.split("### Scale", 1)[1].splitlines()  # the cost curves' table above has rows of the same shape
    for name in ("login_fast", "me"):
        row = next(line for line in lines if line.startswith(f"| `{VARIANT}` | {name} |"))
        assert "not measured" not in row and row.count("p50 ×") == 2 and row.count(" ms · ") == 3, row
    assert "knox.AuthToken 1,000 (100)" in text


# The pure pieces, on hand-made data.


def test_percentile_follows_locusts_rule() -> None:
    histogram = {10: 60, 20: 35, 300: 5}  # milliseconds -> requests, as Locust buckets them
    assert percentile(histogram, 100, 0.50) == 10
    assert percentile(histogram, 100, 0.90) == 20
    assert percentile(histogram, 100, 0.99) == 300
    assert percentile({}, 0, 0.5) is None


def test_figures_leave_set_up_requests_out() -> None:
    entry = {"method": "GET", "name": "me", "num_requests": 100, "num_failures": 1, "start_time": 11.0,
             "last_request_timestamp": 20.0, "response_times": {"30": 100}}  # fmt: skip
    window = {**entry, "method": "MARK", "name": WINDOW_MARK, "num_requests": 2, "start_time": 10.0,
              "last_request_timestamp": 30.0, "num_failures": 0, "response_times": {"0": 2}}  # fmt: skip
    login = {**entry, "method": "POST", "name": "setup: login", "num_requests": 7, "response_times": {"900": 7}}
    result = figures([window, login, entry])
    assert result["requests"] == 100 and result["failures"] == 1
    assert result["rps"] == pytest.approx(5.0) and result["p99"] == 30


def test_combine_flags_runs_far_from_their_median() -> None:
    def run(rps: float) -> dict:
        return {"rps": rps, "p50": 1.0, "p95": 2.0, "p99": 3.0, "requests": 10, "failures": 0,
                "locust_cpu_warning": False}  # fmt: skip

    assert not combine([run(100), run(104), run(97)])["unstable"]
    flagged = combine([run(100), run(130), run(98)])
    assert flagged["unstable"] and flagged["rps"] == 100


def test_requests_follow_the_manifest_cookie_and_credentials() -> None:
    manifest = load("allauth_restauth-jwt")
    logout = build_request(manifest, "logout", {"access": "A", "refresh": "R"})
    assert logout.cookies == {"jwt-refresh-token": "R"} and "Cookie" not in logout.headers
    assert logout.headers_with_cookies()["Cookie"] == "jwt-refresh-token=R"
    assert logout.headers["Authorization"] == "Bearer A"
    got = captured(manifest.operation("login"), Received('{"access": "A2"}', {"jwt-refresh-token": "R2"}))
    assert got == {"access": "A2", "refresh": "R2"}


def test_a_variant_failing_the_smoke_cases_is_refused(tmp_path: Path) -> None:
    """A fake whose logout URL is gone fails the smoke cases: no server is started, nothing is measured."""
    fakes = REPO_ROOT / "harness_tests" / "fake_backends"
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--variant", "broken-no_logout_url",
               f"--backends-dir={fakes}", "--out", str(tmp_path)]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    entry = json.loads((tmp_path / "latest" / "summary.json").read_text())["variants"]["broken-no_logout_url"]
    assert entry["status"].startswith("refused") and not entry["scenarios"] and not entry["health"]
    assert "test_logout_succeeds" in entry["smoke"]["output"]
