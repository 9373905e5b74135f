"""Contract clients that connect from another loopback address: what a server sees as another client.

Any 127/8 address reaches a server bound to 127.0.0.1, and the server reads it as REMOTE_ADDR, the address every
per-client throttle here counts by (the hardened settings set NUM_PROXIES = 0). The throttling capabilities give
each attacker, owner and set-up step an address of its own, so one case's counters never decide another's.
"""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import HTTPAdapter

from harness.client import ContractClient
from harness.manifest import Manifest
from harness.server import Server


class FromAddress(HTTPAdapter):
    """Connects from `address` instead of the default source address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(manifest: Manifest, server: Server, address: str) -> ContractClient:
    """A fresh contract client of `server` whose requests come from `address` (it reads the server's mail folder)."""
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return ContractClient(manifest, server.base_url, http=session, mail_dir=server.mail_dir)
