"""An observation-only mode's flip is an observation: with its claim flipped, the one test it runs must fail.

Three modes, one per way a ⚙ flip is observed there: a required setting removed, so the operation answers 500
(djoser's PASSWORD_RESET_CONFIRM_URL: the reset request's 5xx is observed as reset not working, never skipped or
errored); a login field renamed (djoser's LOGIN_FIELD, bound in the mode's manifest); and another client API with
Django's double-submit CSRF (allauth headless's browser client). Each must fail with the mismatch of observation
and (flipped) claim, naming what was seen.
"""

from __future__ import annotations

from pathlib import Path

from harness_tests.flip import write_flipped_backends

# mode -> (the one test its claim decides, what its (shortened) failure message must say)
MODES = {
    "djoser-token_reset_url_unset": (
        "test_password_reset_end_to_end",
        "declared True, observed False",
        "Server Error (500)",
    ),
    "djoser-token_login_email": ("test_login_by_email", "capability login_by_email: declared False, observed True"),
    "allauth_headless-session_browser_client": (
        "test_cookie_transport",
        "capability cookie_transport: declared False, observed True",
    ),
}


def test_each_observation_only_mode_fails_when_its_claim_is_flipped(suite, tmp_path: Path) -> None:
    assert set(MODES) <= set(write_flipped_backends(tmp_path / "backends"))
    args = [f"--backends-dir={tmp_path / 'backends'}", *(f"--variant={mode}" for mode in MODES)]
    # The flipped copy claims every capability in every mode, so the selection names the modes' own tests.
    code, results, output = suite(*args, "-k", " or ".join(test for test, *_ in MODES.values()), "-p", "no:randomly")
    assert code == 1, output[-3000:]
    for mode, (name, *seen) in MODES.items():
        tests = {
            test["nodeid"].split("::")[-1].split("[")[0]: test for test in results["variants"][mode]["tests"].values()
        }
        assert tests[name]["outcome"] == "failed", (mode, tests[name])
        assert all(text in tests[name]["message"] for text in seen), (mode, tests[name]["message"][:500])
