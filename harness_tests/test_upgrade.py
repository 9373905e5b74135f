"""An upgrade step lists what changed and nothing else; a release history replaces exactly one pin.

Synthetic contract entries (no server): `harness.upgrade.step` must name each test, capability and posture cell
whose outcome or observation differs, and each setting that stops being read; an entry carrying an install error
yields that error instead of a diff. `harness.history.with_release` must move one library's pin and refuse a
library the lock does not pin.
"""

from __future__ import annotations

import pytest

from harness.history import with_release
from harness.upgrade import step

BEFORE = {
    "tests": {"t_same": {"outcome": "passed"}, "t_fixed": {"outcome": "xfailed"}},
    "capabilities": {"refresh_rotation": {"observed": False}, "verify_available": {"observed": True}},
    "posture": {"jwt_future_iat_rejected": {"finding": "fail"}},
    "settings_reads": {"unread": ["AUTH_MODE"]},
}
AFTER = {
    "tests": {"t_same": {"outcome": "passed"}, "t_fixed": {"outcome": "passed"}, "t_new": {"outcome": "failed"}},
    "capabilities": {"refresh_rotation": {"observed": False}, "verify_available": {"observed": False}},
    "posture": {"jwt_future_iat_rejected": {"finding": "pass"}},
    "settings_reads": {"unread": ["AUTH_MODE", "REST_USE_JWT"]},
}


def test_an_upgrade_step_lists_each_changed_cell_and_no_other() -> None:
    found = step(BEFORE, AFTER)
    assert [row["id"] for row in found["tests"]] == ["t_fixed", "t_new"]
    assert found["capabilities"] == [{"id": "verify_available", "before": True, "after": False}]
    assert found["posture"] == [{"id": "jwt_future_iat_rejected", "before": "fail", "after": "pass"}]
    assert found["settings_no_longer_read"] == ["REST_USE_JWT"] and found["settings_now_read"] == []


def test_a_release_that_could_not_be_installed_is_a_step_with_its_error() -> None:
    assert step({"error": "ImportError: cannot import name 'convert_path'"}, AFTER) == {
        "error": "ImportError: cannot import name 'convert_path'"
    }


def test_a_release_replaces_exactly_one_pin() -> None:
    lines = ["django==5.2.19", "dj-rest-auth==7.2.0", "async-timeout==5.0.1 ; python_full_version < '3.11.3'"]
    assert with_release(lines, "dj-rest-auth", "6.0.0") == ["django==5.2.19", "dj-rest-auth==6.0.0", lines[2]]
    with pytest.raises(ValueError, match="does not pin djoser"):
        with_release(lines, "djoser", "2.2.3")


def test_the_upgrade_section_has_a_row_per_change_and_says_why_a_step_could_not_run() -> None:
    from report.upgrade import section

    sides = {"from": {"variant": "tutorial_2021-jwt"}, "to": {"variant": "allauth_restauth-jwt"}}
    text = section([{**sides, "step": step(BEFORE, AFTER)}, {**sides, "step": {"error": "uv said\nno wheel"}}])
    assert "| capability | `verify_available` | yes | no |" in text
    assert "| setting | `REST_USE_JWT` | read | never read |" in text
    assert "Could not be run: no wheel" in text


def test_an_earlier_release_gets_the_older_setting_names_and_loses_apps_it_lacks(monkeypatch) -> None:
    from backends.common import releases

    namespace = {
        "INSTALLED_APPS": ["dj_rest_auth", "dj_rest_auth.mfa"],
        "ACCOUNT_LOGIN_METHODS": {"username"},
        "ACCOUNT_SIGNUP_FIELDS": ["username*", "email*", "password1*", "password2*"],
    }
    monkeypatch.setattr(releases, "release", {"django-allauth": (64, 2, 1), "dj-rest-auth": (7, 0, 1)}.__getitem__)
    releases.translate(namespace)
    assert namespace == {
        "INSTALLED_APPS": ["dj_rest_auth"],
        "ACCOUNT_AUTHENTICATION_METHOD": "username",
        "ACCOUNT_EMAIL_REQUIRED": True,
        "ACCOUNT_USERNAME_REQUIRED": True,
    }
    today = {"ACCOUNT_LOGIN_METHODS": {"email"}, "INSTALLED_APPS": ["dj_rest_auth.mfa"]}
    monkeypatch.setattr(releases, "release", {"django-allauth": (65, 22, 1), "dj-rest-auth": (7, 2, 0)}.__getitem__)
    releases.translate(today)
    assert today == {"ACCOUNT_LOGIN_METHODS": {"email"}, "INSTALLED_APPS": ["dj_rest_auth.mfa"]}


def test_older_settings_get_what_todays_releases_require_only_when_the_history_run_asks(monkeypatch) -> None:
    from backends.common import releases

    monkeypatch.setattr(releases, "release", {"django-allauth": (65, 22, 1)}.__getitem__)
    as_they_are = {"MIDDLEWARE": ["m"], "INSTALLED_APPS": ["allauth"]}
    monkeypatch.delenv(releases.REQUIRED_ENV, raising=False)
    assert releases.require(as_they_are) == [] and as_they_are["MIDDLEWARE"] == ["m"]
    monkeypatch.setenv(releases.REQUIRED_ENV, "1")
    today = {"MIDDLEWARE": ["m"], "INSTALLED_APPS": ["allauth"]}
    assert releases.require(today) == ["allauth.account.middleware.AccountMiddleware", "allauth.socialaccount"]
    assert today["INSTALLED_APPS"] == ["allauth", "allauth.socialaccount"]
    monkeypatch.setattr(releases, "release", {"django-allauth": (0, 42, 0)}.__getitem__)
    old = {"MIDDLEWARE": ["m"], "INSTALLED_APPS": ["allauth"]}
    assert releases.require(old) == [] and old["MIDDLEWARE"] == ["m"]  # the 2021 releases need nothing added


def test_the_history_smoke_fails_unless_every_release_installs_starts_and_passes(monkeypatch, capsys) -> None:
    from harness import history

    outcomes = {"djoser": ("does not start", None), "django-rest-knox": ("1 failed, 13 passed", 1)}

    def fake(variant: str, package: str, version: str, locked: list[str], args: list[str], smoke: bool) -> dict:
        outcome, code = outcomes.get(package, ("13 passed, 1 xfailed", 0))
        return {"outcome": outcome, "returncode": code, "record": "r", "override": f"{package}=={version}"}

    monkeypatch.setattr(history, "locked_requirements", lambda: [])
    monkeypatch.setattr(history, "run_with_fallback", fake)
    assert history.smoke([]) == 1
    said = capsys.readouterr().err
    assert "djoser-token djoser==2.2.3: does not start" in said and "knox-token django-rest-knox==5.0.2" in said
    assert "dj-rest-auth" not in said  # a declared deviation (xfailed) is no failure
    outcomes.clear()
    assert history.smoke([]) == 0
