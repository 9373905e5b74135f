"""The hardened variants' evidence can fail: a missing Redis is a skip with its reason (a failure in CI), a run's
cache keys are deleted, and a ⚙ whose flip was not observed is counted as unverified, never as a flip."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from harness import services
from harness.manifest import BACKENDS_DIR, load_backend
from report.matrix import DID_NOT_FLIP, OBSERVED, UNVERIFIED, flips

NOBODY = "redis://127.0.0.1:1/0"  # port 1: nothing answers there
HARDENED_MODE = """
[variants.token_hardened]
hardens = "token"
settings = "backends.knox.settings"
requires = ["redis"]
"""


def _knox_with_a_hardened_mode(tmp_path: Path) -> Path:
    backends = tmp_path / "backends"
    shutil.copytree(BACKENDS_DIR / "knox", backends / "knox")
    manifest = backends / "knox" / "manifest.toml"
    if "[variants.token_hardened]" not in manifest.read_text():
        manifest.write_text(manifest.read_text() + HARDENED_MODE)
    return backends


def test_hardened_variant_without_redis_is_skipped_locally_with_the_reason(suite, tmp_path: Path) -> None:
    backends = _knox_with_a_hardened_mode(tmp_path)
    args = (f"--backends-dir={backends}", "--variant=knox-token_hardened", "-k", "test_login_returns", "-rs")
    code, _, output = suite(*args, env={services.REDIS_URL_ENV: NOBODY, services.REQUIRE_ENV: ""})
    assert code == 0, output
    assert "skipped" in output and f"none answers at {NOBODY}" in output, output


def test_hardened_variant_without_redis_fails_where_services_are_required(suite, tmp_path: Path) -> None:
    backends = _knox_with_a_hardened_mode(tmp_path)
    args = (f"--backends-dir={backends}", "--variant=knox-token_hardened", "-k", "test_login_returns")
    code, _, output = suite(*args, env={services.REDIS_URL_ENV: NOBODY, services.REQUIRE_ENV: "1"})
    assert code == 1, output
    assert f"none answers at {NOBODY}" in output and "AUTHCMP_REQUIRE_SERVICES=1" in output, output


def test_a_run_deletes_its_own_cache_keys_and_no_others(tmp_path: Path) -> None:
    if not services.redis_answers(services.redis_url()):
        if services.required_in_this_run():
            pytest.fail(f"no Redis at {services.redis_url()} ({services.REQUIRE_ENV}=1)")
        pytest.skip(f"no Redis answers at {services.redis_url()}")
    import redis

    client = redis.Redis.from_url(services.redis_url())
    bystander = "authcmp-selftest-bystander"
    client.set(bystander, "kept")
    manifest = load_backend(_knox_with_a_hardened_mode(tmp_path) / "knox" / "manifest.toml")["knox-token_hardened"]
    try:
        with services.provide(manifest) as env:
            prefix = env[services.CACHE_PREFIX_ENV]
            client.set(f"{prefix}:1:throttle", "3")
            assert client.exists(f"{prefix}:1:throttle")
        assert not client.exists(f"{prefix}:1:throttle"), "the run's key outlived the run"
        assert client.get(bystander) == b"kept", "the cleanup deleted a key of someone else's"
    finally:
        client.delete(bystander)
        client.close()


def _cell(declared: Any, observed: Any, **extra: Any) -> dict[str, Any]:
    return {"declared": declared, "observed": observed, "test": "t.py::t", **extra}


def _matrix(default: dict[str, Any], hardened: dict[str, Any] | None) -> dict[str, Any]:
    variants: dict[str, Any] = {"x-token": {"hardens": None, "capabilities": {"c": default}}}
    if hardened is not None:
        variants["x-token_hardened"] = {"hardens": "x-token", "capabilities": {"c": hardened}}
    return {"variants": variants}


SETTING = {"setting": "X['Y']", "flips_in": "x-token_hardened"}


@pytest.mark.parametrize(
    ("default", "hardened", "verdict"),
    [
        (_cell(False, False, **SETTING), _cell(True, True), OBSERVED),
        (_cell(False, False, **SETTING), _cell(False, False, finding="the setting is read nowhere"), DID_NOT_FLIP),
        (_cell(False, False, **SETTING), _cell(False, False), UNVERIFIED),  # same value, nothing said
        (_cell(False, False, **SETTING), _cell(True, False), UNVERIFIED),  # the hardened claim's test failed
        (_cell(False, False, **SETTING), None, UNVERIFIED),  # the flipping variant did not run
        (_cell(False, False, **SETTING), _cell(True, True, unverified="needs mail confirmation"), UNVERIFIED),
        (_cell(False, False, setting="X['Y']", flips_in=None), None, UNVERIFIED),  # nothing flips it
    ],
    ids=["flipped", "finding", "same-silent", "failed", "not-run", "declared-unverified", "no-target"],
)
def test_a_setting_counts_as_flipped_only_when_both_observations_differ(default, hardened, verdict) -> None:
    (found,) = flips(_matrix(default, hardened))
    assert found.verdict == verdict, found
    assert [f.verdict for f in flips(_matrix(default, hardened))].count(UNVERIFIED) == (verdict == UNVERIFIED)


PROBE_MODE = """
[variants.token_probe]
observes = "token"
settings = "backends.knox.settings"
capabilities.login_by_username = true
"""


def test_an_observation_only_mode_runs_only_the_capabilities_it_claims(suite, tmp_path: Path) -> None:
    backends = tmp_path / "backends"
    shutil.copytree(BACKENDS_DIR / "knox", backends / "knox")
    manifest = backends / "knox" / "manifest.toml"
    manifest.write_text(manifest.read_text() + PROBE_MODE)
    assert load_backend(manifest)["knox-token_probe"].observes == "knox-token"
    code, _, output = suite(f"--backends-dir={backends}", "--variant=knox-token_probe", "--collect-only")
    collected = [line for line in output.splitlines() if "::" in line]
    assert code == 0 and collected == ["shared_tests/test_cap_credentials.py::test_login_by_username[knox-token_probe]"]
    code, _, output = suite(f"--backends-dir={backends}", "--collect-only")  # no names: no probe
    assert code == 0 and "knox-token_probe" not in output and "[knox-token]" in output, output
