"""The flip sweep: with every capability claim and posture expectation flipped, every such test must fail.

One suite run over all variants against the manifests `flip.py` writes (real servers, flipped claims). A
capability or posture test that still passes is one whose verdict does not depend on what it observed: a
test that cannot fail. Skips are reported apart (they ran nothing: e.g. the PostgreSQL-only fault case on
SQLite) and an inconclusive timing verdict, recorded as such, is the only finding a flip may leave standing.
The sweep also writes the table of harness_tests/README.md (`python -m harness_tests.catalog`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from harness_tests.flip import write_flipped_backends

# The tests a flipped claim reaches: capability tests, the posture battery (robustness included).
SELECTION = "test_cap_ or test_posture_ or test_revocation or test_robustness"
# Three variants between them give every case something to observe (cookie-carried HS256 JWTs with refresh,
# RS256 JWTs, opaque tokens with reset and deletion); all seven would triple the minutes for no new verdict path.
SWEPT = ("allauth_restauth-jwt", "allauth_headless-jwt", "djoser-token")
INCONCLUSIVE = "inconclusive"


def test_every_capability_and_posture_test_fails_when_its_claim_is_flipped(suite, tmp_path: Path) -> None:
    assert set(SWEPT) <= set(write_flipped_backends(tmp_path / "backends"))
    args = [f"--backends-dir={tmp_path / 'backends'}", *(f"--variant={v}" for v in SWEPT)]
    code, results, output = suite(*args, "-k", SELECTION, "--soak-seconds=2", "-p", "no:randomly")
    assert results, output[-3000:]
    standing: dict[str, list[str]] = defaultdict(list)
    for variant, entry in results["variants"].items():
        # Only the tests that judged a claim: they recorded a capability or posture entry under their node id.
        claims = {record["test"]: record for record in (*entry.get("capabilities", {}).values(),
                                                         *entry.get("posture", {}).values())}  # fmt: skip
        for key, test in entry["tests"].items():
            judged = claims.get(test["nodeid"])
            if judged is None or test["outcome"] in ("failed", "skipped"):
                continue
            if judged.get("finding") == INCONCLUSIVE:
                continue
            standing[key].append(f"{variant}: {test['outcome']}")
    assert code == 1, output[-3000:]
    assert not standing, "tests that did not fail with their claim flipped:\n" + "\n".join(
        f"  {key}: {', '.join(where)}" for key, where in sorted(standing.items())
    )
