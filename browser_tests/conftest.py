"""Fixtures of the browser tests: one Chromium per run, one served variant per module pass, one context per test.

Every default variant (the hardened modes too with AUTHCMP_BROWSER_ALL=1) is served in turn by
`harness.server.run_server` (profile `test`, a fresh database; `DATABASE_URL` as for the contract suite) and
every test runs once per variant; select with `-k <variant>`. Without Playwright or a Chromium binary the tests
skip and say why, unless `AUTHCMP_REQUIRE_BROWSER=1` (set it in CI) turns that into a failure, so a missing
install cannot pass for a green run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from browser_tests.browser import LAUNCH_ARGS, SCREENSHOTS, VIEWPORT, Watch, chromium_path
from harness.manifest import Manifest, select_variants
from harness.server import Server, run_server

# The default variants; AUTHCMP_BROWSER_ALL=1 adds the hardened modes, whose settings change no page or form (they
# passed here when added) and which would add two minutes to the tests session's budget.
VARIANTS = {m.variant: m for m in select_variants([]) if not m.hardens or os.environ.get("AUTHCMP_BROWSER_ALL") == "1"}


def _missing(reason: str) -> None:
    if os.environ.get("AUTHCMP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (AUTHCMP_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed: install the `browser` dependency group")
    path = chromium_path()
    if path is None:
        _missing("Chromium is not installed: `apt-get install -y chromium` (or set AUTHCMP_CHROMIUM)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module", params=list(VARIANTS), ids=list(VARIANTS))
def manifest(request: pytest.FixtureRequest) -> Manifest:
    return VARIANTS[request.param]


@pytest.fixture(scope="module")
def server(manifest: Manifest, browser: Any) -> Iterator[Server]:
    # `browser` first: without Chromium the tests skip before a server is started for nothing.
    with run_server(manifest, database_url=os.environ.get("DATABASE_URL"), profile="test") as served:
        yield served


@pytest.fixture
def watch(server: Server) -> Watch:
    return Watch(server.base_url)


@pytest.fixture
def page(browser: Any, watch: Watch) -> Iterator[Any]:
    """A page in a fresh context (no cookies) whose problems `watch` records."""
    context = browser.new_context(viewport=VIEWPORT)
    watch.attach(context)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh context of its own, for tests whose page leaves the watched origin (a provider, the localhost
    origin WebAuthn needs), which the `page` fixture's `Watch` refuses."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        yield context
    finally:
        context.close()
