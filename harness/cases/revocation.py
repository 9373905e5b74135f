"""Posture cases about revocation: every credential a login issues, after every event that should end it."""

from __future__ import annotations

from harness.cases import Case

CASES: dict[str, Case] = {}
