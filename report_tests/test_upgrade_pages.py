"""Upgrade pages: each step lands on its library's page, oldest release first, and says what stopped being read.

The tutorial's steps (its own record against today's) group under `tutorial_2021`; a release-history step under the
package its older record replaced; a step whose older side could not be started shows its error, not a diff.
"""

from __future__ import annotations

from typing import Any

from report import upgrade


def record(before: str, variant: str, unread: list[str] | None = None, error: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"error": error} if error else {
        "capabilities": [{"id": "credential_kind", "before": "jwt", "after": "opaque"}], "posture": [], "tests": [],
        "settings_no_longer_read": unread or [], "settings_now_read": []}  # fmt: skip
    after = {"record": "results/contract.json", "variant": variant}
    return {"from": {"record": before, "variant": variant}, "to": after, "step": found}


def test_each_library_gets_its_steps_oldest_release_first() -> None:
    records = [
        record("results/history/allauth_restauth-jwt/django-allauth-64.2.1.json", "allauth_restauth-jwt"),
        record("results/history/allauth_restauth-jwt/django-allauth-0.63.6.json", "allauth_restauth-jwt"),
        record("results/history/knox-token/django-rest-knox-4.2.0.json", "knox-token", error="boom\nModuleNotFound"),
    ]
    pages = upgrade.pages(records)
    assert sorted(pages) == ["django-allauth", "django-rest-knox"]
    allauth = pages["django-allauth"]
    assert allauth.index("django-allauth-0.63.6") < allauth.index("django-allauth-64.2.1")
    assert "Could not be run: ModuleNotFound" in pages["django-rest-knox"]
    assert upgrade.page_links(records).startswith("Per library: [django-allauth](upgrades/django-allauth.md)")


def test_the_tutorial_step_names_the_settings_today_never_reads() -> None:
    step = record("results/tutorial/contract.json", "tutorial_2021-jwt", unread=["REST_USE_JWT"])
    pages = upgrade.pages([step])
    assert list(pages) == ["tutorial_2021"]
    assert "| setting | `REST_USE_JWT` | read | never read |" in pages["tutorial_2021"]


def test_a_long_step_lists_some_cases_in_the_comparison_and_all_on_its_page() -> None:
    step = record("results/tutorial/contract.json", "tutorial_2021-jwt")
    step["step"]["tests"] = [{"id": f"t.py::test_{n}", "before": "passed", "after": "failed"} for n in range(20)]
    step["step"]["versions"] = {"before": {"dj-rest-auth": "2.1.7", "django": "3.2.5"},
                                "after": {"dj-rest-auth": "7.2.0", "django": "3.2.5"}}  # fmt: skip
    step["step"]["added_for_today"] = ["allauth.socialaccount"]
    short = upgrade.section([step], case_limit=5)
    assert (
        short.count("| case | `test_") == 5
        and "15 more changed cases: [the library's page](upgrades/tutorial_2021.md)" in short
    )
    assert "Versions: dj-rest-auth 2.1.7 → 7.2.0." in short and "`allauth.socialaccount`" in short
    assert upgrade.pages([step])["tutorial_2021"].count("| case | `test_") == 20


