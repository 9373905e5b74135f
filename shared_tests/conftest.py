"""Fixtures of the black-box contract suite: one server per variant, one manifest-built client per test.

The suite never imports backend code. By default a session-scoped fixture starts each selected variant
under gunicorn on a fresh, migrated database (`harness.server.run_server`) and stops it after the
variant's tests; `--base-url` points the same tests at a deployment that is already running. Variants come
from `--variant` (repeatable; all discovered variants by default) and every test runs once per variant.
Known deviations declared in a manifest become strict xfails here, so a fixed deviation turns red too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import capabilities, services
from harness import manifest as manifests
from harness.capabilities import Check
from harness.client import ContractClient, User
from harness.manifest import Manifest, ManifestError, select_variants
from harness.posture import CASES as posture_cases
from harness.posture import PostureCheck
from harness.recorder import ResultsRecorder, test_key
from harness.server import Server, fetch_health, run_server
from harness.services import ServiceMissing
from shared_tests.servers import another_server

VARIANTS = pytest.StashKey[list[Manifest]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contract")
    group.addoption("--variant", action="append", default=[], help="variant to test (repeatable; default all)")
    group.addoption(
        "--base-url",
        default=os.environ.get("AUTHCMP_BASE_URL"),
        help="test a running deployment of the single --variant instead of starting one (env AUTHCMP_BASE_URL)",
    )
    group.addoption(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="sqlite:// (default) or postgres:// URL; PostgreSQL runs get a database of their own (env DATABASE_URL)",
    )
    group.addoption("--profile", default="test", help="settings profile of started servers (default: test)")
    group.addoption("--backends-dir", default=str(manifests.BACKENDS_DIR), help=argparse.SUPPRESS)
    group.addoption("--soak-seconds", type=float, default=10.0, help="duration of the robustness soak (default 10)")
    group.addoption(
        "--timing-rounds",
        type=int,
        default=30,
        help="interleaved rounds (pairs) per timing comparison (default 30; `nox -s tests` runs 12: a wider "
        "interval, more often inconclusive, but never a different verdict)",
    )
    group.addoption("--results-json", default=None, help="write per-variant results and environment here")
    group.addoption("--matrix-json", default=None, help="with --results-json: also write the capability matrix here")


def _selected(config: pytest.Config) -> list[Manifest]:
    try:
        selected = select_variants(config.getoption("--variant"), Path(config.getoption("--backends-dir")))
    except ManifestError as exc:
        raise pytest.UsageError(str(exc)) from None
    if config.getoption("--base-url") and len(selected) != 1:
        raise pytest.UsageError("--base-url needs exactly one --variant: the manifest of what is deployed there")
    return selected


def pytest_configure(config: pytest.Config) -> None:
    config.stash[VARIANTS] = _selected(config)
    for manifest in config.stash[VARIANTS]:
        missing, unknown = capabilities.missing_claims(manifest), capabilities.unknown_claims(manifest)
        unknown += [f"posture.{case}" for case in manifest.data.get("posture", {}) if case not in posture_cases]
        if missing or unknown:
            raise pytest.UsageError(
                f"{manifest.path} [{manifest.variant}]: every capability needs a claim; "
                f"missing: {', '.join(missing) or 'none'}; unknown: {', '.join(unknown) or 'none'}"
            )
    if config.getoption("--results-json"):
        config.pluginmanager.register(ResultsRecorder(config), "authcmp-results")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "manifest" in metafunc.fixturenames:
        selected = metafunc.config.stash[VARIANTS]
        metafunc.parametrize("manifest", selected, ids=[m.variant for m in selected], scope="session")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run variants one after another (one server each); turn each declared deviation into a strict xfail;
    a deviation naming no test is a manifest error."""
    selected: list[Manifest] = config.stash[VARIANTS]
    order = {manifest.variant: index for index, manifest in enumerate(selected)}

    def variant_order(item: pytest.Item) -> int:
        manifest = _manifest_of(item)
        return order.get(manifest.variant, -1) if manifest else -1

    items.sort(key=variant_order)
    names = {name for item in items if (manifest := _manifest_of(item)) for name in _deviation_keys(item, manifest)}
    for manifest in selected:
        stale = sorted(set(manifest.deviations) - names)
        selecting = (
            config.option.keyword or config.option.markexpr or config.option.deselect or config.args != ["shared_tests"]
        )
        if stale and not selecting:
            raise pytest.UsageError(f"{manifest.path}: deviations name no test: {', '.join(stale)}")
    # An observation-only configuration (`observes`) runs the capability tests it claims, nothing else.
    dropped = [
        item
        for item in items
        if (found := _manifest_of(item))
        and found.observes
        and _deviation_keys(item, found)[0].removeprefix("test_") not in found.data["observed_only"]
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in set(dropped)]
    for item in items:
        found = _manifest_of(item)
        if found is None:
            continue
        declared = [key for key in _deviation_keys(item, found) if key in found.deviations]
        if declared:
            reason = f"declared deviation of {found.variant}: {found.deviations[declared[0]]}"
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


