"""The JWT attack cases must fail a variant that accepts forged JWTs, each naming what got through.

The fake (harness_tests/fake_backends/forgeable/) is djoser's JWT mode signing RS256 with the key the harness
gives it, read by an authentication class that verifies nothing and fetches `jku`/`x5u` URLs. It is served under a
copy of djoser's manifest whose JWT mode points at the fake's settings and declares RS256, so every case runs as
it runs against a real variant; each one the fake breaks must turn red, and the ones it leaves alone stay green.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from harness.manifest import BACKENDS_DIR

SETTINGS = 'settings = "backends.djoser.settings_jwt"'
JWT = 'jwt = { alg = "HS256", key = "AUTHCMP_JWT_SIGNING_KEY", leeway = 0 }'
KEY_CONFUSION_NA = 'jwt_key_confusion_rejected = { expect = "n/a"'
FILES = ("shared_tests/test_posture_tokens.py", "shared_tests/test_posture_jwt_headers.py")
CLAIMS = "shared_tests/test_posture_jwt_claims.py"
SELECT = ("-k", "test_posture_tokens or test_posture_jwt_headers or test_posture_jwt_claims")

# Every case the fake breaks; the others (access token refused by refresh, which simplejwt's own view still checks,
# lifetime, personal data, query string; the declared failures iss, aud and deleted user) keep their finding.
CAUGHT = sorted(
    [
        f"{FILES[0]}::test_jwt_signature_verified",
        f"{FILES[0]}::test_jwt_alg_none_rejected",
        f"{FILES[0]}::test_jwt_refresh_as_access_rejected",
        f"{FILES[1]}::test_jwt_other_algorithm_rejected",
        f"{FILES[1]}::test_jwt_key_confusion_rejected",
        f"{FILES[1]}::test_jwt_embedded_jwk_ignored",
        f"{FILES[1]}::test_jwt_jku_not_followed",
        f"{FILES[1]}::test_jwt_x5u_not_followed",
        f"{FILES[1]}::test_jwt_kid_injection_refused",
        f"{CLAIMS}::test_jwt_without_exp_rejected",
        f"{CLAIMS}::test_jwt_future_nbf_rejected",
        f"{CLAIMS}::test_jwt_future_iat_rejected",
        f"{CLAIMS}::test_jwt_expired_past_leeway_rejected",
        f"{CLAIMS}::test_jwt_untyped_token_rejected",
    ]
)


def _forgeable_djoser(tmp_path: Path) -> Path:
    backends = tmp_path / "backends"
    shutil.copytree(BACKENDS_DIR / "djoser", backends / "djoser")
    manifest = backends / "djoser" / "manifest.toml"
    text = manifest.read_text()
    for old in (SETTINGS, JWT, KEY_CONFUSION_NA):
        assert text.count(old) == 1, f"djoser's manifest no longer holds {old!r} once"
    text = text.replace(SETTINGS, 'settings = "harness_tests.fake_backends.forgeable.settings"')
    text = text.replace(JWT, 'jwt = { alg = "RS256", key = "HEADLESS_JWT_PRIVATE_KEY", leeway = 0 }')
    manifest.write_text(text.replace(KEY_CONFUSION_NA, "# " + KEY_CONFUSION_NA))
    return backends


def _outcomes(results: dict, variant: str) -> dict[str, str]:
    return {key: test["outcome"] for key, test in results["variants"][variant]["tests"].items()}


def test_a_variant_accepting_forged_jwts_fails_every_case_it_breaks(suite, tmp_path: Path) -> None:
    backends = _forgeable_djoser(tmp_path)
    code, results, output = suite(f"--backends-dir={backends}", "--variant=djoser-jwt", *SELECT)
    assert code == 1, output
    outcomes = _outcomes(results, "djoser-jwt")
    assert sorted(key for key, outcome in outcomes.items() if outcome == "failed") == CAUGHT, output
    assert all(outcome in ("failed", "passed") for outcome in outcomes.values()), outcomes  # nothing skipped
    # The evidence names what got through: an unsigned token, a token without exp; and for jku/x5u the fetch alone
    # fails the case, since the fake refuses those tokens (401) after fetching the URL (one fetch per token).
    assert "posture jwt_alg_none_rejected (ASVS 5.0 V9.1.2): expected pass, found fail" in output
    assert "'no exp': 200" in output
    assert 'jku at the listener": 401' in output
    assert "requests to the listener: ['GET /jwks.json', 'GET /jwks.json']" in output
    assert "requests to the listener: ['GET /cert.pem', 'GET /cert.pem']" in output


def test_the_genuine_variant_passes_the_same_cases(suite, tmp_path: Path) -> None:
    # The control: the unmodified manifest and project, so the red above is the fake's, not the harness's.
    code, results, output = suite("--variant=djoser-jwt", *SELECT)
    assert code == 0, output
    assert set(_outcomes(results, "djoser-jwt").values()) == {"passed"}, output
