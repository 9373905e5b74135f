"""The accounts, reset, cookie and profile posture cases can fail: a lenient fake variant and flipped declarations.

- `lenient-token` (harness_tests/fake_backends/lenient/): knox's project whose user serializer writes is_staff,
  is_superuser, is_active and email. Its manifest is knox's, copied here with the fake's settings module. The
  profile cases must observe the breakage, while the round trip, which the fake does not break, still passes.
- Flipped declarations on copies of real manifests: every new case, on a variant where it is observed, turns red
  when its declaration says the opposite of what the server does (a removed `fail`, a `pass` where the case is
  n/a, a `fail` where the variant passes), naming the case, its reference and both findings.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from harness.manifest import BACKENDS_DIR

KNOX_SETTINGS = 'settings = "backends.knox.settings"'


def _failed(results: dict, variant: str) -> list[str]:
    return sorted(key for key, test in results["variants"][variant]["tests"].items() if test["outcome"] == "failed")


def _copy(tmp_path: Path, backend: str, name: str | None = None) -> Path:
    target = tmp_path / "backends" / (name or backend)
    shutil.copytree(BACKENDS_DIR / backend, target)
    return target / "manifest.toml"


def _declare(manifest: Path, mode: str, flips: dict[str, str]) -> None:
    """Append a mode posture table declaring `flips` (case -> expect): a mode claim replaces the shared one whole."""
    lines = [f'{case} = {{ expect = "{expect}", reason = "flipped on purpose" }}' for case, expect in flips.items()]
    manifest.write_text(manifest.read_text() + f"\n[variants.{mode}.posture]\n" + "\n".join(lines) + "\n")


def _selection(cases: list[str]) -> str:
    return " or ".join(f"test_{case}" for case in cases)


def test_a_profile_update_that_lets_is_staff_through_is_caught(suite, tmp_path: Path) -> None:
    manifest = _copy(tmp_path, "knox", "lenient")
    text = manifest.read_text()
    assert KNOX_SETTINGS in text, "knox's manifest no longer names its settings module as expected"
    manifest.write_text(text.replace(KNOX_SETTINGS, 'settings = "harness_tests.fake_backends.lenient.settings"'))
    cases = [
        "profile_update_cannot_grant_staff",
        "profile_update_cannot_change_account_state",
        "email_change_needs_password_or_confirmation",
        "profile_patch_roundtrip_changes_nothing",
    ]
    code, results, output = suite(
        f"--backends-dir={manifest.parent.parent}", "--variant=lenient-token", "-k", _selection(cases)
    )
    assert code == 1, output
    assert _failed(results, "lenient-token") == [
        "shared_tests/test_posture_profile.py::test_email_change_needs_password_or_confirmation",
        "shared_tests/test_posture_profile.py::test_profile_update_cannot_change_account_state",
        "shared_tests/test_posture_profile.py::test_profile_update_cannot_grant_staff",
    ]
    assert "posture profile_update_cannot_grant_staff (ASVS 5.0 V15.3.3): expected pass, found fail" in output
    assert "stored columns changed: ['is_staff', 'is_superuser']" in output


DJOSER_FLIPS = {
    # Declared failures removed: each is observed failing.
    "email_change_needs_password_or_confirmation": "pass",
    "reset_requests_throttled": "pass",
    # Cases djoser passes, declared failing: each observation is what decides.
    "login_replaces_planted_credentials": "fail",
    "password_change_refuses_wrong_current_password": "fail",
    "reset_link_single_use": "fail",
    "reset_link_expires": "fail",
    "reset_link_invalidated_by_login": "fail",
    "reset_link_invalidated_by_password_change": "fail",
    "profile_put_roundtrip_changes_nothing": "fail",
    "profile_update_cannot_set_password": "fail",
    "profile_update_cannot_change_id": "fail",
    # n/a declared to apply: the case observes that no login sets a cookie.
    "login_csrf_refused": "pass",
}
KNOX_FLIPS = {
    "password_spraying_throttled": "pass",
    "brute_force_does_not_lock_out_owner": "fail",
    "credential_cookies_secure_in_production": "pass",
    "cookie_password_change_needs_csrf": "pass",
}
RESTAUTH_JWT_FLIPS = {
    "login_csrf_refused": "pass",
    "cookie_password_change_needs_csrf": "pass",
    "credential_cookies_samesite": "fail",
    "credential_cookies_secure_in_production": "pass",
    "profile_patch_roundtrip_changes_nothing": "pass",
}


def _flipped(suite, tmp_path: Path, backend: str, mode: str, flips: dict[str, str], replace: bool = False) -> None:
    manifest = _copy(tmp_path, backend)
    if replace:  # the mode already has a posture table: drop every entry of the flipped cases, redeclare them there
        kept = [line for line in manifest.read_text().splitlines() if line.split(" = ", 1)[0] not in flips]
        header = f"[variants.{mode}.posture]"
        lines = [f'{case} = {{ expect = "{expect}", reason = "flipped on purpose" }}' for case, expect in flips.items()]
        manifest.write_text("\n".join(kept).replace(header, "\n".join([header, *lines]), 1) + "\n")
    else:
        _declare(manifest, mode, flips)
    variant = f"{backend}-{mode}"
    code, results, output = suite(
        f"--backends-dir={manifest.parent.parent}", f"--variant={variant}", "-k", _selection(list(flips))
    )
    assert code == 1, output
    failed = {key.rsplit("::test_", 1)[1] for key in _failed(results, variant)}
    assert failed == set(flips), output
    for case, expect in flips.items():
        assert re.search(rf"\[{variant}\] posture {case} \(.*?\): expected {expect}, found ", output), case


def test_djoser_token_flipped_declarations_fail_their_cases(suite, tmp_path: Path) -> None:
    _flipped(suite, tmp_path, "djoser", "token", DJOSER_FLIPS)


def test_knox_flipped_declarations_fail_their_cases(suite, tmp_path: Path) -> None:
    _flipped(suite, tmp_path, "knox", "token", KNOX_FLIPS)


def test_restauth_jwt_flipped_declarations_fail_their_cases(suite, tmp_path: Path) -> None:
    _flipped(suite, tmp_path, "allauth_restauth", "jwt", RESTAUTH_JWT_FLIPS, replace=True)