def _manifest_of(item: pytest.Item) -> Manifest | None:
    callspec = getattr(item, "callspec", None)
    manifest = callspec.params.get("manifest") if callspec else None
    return manifest if isinstance(manifest, Manifest) else None


def _deviation_keys(item: pytest.Item, manifest: Manifest) -> tuple[str, str]:
    """A deviation names a test function, or one case of it: `test_x` or `test_x[other-params]`."""
    # Every parametrized test is a pytest.Function, which has `originalname`; other items fall back to their name.
    return getattr(item, "originalname", item.name), test_key(item.name, manifest.variant)


def pytest_report_header(config: pytest.Config) -> str:
    where = config.getoption("--base-url") or f"gunicorn on {config.getoption('--database-url') or 'sqlite'}"
    return f"variants: {', '.join(m.variant for m in config.stash[VARIANTS])} ({where})"


@pytest.fixture(scope="session")
def server(manifest: Manifest, pytestconfig: pytest.Config) -> Iterator[Server]:
    """The variant under test, started for this session or found at --base-url."""
    recorder = pytestconfig.pluginmanager.get_plugin("authcmp-results")
    base_url = pytestconfig.getoption("--base-url")
    with contextlib.ExitStack() as stack:
        if base_url:
            server = Server(base_url.rstrip("/"), manifest.variant, fetch_health(base_url.rstrip("/")))
        else:
            database_url, profile = (
                pytestconfig.getoption("--database-url"),
                pytestconfig.getoption("--profile"),
            )
            try:
                server = stack.enter_context(run_server(manifest, database_url=database_url, profile=profile))
            except ServiceMissing as exc:
                if services.required_in_this_run():  # CI provides every service: missing one is a failure there
                    pytest.fail(f"{exc} ({services.REQUIRE_ENV}=1)", pytrace=False)
                pytest.skip(str(exc))
        if recorder:
            recorder.add_variant(manifest, server)
        yield server
    if recorder and server.settings_reads:  # filled once the server has stopped (harness/settings_reads.py)
        recorder.add_settings_reads(manifest, server.settings_reads)


@pytest.fixture(scope="session")
def production(manifest: Manifest, pytestconfig: pytest.Config) -> Iterator[Server]:
    """The variant again, with the production profile (PBKDF2, and the per-address limits the test profile lifts:
    the suite sends everything from 127.0.0.1) and two gunicorn workers, so a limit counted per worker shows. One
    per variant, started by the first case that needs it and shared by every module that does (limits, cookies)."""
    needs = "with the production profile and other client addresses"
    with another_server(manifest, pytestconfig, needs, profile="production", workers=2) as server:
        yield server


@pytest.fixture
def client(manifest: Manifest, server: Server) -> Iterator[ContractClient]:
    """A client with no credentials yet, bound to the variant's manifest and server."""
    with ContractClient(manifest, server.base_url, mail_dir=server.mail_dir) as client:
        yield client


@pytest.fixture
def user() -> User:
    return User.new()


@pytest.fixture
def signed_up(client: ContractClient, user: User) -> ContractClient:
    """A client holding the credential of a freshly registered user (logged in where registration is not)."""
    return client.sign_up(user)


@pytest.fixture
def capability(request: pytest.FixtureRequest, manifest: Manifest) -> Check:
    """The claim under test, named by the test (`test_<capability id>`); its verdict is recorded for the matrix."""
    name = request.node.originalname.removeprefix("test_")
    return Check(manifest, name, lambda entry: request.node.user_properties.append(("capability", entry)))


@pytest.fixture
def posture(request: pytest.FixtureRequest, manifest: Manifest) -> PostureCheck:
    """The posture case under test, named by the test (`test_<case id>`); its finding is recorded for the report."""
    name = request.node.originalname.removeprefix("test_")
    return PostureCheck(manifest, name, lambda entry: request.node.user_properties.append(("posture", entry)))


@pytest.fixture
def own_server(server: Server, pytestconfig: pytest.Config) -> Server:
    """The server, when the harness started it: some observations need its database or its mail folder."""
    if pytestconfig.getoption("--base-url"):
        pytest.skip("needs a server the harness started (its database or mail folder); not a --base-url deployment")
    return server
