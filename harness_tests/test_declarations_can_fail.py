"""What a manifest declares is observed too: each kind of declaration turns red when untrue (copies of knox's).

- "absent": knox binds no password change; the cell says so only because every operation knox's served
  schema offers is bound or declared unbound. Forgetting one (as if a release had added it) fails the schema
  coverage test and every cell that found an operation absent, naming the endpoint.
- "n/a": a posture case that does not apply is pinned, by a `[posture]` entry or by the verified
  `credential_kind` claim for JWT attacks; when it stops (or starts) applying, the case fails.
- a declared server error: its recipe is replayed; one that no longer answers 5xx is stale and fails.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from harness.manifest import BACKENDS_DIR

UNBOUND_PUT = '"PUT /api/auth/user/" = '
RESET_NA = 'password_reset_does_not_reveal_users = { expect = "n/a"'


def _knox_with(tmp_path: Path, old: str, new: str) -> Path:
    backends = tmp_path / "backends"
    shutil.copytree(BACKENDS_DIR / "knox", backends / "knox")
    manifest = backends / "knox" / "manifest.toml"
    text = manifest.read_text()
    assert old in text, f"the knox manifest no longer holds {old!r}"
    manifest.write_text(text.replace(old, new))
    return backends


def _failed(results: dict, variant: str) -> list[str]:
    return sorted(key for key, test in results["variants"][variant]["tests"].items() if test["outcome"] == "failed")


def test_an_operation_the_manifest_forgets_fails_every_absent_cell(suite, tmp_path: Path) -> None:
    backends = _knox_with(tmp_path, UNBOUND_PUT, "# " + UNBOUND_PUT)
    cells = "test_password_change_available or test_account_deletion or test_verify_available"
    selection = f"test_schema_coverage or (test_cap_ and ({cells}))"
    code, results, output = suite(f"--backends-dir={backends}", "--variant=knox-token", "-k", selection)
    assert code == 1, output
    assert _failed(results, "knox-token") == [
        "shared_tests/test_cap_password.py::test_account_deletion",
        "shared_tests/test_cap_password.py::test_password_change_available",
        "shared_tests/test_cap_tokens.py::test_verify_available",
        "shared_tests/test_schema_coverage.py::test_every_served_operation_is_bound_or_declared_unbound",
    ]
    assert "password_change is unbound, but the served schema offers PUT /api/auth/user/" in output


def test_a_posture_case_that_starts_applying_fails(suite, tmp_path: Path) -> None:
    backends = _knox_with(tmp_path, RESET_NA, 'password_reset_does_not_reveal_users = { expect = "pass"')
    code, results, output = suite(
        f"--backends-dir={backends}", "--variant=knox-token", "-k", "test_password_reset_does_not_reveal_users"
    )
    assert code == 1, output
    assert _failed(results, "knox-token") == [
        "shared_tests/test_posture_accounts.py::test_password_reset_does_not_reveal_users"
    ]
    assert "expected pass, found n/a" in output


def test_jwt_attacks_are_pinned_by_the_verified_credential_kind(suite, tmp_path: Path) -> None:
    backends = _knox_with(tmp_path, 'credential_kind = "opaque"', 'credential_kind = "jwt"')
    code, results, output = suite(
        f"--backends-dir={backends}", "--variant=knox-token", "-k", "test_credential_kind or test_jwt_alg_none_rejected"
    )
    assert code == 1, output
    assert _failed(results, "knox-token") == [
        "shared_tests/test_cap_credentials.py::test_credential_kind",
        "shared_tests/test_posture_tokens.py::test_jwt_alg_none_rejected",
    ]
    assert re.search(r"posture jwt_alg_none_rejected \([^)]*\): expected pass, found n/a", output), output


def test_a_declared_server_error_that_does_not_happen_fails(suite, tmp_path: Path) -> None:
    stale = (
        '[fuzz.server_errors."GET /api/auth/user/"]\ncause = "none: the current user answers 200"\n'
        'reproduce = [{ operation = "register" }, { request = "GET /api/auth/user/", authenticated = true }]\n\n'
    )
    backends = _knox_with(tmp_path, "[variants.token]", stale + "[variants.token]")
    code, results, output = suite(f"--backends-dir={backends}", "--variant=knox-token", "-k", "test_declared_server")
    assert code == 1, output
    assert _failed(results, "knox-token") == [
        "shared_tests/test_declared_server_errors.py::test_every_declared_server_error_still_happens"
    ]
    assert "declared server errors no longer happen (their recipe answered {'GET /api/auth/user/': 200})" in output
