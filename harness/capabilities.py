"""Capability claims as manifests declare them: `id = true | false` or a table with `claim`, `setting`,
`note` and, for not-applicable, `claim = "n/a"` with a `reason`."""

from __future__ import annotations

from typing import Any

from harness.manifest import Manifest, ManifestError

NOT_APPLICABLE = "n/a"


def declared(manifest: Manifest, capability: str) -> dict[str, Any]:
    """The claim as a table: {"claim": bool | "n/a", "setting": ..., "note": ..., "reason": ...}."""
    try:
        raw = manifest.capabilities[capability]
    except KeyError:
        raise ManifestError(f"{manifest.path}: variant {manifest.variant} has no claim for {capability!r}") from None
    entry = raw if isinstance(raw, dict) else {"claim": raw}
    if entry.get("claim") not in (True, False, NOT_APPLICABLE):
        raise ManifestError(f"{manifest.path}: {manifest.variant}.{capability} must claim true, false or 'n/a'")
    if entry["claim"] == NOT_APPLICABLE and not entry.get("reason"):
        raise ManifestError(f"{manifest.path}: {manifest.variant}.{capability} is 'n/a' without a reason")
    return entry


def claim(manifest: Manifest, capability: str) -> bool | str:
    return declared(manifest, capability)["claim"]
