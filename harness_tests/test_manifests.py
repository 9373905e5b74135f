"""The manifests and the capability registry agree with the suite: every claim made, every claim tested.

These run without a server: they read TOML and the test sources only.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from harness.capabilities import CAPABILITIES, declared, flip_target, missing_claims, unknown_claims
from harness.manifest import CLAIM_TABLES, REPO_ROOT, ManifestError, discover, load_backend
from harness_tests.catalog import suite_test_names

SEEDED = {"allauth_restauth-jwt", "allauth_restauth-token", "djoser-jwt", "djoser-token", "knox-token"}


def test_seeded_variants_are_discovered() -> None:
    assert set(discover()) >= SEEDED


@pytest.mark.parametrize("variant", sorted(discover()))
def test_every_variant_claims_every_capability(variant: str) -> None:
    manifest = discover()[variant]
    assert (missing_claims(manifest), unknown_claims(manifest)) == ([], [])


def test_every_capability_has_a_test_named_after_it() -> None:
    names = suite_test_names("test_cap_*.py")
    assert sorted(f"test_{capability}" for capability in CAPABILITIES if f"test_{capability}" not in names) == []
    assert len(CAPABILITIES) >= 25


def test_mode_tables_overlay_the_shared_top_level() -> None:
    jwt, token = discover()["djoser-jwt"], discover()["djoser-token"]
    assert jwt.operation("login").path == "/auth/jwt/create/"
    assert jwt.operation("login").body == token.operation("login").body, "an overlay keeps keys it does not name"
    assert jwt.auth_header == ("Authorization", "Bearer {access}")


def test_missing_operation_is_reported_with_file_and_key(tmp_path: Path) -> None:
    source = (REPO_ROOT / "backends" / "knox" / "manifest.toml").read_text()
    broken = tmp_path / "knox" / "manifest.toml"
    broken.parent.mkdir()
    broken.write_text(source.replace("[operations.logout]", "[operations.logout_renamed]"))
    with pytest.raises(
        ManifestError, match=r"manifest.toml \[variant knox-token\]: missing required key 'operations.logout.method'"
    ):
        load_backend(broken)


@pytest.mark.parametrize("variant", sorted(discover()))
def test_a_mode_claim_carries_nothing_of_the_shared_claim(variant: str) -> None:
    """Every claim a mode makes reaches its cells exactly as the mode wrote it: no note of another mode."""
    manifest = discover()[variant]
    with manifest.path.open("rb") as fh:
        mode = tomllib.load(fh)["variants"][manifest.mode]
    for table in CLAIM_TABLES:
        for key, claim in mode.get(table, {}).items():
            assert manifest.data[table][key] == claim, f"{variant}: {table}.{key} carries a shared key"


def test_a_shared_note_does_not_reach_a_mode_that_replaces_the_claim(tmp_path: Path) -> None:
    """The token mode's "never expire" note beside a JWT variant's ✅ is what merging key by key produced."""
    source = (REPO_ROOT / "backends" / "djoser" / "manifest.toml").read_text()
    assert "DRF authtoken tokens never expire" in source
    copy = tmp_path / "djoser" / "manifest.toml"
    copy.parent.mkdir()
    copy.write_text(source)
    jwt = declared(load_backend(copy)["djoser-jwt"], "credential_expiry_enforced")
    assert jwt["claim"] is True and "never expire" not in str(jwt.get("note"))


@pytest.mark.parametrize("variant", sorted(name for name, m in discover().items() if not (m.hardens or m.observes)))
def test_every_setting_names_a_variant_that_flips_it(variant: str) -> None:
    """Each ⚙ of a default variant is flipped somewhere the suite runs: a claim there that differs, or that says
    why it did not flip (`finding`) or cannot be observed yet (`unverified`). The run then judges the flip."""
    manifest, known = discover()[variant], discover()
    for capability in CAPABILITIES:
        entry = declared(manifest, capability)
        if not entry.get("setting"):
            continue
        target = flip_target(manifest, capability)
        assert target in known, f"{variant}.{capability} ⚙ {entry['setting']}: no variant flips it"
        flipped = declared(known[target], capability)
        explained = flipped.get("finding") or flipped.get("unverified")
        assert flipped["claim"] != entry["claim"] or explained, (
            f"{variant}.{capability}: {target} claims the same {entry['claim']!r}, with no finding and no unverified"
        )


def test_a_hardened_mode_overlays_the_mode_it_hardens(tmp_path: Path) -> None:
    source = (REPO_ROOT / "backends" / "djoser" / "manifest.toml").read_text()
    copy = tmp_path / "djoser" / "manifest.toml"
    copy.parent.mkdir()
    copy.write_text(source + '\n[variants.probe_hardened]\nhardens = "jwt"\nsettings = "x"\n')
    probe, jwt = load_backend(copy)["djoser-probe_hardened"], load_backend(copy)["djoser-jwt"]
    assert probe.hardens == "djoser-jwt" and probe.operation("login") == jwt.operation("login")
    assert probe.settings_module == "x" and probe.capabilities == jwt.capabilities
    copy.write_text(source + '\n[variants.probe_hardened]\nhardens = "nothing"\nsettings = "x"\n')
    with pytest.raises(ManifestError, match="hardens 'nothing', which is no default mode"):
        load_backend(copy)


@pytest.mark.parametrize("variant", [n for n, m in discover().items() if m.hardens])
def test_a_hardened_mode_names_the_cost_of_each_scenario_it_serves(variant: str) -> None:
    """The report names a hardened figure's cause from this table; a scenario it skips needs none, a typo none."""
    from benchmarks.scenarios import SCENARIOS

    manifest = discover()[variant]
    causes = manifest.data.get("cost", {})
    served = {name for name, s in SCENARIOS.items() if s.needs and all(manifest.has_operation(o) for o in s.needs)}
    assert set(causes) <= set(SCENARIOS), f"{variant}: [cost] names no scenario: {set(causes) - set(SCENARIOS)}"
    assert served - {"register"} <= set(causes), f"{variant}: [cost] names no cause for {served - set(causes)}"


@pytest.mark.parametrize("variant", list(discover()))
def test_a_growth_cause_names_a_curve_axis_and_scenario(variant: str) -> None:
    """The report looks a growing cost's cause up by axis and scenario: a typo would leave it "not named"."""
    from benchmarks.scenarios import curve_scenarios

    growth = discover()[variant].data.get("growth", {})
    assert set(growth) <= {"accounts", "credentials"}, f"{variant}: [growth] names no axis: {set(growth)}"
    for axis, named in growth.items():
        unknown = set(named) - set(curve_scenarios())
        assert not unknown, f"{variant}: [growth.{axis}] names no curve scenario: {unknown}"
