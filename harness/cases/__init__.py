"""The posture battery's cases, one module per area; `harness.posture` assembles them and judges findings.

A case is a property every variant is expected to have, with the one reference it tests (ASVS 5.0 or RFC 8725
section, OWASP cheat sheet or CWE). Its test, `test_<case id>` under shared_tests/, observes it over HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass

ASVS, RFC8725, CHEAT = "ASVS 5.0", "RFC 8725", "OWASP Authentication Cheat Sheet"


@dataclass(frozen=True)
class Case:
    title: str
    reference: str
    credential_kind: str | None = None  # applies only where the variant's verified credential_kind claim is this
