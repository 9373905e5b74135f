"""Posture cases about what a failed attempt costs and reveals: hashes per failure, timing, opaque token quality."""

from __future__ import annotations

from harness.cases import ASVS, CHEAT, Case

CASES: dict[str, Case] = {
    "login_timing_does_not_reveal_users": Case(
        "median login time: unknown user vs wrong password within 25 %", f"{ASVS} V6.3.8; {CHEAT}"
    ),
}
