"""The served OpenAPI documents against the manifest, so that a cell saying "absent" is an observation.

A variant serves drf-spectacular's schema and, where the library has one, its own (allauth headless's
`HEADLESS_SERVE_SPECIFICATION`). Every operation they offer is bound to a contract operation or declared
unbound with what it is (`[schema.unbound]`); a capability test that finds an operation unbound relies on
this (`observe.offers`), so an endpoint that a new release adds fails the suite instead of hiding behind a "no".
"""

from __future__ import annotations

from harness.manifest import Manifest
from harness.server import Server
from shared_tests.observe import served_operations, unaccounted_operations


def test_every_served_operation_is_bound_or_declared_unbound(manifest: Manifest, server: Server) -> None:
    unaccounted = unaccounted_operations(manifest, server.base_url)
    assert unaccounted == [], (
        f"[{manifest.variant}] the served schema offers operations the manifest neither binds nor declares "
        f"unbound in [schema.unbound]: {', '.join(unaccounted)}"
    )


def test_every_declared_unbound_operation_is_served(manifest: Manifest, server: Server) -> None:
    stale = sorted(set(manifest.unbound_operations) - served_operations(manifest, server.base_url))
    assert stale == [], f"[{manifest.variant}] [schema.unbound] names operations no served schema offers: {stale}"


def test_every_bound_operation_is_in_a_served_schema(manifest: Manifest, server: Server) -> None:
    served = served_operations(manifest, server.base_url)
    missing = sorted(
        f"{name} ({key})" for name in manifest.data["operations"] if (key := manifest.operation_key(name)) not in served
    )
    assert missing == [], f"[{manifest.variant}] bound operations that no served schema documents: {missing}"
