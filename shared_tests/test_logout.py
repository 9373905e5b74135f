"""Logout: it succeeds, and the credential used afterwards is refused or accepted as the manifest claims.

Stateless JWT access tokens typically outlive logout until they expire; the manifest says so with
`logout_revokes_credential = false`, and the suite holds the variant to that claim in both directions.
"""

from __future__ import annotations

import pytest

from harness.capabilities import claim
from harness.client import ContractClient

pytestmark = pytest.mark.operation("logout")


def test_logout_succeeds(signed_up: ContractClient) -> None:
    signed_up.logout()


def test_credential_after_logout_is_refused_as_declared(signed_up: ContractClient) -> None:
    credential = signed_up.credentials["access"]
    signed_up.logout()
    reply = signed_up.send("me", credential=credential)
    if claim(signed_up.manifest, "logout_revokes_credential"):
        signed_up.expect(reply, signed_up.manifest.unauthenticated_status)
    else:
        signed_up.expect(reply, *signed_up.manifest.operation("me").status)
