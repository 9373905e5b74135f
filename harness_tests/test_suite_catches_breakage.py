"""The suite must fail what is broken: a fake variant whose logout revokes nothing, and a flipped claim.

Bowtie-style: a deliberately broken implementation proves the harness can tell "non-compliant" from
"compliant". Each case runs the contract suite in a subprocess and reads its results record.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from harness.manifest import BACKENDS_DIR

FAKES = Path(__file__).parent / "fake_backends"


def _failed(results: dict, variant: str) -> list[str]:
    return sorted(key for key, test in results["variants"][variant]["tests"].items() if test["outcome"] == "failed")


def test_fake_variant_whose_logout_revokes_nothing_is_caught(suite) -> None:
    code, results, output = suite(f"--backends-dir={FAKES}", "--variant=broken-logout_noop", "-k", "test_cap_logout")
    assert code == 1, output
    assert "shared_tests/test_cap_logout.py::test_logout_revokes_credential" in _failed(results, "broken-logout_noop")
    assert "[broken-logout_noop] capability logout_revokes_credential: declared True, observed False" in output


def test_flipping_one_claim_fails_exactly_its_test(suite, tmp_path: Path) -> None:
    backends = tmp_path / "backends"
    shutil.copytree(BACKENDS_DIR / "knox", backends / "knox")
    manifest = backends / "knox" / "manifest.toml"
    text = manifest.read_text()
    flipped = text.replace("credential_hashed_at_rest = { claim = true", "credential_hashed_at_rest = { claim = false")
    assert flipped != text, "the knox manifest no longer claims credential_hashed_at_rest = true"
    manifest.write_text(flipped)
    code, results, output = suite(f"--backends-dir={backends}", "--variant=knox-token", "-k", "test_cap_")
    assert code == 1, output
    assert _failed(results, "knox-token") == ["shared_tests/test_cap_credentials.py::test_credential_hashed_at_rest"]
    assert "[knox-token] capability credential_hashed_at_rest: declared False, observed True" in output


def test_removed_logout_url_fails_naming_operation_and_variant(suite) -> None:
    code, results, output = suite(f"--backends-dir={FAKES}", "--variant=broken-no_logout_url", "-k", "test_logout.py")
    assert code == 1, output
    assert _failed(results, "broken-no_logout_url") == ["shared_tests/test_logout.py::test_logout_succeeds"]
    assert "[broken-no_logout_url] logout: expected status 204, but POST /auth/token/logout/ answered 404" in output
