"""Logout: the operation succeeds with the declared status.

What it revokes (this device, other devices, refresh tokens) is a capability, verified in
`test_cap_logout.py` against each variant's claims.
"""

from __future__ import annotations

import pytest

from harness.client import ContractClient

pytestmark = pytest.mark.operation("logout")


def test_logout_succeeds(signed_up: ContractClient) -> None:
    signed_up.logout()
