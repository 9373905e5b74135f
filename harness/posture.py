"""The security posture battery: cases drawn from OWASP ASVS 5.0, RFC 8725 and OWASP cheat sheets.

Each case is observed per variant as a finding: `pass`, `fail` or `n/a` (the case cannot apply, e.g. a JWT
attack on an opaque token), with the evidence behind it. A variant expects `pass` on every case unless its
manifest's `[posture]` table declares `case = { expect = "fail" | "n/a", reason = "...", upstream = "..." }`;
the test fails when the finding differs from that expectation, so a new weakness, a fixed one and a case that
stops (or starts) applying all turn red.
Security readings of the capability matrix (harness/cases/matrix.py) are not cases: each is counted once, as a
capability.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.cases import (
    ASVS,
    CHEAT,
    RFC8725,
    Case,
    accounts,
    failure,
    hostile_input,
    profile,
    revocation,
    robustness,
    tokens,
)
from harness.manifest import Manifest, ManifestError

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "n/a"
# A measured finding whose confidence interval is too wide to decide (a timing case on a loaded machine).
INCONCLUSIVE = "inconclusive"
__all__ = [
    "ASVS", "CASES", "CHEAT", "FAIL", "INCONCLUSIVE", "NOT_APPLICABLE", "PASS", "RFC8725", "Case", "PostureCheck",
    "expectation",
]  # fmt: skip

# One module per area (harness/cases/); a case id is unique across them (harness_tests/test_manifests.py).
AREAS = (tokens, revocation, accounts, failure, profile, hostile_input, robustness)
CASES: dict[str, Case] = {case: spec for area in AREAS for case, spec in area.CASES.items()}


def expectation(manifest: Manifest, case: str) -> tuple[str, str]:
    """(expected finding, reason) of `case` for the variant: `pass` unless its manifest declares otherwise."""
    if case not in CASES:
        raise ManifestError(f"{manifest.path}: unknown posture case {case!r}")
    declared = manifest.data.get("posture", {}).get(case)
    kind = CASES[case].credential_kind
    if declared is None and kind:
        # Pinned by a claim the capability matrix verifies over HTTP, so the n/a cannot drift from the server.
        claimed = manifest.capabilities.get("credential_kind")
        claimed = claimed.get("claim") if isinstance(claimed, dict) else claimed
        if claimed != kind:
            return NOT_APPLICABLE, f"the access credential is {claimed} (credential_kind), not a {kind}"
    if declared is None:
        return PASS, ""
    if declared.get("expect") not in (PASS, FAIL, NOT_APPLICABLE) or not declared.get("reason"):
        raise ManifestError(f"{manifest.path}: posture.{case} needs expect = 'pass' | 'fail' | 'n/a' and a reason")
    return declared["expect"], declared["reason"] + (f" ({declared['upstream']})" if declared.get("upstream") else "")


@dataclass
class PostureCheck:
    """One case of the battery for one variant: `verify` a finding against the variant's expectation."""

    manifest: Manifest
    case: str
    record: Any  # Callable[[dict[str, Any]], None]

    def verify(self, finding: str, evidence: str) -> None:
        expected, reason = expectation(self.manifest, self.case)
        entry = {"id": self.case, "finding": finding, "expected": expected, "reason": reason, "evidence": evidence}
        self.record(entry)
        if finding == INCONCLUSIVE:
            # Undecided is neither the expected finding nor a new one: recorded as such, and the test skips saying
            # why, so it counts as neither a pass nor a failure. Imported here: the report imports this module too.
            import pytest

            pytest.skip(f"[{self.manifest.variant}] posture {self.case}: inconclusive: {evidence}")
        # n/a is pinned like the other findings: a case that stops applying (an attack no longer tried because
        # the credential changed kind) fails as loudly as a new weakness.
        assert finding == expected, (
            f"[{self.manifest.variant}] posture {self.case} ({CASES[self.case].reference}): expected {expected}, "
            f"found {finding}: {evidence}" + (f"; declared because {reason}" if reason else "")
        )

    def passes_if(self, condition: bool, evidence: str) -> None:
        self.verify(PASS if condition else FAIL, evidence)
