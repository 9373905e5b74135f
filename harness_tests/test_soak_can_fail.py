"""The soak can fail where sign-up is confirmed by mail: a verification mail that never comes is a lost sign-up.

The soak confirms each sign-up through the mailed link where the variant's verification is mandatory (without it
every login of those modes is refused and the load never reaches `me` or logout with a credential). A copy of
djoser's manifest whose `[mail].verify_link` matches no mail the server writes stands for a server that loses its
verification mail: the soak must say `verify_email no mail` and fail, while every request still answers below 500.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from harness import services
from harness.manifest import BACKENDS_DIR


def test_a_sign_up_whose_verification_mail_never_comes_fails_the_soak(suite, tmp_path: Path) -> None:
    # Every mode whose sign-up is confirmed by mail is a hardened one, and those need Redis (README).
    if not services.redis_answers(services.redis_url()):
        if services.required_in_this_run():
            pytest.fail(f"no Redis at {services.redis_url()} ({services.REQUIRE_ENV}=1)")
        pytest.skip(f"no Redis answers at {services.redis_url()}")
    target = tmp_path / "backends" / "djoser"
    shutil.copytree(BACKENDS_DIR / "djoser", target)
    manifest = target / "manifest.toml"
    text, found = re.subn(r"(?m)^verify_link = .*$", 'verify_link = "never-mailed/(?P<uid>x)/(?P<token>y)"',
                          manifest.read_text())  # fmt: skip
    assert found == 1, "djoser's manifest no longer names one [mail].verify_link"
    manifest.write_text(text)
    code, results, output = suite(f"--backends-dir={target.parent}", "--variant=djoser-token_hardened",
                                  "--soak-seconds=2", "-k", "test_soak")  # fmt: skip
    assert code == 1, output
    soak = "shared_tests/test_robustness.py::test_soak_has_no_server_errors_and_loses_no_account"
    outcome = results["variants"]["djoser-token_hardened"]["tests"][soak]
    assert outcome["outcome"] == "failed", outcome
    assert "verify_email no mail" in output and ", 0 5xx;" in output, output
