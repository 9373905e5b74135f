"""Posture cases about profile updates: what a client may change about its own account, and how."""

from __future__ import annotations

from harness.cases import Case

CASES: dict[str, Case] = {}