def _run(variant: str, knox: str, rates: dict[str, list[float]], me_statements: int) -> dict[str, Any]:
    """A benchmark summary of one release: `variant` served with django-rest-knox `knox`, runs per scenario."""
    scenarios = {name: {"status": "measured", "rps": sorted(runs)[len(runs) // 2], "runs": [{"rps": r} for r in runs]}
                 for name, runs in rates.items()}  # fmt: skip
    entry = {"status": "measured", "scenarios": scenarios, "queries": {"me": {"total": me_statements}},
             "health": {"bench": {"versions": {"django": "5.2.19", "django-rest-knox": knox}}}}  # fmt: skip
    return {"variants": {variant: entry}}


def _knox_step() -> dict[str, Any]:
    step = record("results/history/knox-token/django-rest-knox-4.2.0.json", "knox-token")
    step["step"]["versions"] = {"before": {"django": "5.2.19", "django-rest-knox": "4.2.0"},
                                "after": {"django": "5.2.19", "django-rest-knox": "5.1.0"}}  # fmt: skip
    return step


def test_a_step_costs_what_the_runs_of_its_two_releases_measured() -> None:
    costs = {
        "knox-token__django-rest-knox-4.2.0": _run(
            "knox-token", "4.2.0", {"me": [200, 205, 210], "login_fast": [100, 101, 99], "baseline_drf": [400] * 3}, 3
        ),
        "knox-token__uv.lock": _run(
            "knox-token", "5.1.0", {"me": [250, 255, 260], "login_fast": [99, 100, 102], "baseline_drf": [404] * 3}, 2
        ),
    }
    text = upgrade.section([_knox_step()], costs=costs)
    assert "| me | 205.0 | 255.0 | +24% | 3 → 2 |" in text
    assert "| login_fast | 100.0 | 100.0 | +0% (inconclusive: run ranges overlap) |" in text
    assert (
        "[`knox-token__django-rest-knox-4.2.0`](data/upgrade_bench.json#/records/knox-token__django-rest-knox-4.2.0)"
        in text
    )
    page = upgrade.pages([_knox_step()], costs)["django-rest-knox"]
    assert "(../data/upgrade_bench.json#/records/knox-token__uv.lock)" in page


def test_a_change_within_the_machines_drift_is_not_called_a_cost() -> None:
    rates = {"me": [200, 201, 202], "login_fast": [100] * 3, "baseline_drf": [400] * 3}
    faster = {"me": [230, 231, 232], "login_fast": [100] * 3, "baseline_drf": [480] * 3}  # the baseline moved +20 %
    costs = {"a": _run("knox-token", "4.2.0", rates, 3), "b": _run("knox-token", "5.1.0", faster, 2)}
    text = upgrade.section([_knox_step()], costs=costs)
    assert "+15% (inconclusive: within the pair's baseline drift of +20%)" in text


def test_a_run_of_other_versions_never_stands_in_for_a_release() -> None:
    # The run served knox 5.0.2, not the step's 4.2.0: the step must say its cost was not measured.
    rates = {"me": [200] * 3, "login_fast": [100] * 3, "baseline_drf": [400] * 3}
    costs = {"a": _run("knox-token", "5.0.2", rates, 3), "b": _run("knox-token", "5.1.0", rates, 2)}
    text = upgrade.section([_knox_step()], costs=costs)
    assert "Cost: not measured (no benchmark run in `upgrade_bench.json` served these versions)." in text
    assert "| me |" not in text
    # A run the smoke cases refused stops before serving: its health is empty, and the step names it and why.
    refused = {"a": _run("knox-token", "4.2.0", rates, 3), "b": _run("knox-token", "5.1.0", rates, 2)}
    refused["a"]["variants"]["knox-token"].update(status="refused: the contract smoke cases failed\n...", health={})
    text = upgrade.section([_knox_step()], costs=refused)
    assert "runs of `knox-token` that served nothing: `a`: refused: the contract smoke cases failed)." in text


def test_without_published_runs_the_section_says_its_costs_were_not_run() -> None:
    text = upgrade.section([_knox_step()], costs=None)
    assert "not run in this data (no `upgrade_bench.json`" in text and "Cost:" not in text


def test_todays_releases_measured_twice_are_pooled_so_one_slow_run_decides_nothing() -> None:
    old = {"me": [200, 201, 202], "login_fast": [100] * 3, "baseline_drf": [400] * 3}
    slow = {"me": [170, 171, 172], "login_fast": [100] * 3, "baseline_drf": [400] * 3}  # alone: -15 %, decided
    again = {"me": [199, 203, 205], "login_fast": [100] * 3, "baseline_drf": [400] * 3}
    alone = {"a": _run("knox-token", "4.2.0", old, 3), "b": _run("knox-token", "5.1.0", slow, 2)}
    assert "| me | 201.0 | 171.0 | -15% | 3 → 2 |" in upgrade.section([_knox_step()], costs=alone)
    pooled = {**alone, "c": _run("knox-token", "5.1.0", again, 2)}
    text = upgrade.section([_knox_step()], costs=pooled)
    assert "| me | 201.0 | 185.5 | -8% (inconclusive: run ranges overlap) |" in text
    assert "after: [`b`](data/upgrade_bench.json#/records/b), [`c`](data/upgrade_bench.json#/records/c)" in text


def test_a_baseline_that_runs_another_django_is_not_called_the_machines_drift() -> None:
    step = _knox_step()
    step["step"]["versions"]["before"]["django"] = "3.2.5"
    rates = {"me": [200] * 3, "login_fast": [100] * 3, "baseline_drf": [400] * 3}
    costs = {"a": _run("knox-token", "4.2.0", rates, 3), "b": _run("knox-token", "5.1.0", rates, 2)}
    costs["a"]["variants"]["knox-token"]["health"]["bench"]["versions"]["django"] = "3.2.5"
    text = upgrade.section([step], costs=costs)
    assert "| baseline_drf | 400.0 | 400.0 | +0% (django 3.2.5 → 5.2.19: the framework moved too) |" in text
    assert "the machine's drift" not in text
