"""The revocation cases can fail: a fake whose logout ignores the cookie transport, and every case's claim flipped.

- `cookie_logout-header_only` (harness_tests/fake_backends/cookie_logout/) sets its token as a cookie that
  authenticates alone, and answers a cookie-only logout like a real one while deleting nothing. Its manifest
  claims what the `honest` mode does, so exactly the cookie-transport case must turn red, and `honest` stays green.
- On a copy of allauth_restauth's manifest, JWT mode's expectation of each of the 13 revocation cases is flipped
  (pass <-> fail, n/a -> pass): each case's test must fail, so every verdict comes from what the server did
  (n/a included: a case found not to apply is an observation too), not from the manifest.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from harness import manifest as manifests
from harness.cases.revocation import CASES
from harness.manifest import BACKENDS_DIR
from harness.posture import FAIL, NOT_APPLICABLE, PASS, expectation

FAKES = Path(__file__).parent / "fake_backends"
FLIPPED = {PASS: FAIL, FAIL: PASS, NOT_APPLICABLE: PASS}
MODULES = ("test_revocation_events.py", "test_revocation_logout.py", "test_revocation_refresh.py")
SELECTION = " or ".join(name.removesuffix(".py") for name in MODULES)


def _failed(results: dict, variant: str) -> list[str]:
    return sorted(key for key, test in results["variants"][variant]["tests"].items() if test["outcome"] == "failed")


def test_logout_that_ignores_the_cookie_transport_is_caught(suite) -> None:
    code, results, output = suite(
        f"--backends-dir={FAKES}", "--variant=cookie_logout-header_only", "--variant=cookie_logout-honest",
        "-k", SELECTION,
    )  # fmt: skip
    assert code == 1, output
    assert _failed(results, "cookie_logout-header_only") == [
        "shared_tests/test_revocation_logout.py::test_logout_by_cookie_revokes_what_header_logout_revokes"
    ]
    assert _failed(results, "cookie_logout-honest") == []
    assert "logout by cookies alone (POST /auth/token/logout/ answered 204: (empty body)) revokes []" in output


def _with_flipped_jwt_posture(tmp_path: Path) -> Path:
    """A copy of allauth_restauth whose [variants.jwt.posture] expects the opposite of every revocation finding."""
    backends = tmp_path / "backends"
    shutil.copytree(BACKENDS_DIR / "allauth_restauth", backends / "allauth_restauth")
    path = backends / "allauth_restauth" / "manifest.toml"
    jwt = manifests.load("allauth_restauth-jwt")
    flipped = [
        f'{case} = {{ expect = "{FLIPPED[expectation(jwt, case)[0]]}", reason = "flipped by the self-test" }}'
        for case in CASES
    ]
    text = path.read_text()
    header = "[variants.jwt.posture]\n"
    assert header in text, "allauth_restauth's manifest no longer has a [variants.jwt.posture] table"
    before, _, rest = text.partition(header)
    table, _, after = rest.partition("\n[")
    kept = [line for line in table.splitlines() if not re.match(rf"^({'|'.join(CASES)}) = ", line)]
    path.write_text(before + header + "\n".join(kept + flipped) + "\n" + ("\n[" + after if after else ""))
    return backends


def test_every_revocation_case_fails_when_its_expectation_is_flipped(suite, tmp_path: Path) -> None:
    backends = _with_flipped_jwt_posture(tmp_path)
    code, results, output = suite(f"--backends-dir={backends}", "--variant=allauth_restauth-jwt", "-k", SELECTION)
    assert code == 1, output
    failed = {key.rpartition("::test_")[2] for key in _failed(results, "allauth_restauth-jwt")}
    assert failed == set(CASES), f"cases that did not turn red: {sorted(set(CASES) - failed)}"
