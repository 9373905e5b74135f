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
