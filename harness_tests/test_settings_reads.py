"""A setting defined but never read is reported: the test profile records what the server reads.

`unread-jwt` (harness_tests/fake_backends/unread/) is allauth_restauth's JWT mode plus the tutorial's
`REST_USE_JWT = True` and a misspelled `REST_AUTH["SESION_LOGIN"]`; its manifest is allauth_restauth's, copied with
the fake's settings module. One login case runs; the contract record must list both as never read, and list as
read what the same login needs (REST_AUTH itself, its USE_JWT key).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from harness.manifest import BACKENDS_DIR

JWT_SETTINGS = 'settings = "backends.allauth_restauth.settings_jwt"'


def test_a_setting_defined_but_never_read_is_reported(suite, tmp_path: Path) -> None:
    target = tmp_path / "backends" / "unread"
    shutil.copytree(BACKENDS_DIR / "allauth_restauth", target)
    manifest = target / "manifest.toml"
    text = manifest.read_text()
    assert JWT_SETTINGS in text, "allauth_restauth's manifest no longer names its JWT settings module as expected"
    manifest.write_text(text.replace(JWT_SETTINGS, 'settings = "harness_tests.fake_backends.unread.settings"'))
    code, results, output = suite(
        f"--backends-dir={target.parent}", "--variant=unread-jwt", "-k", "test_login_returns_credential"
    )
    assert code == 0, output
    reads = results["variants"]["unread-jwt"]["settings_reads"]
    assert "REST_USE_JWT" in reads["unread"], reads
    assert reads["unread_keys"].get("REST_AUTH") == ["SESION_LOGIN"], reads
    assert "REST_AUTH" not in reads["unread"] and "SIMPLE_JWT" not in reads["unread"], reads
