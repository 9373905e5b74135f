"""What a person sees in a browser, per variant: the index page, the API docs, and signing up and logging in
through DRF's browsable API, every page styled, with no console error and no request leaving the server.

A variant's library views are DRF views exactly when its OpenAPI schema lists them: for those the
browsable forms must work; a library whose endpoints are not DRF views has no browsable form to fill, and
the form test skips and says so. Screenshots of every page land in results/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from browser_tests.browser import Watch, assert_styled, browsable_answer, is_browsable, register_and_log_in
from harness.manifest import CORE_OPERATIONS, Manifest
from harness.server import Server


def _schema(server: Server) -> dict[str, Any]:
    reply = requests.get(f"{server.base_url}/api/schema/", params={"format": "json"}, timeout=30)
    assert reply.status_code == 200, f"[{server.variant}] /api/schema/ answered {reply.status_code}: {reply.text[:300]}"
    return reply.json()


def _assert_clean(watch: Watch, variant: str) -> None:
    problems = watch.problems()
    assert not problems, f"[{variant}] the browser saw problems:\n  " + "\n  ".join(problems)


def test_schema_lists_the_library_endpoints(manifest: Manifest, server: Server) -> None:
    schema = _schema(server)
    assert str(schema.get("openapi", "")).startswith("3."), f"[{manifest.variant}] not an OpenAPI 3 document"
    paths = schema.get("paths", {})
    operations = [manifest.operation(name) for name in CORE_OPERATIONS]
    documented = [op.name for op in operations if op.method.lower() in paths.get(op.path, {})]
    print(f"\n[{manifest.variant}] schema: {len(paths)} paths; core operations documented: {documented or 'none'}")
    # Every core operation is a DRF view, hence documented, unless the manifest's [schema] table says which are
    # not (allauth headless's own views are plain Django views); the claim is held in both directions.
    declared = set(manifest.data.get("schema", {}).get("undocumented", []))
    missing = {op.name for op in operations if op.name not in documented}
    assert missing == declared, (
        f"[{manifest.variant}] core operations missing from the schema: {sorted(missing) or 'none'}; "
        f"the manifest declares as undocumented: {sorted(declared) or 'none'}"
    )


def test_index_names_the_variant_and_links_its_endpoints(
    manifest: Manifest, server: Server, page: Any, watch: Watch, screenshots: Path
) -> None:
    reply = page.goto(server.base_url + "/")
    assert reply.status == 200
    assert page.locator("h1#variant").inner_text() == manifest.variant
    shown = dict(
        zip(
            page.locator("#versions th").all_inner_texts(),
            page.locator("#versions td").all_inner_texts(),
            strict=True,
        )
    )
    for name, version in server.health["versions"].items():
        assert shown.get(name) == version, f"[{manifest.variant}] index shows {name} {shown.get(name)}, not {version}"
    links = set(page.locator("#library-endpoints a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    for name in ("register", "login"):
        path = manifest.operation(name).path
        assert path in links, f"[{manifest.variant}] the index links no {name} endpoint {path}: {sorted(links)}"
    assert_styled(page)
    page.screenshot(path=screenshots / f"{manifest.variant}-index.png", full_page=True)
    print(f"\n[{manifest.variant}] index: {len(links)} library endpoint links; versions {shown}")
    _assert_clean(watch, manifest.variant)


def test_docs_page_renders_the_schema_from_local_assets(
    manifest: Manifest, server: Server, page: Any, watch: Watch, screenshots: Path
) -> None:
    page.goto(server.base_url + "/")
    page.locator("#docs-link").click()
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    shown = set(page.locator(".opblock-summary-path").evaluate_all("spans => spans.map(s => s.dataset.path)"))
    expected = set(_schema(server)["paths"])
    assert shown == expected, f"[{manifest.variant}] Swagger UI shows {sorted(shown)}, schema has {sorted(expected)}"
    # Swagger UI's own stylesheet colours the method badges; unstyled they would be transparent.
    badge = page.evaluate("getComputedStyle(document.querySelector('.opblock-summary-method')).backgroundColor")
    assert badge not in ("", "transparent", "rgba(0, 0, 0, 0)"), f"[{manifest.variant}] Swagger UI is unstyled"
    page.screenshot(path=screenshots / f"{manifest.variant}-docs.png")
    print(f"\n[{manifest.variant}] docs: Swagger UI shows {len(shown)} paths")
    _assert_clean(watch, manifest.variant)


def test_register_and_login_through_the_browsable_forms(
    manifest: Manifest, server: Server, page: Any, watch: Watch, screenshots: Path
) -> None:
    login, register = manifest.operation("login"), manifest.operation("register")
    paths = _schema(server)["paths"]
    if login.path not in paths and register.path not in paths:
        pytest.skip(f"{manifest.variant}: {login.path} and {register.path} are not DRF views (not in the schema)")

    # What a person gets by opening the login endpoint: DRF's page (HTML, for the browser's Accept header)
    # answering 405 to the GET, with the form to POST.
    reply = page.goto(server.base_url + login.path)
    assert "text/html" in reply.request.headers["accept"]
    assert reply.headers["content-type"].startswith("text/html"), f"[{manifest.variant}] login page is not HTML"
    assert is_browsable(page), f"[{manifest.variant}] {login.path} does not render DRF's browsable API"
    _, status_line, _ = browsable_answer(page)
    assert_styled(page)
    page.screenshot(path=screenshots / f"{manifest.variant}-login-form.png")

    results = [
        f"{op.name} {op.method} {op.path} via {answer.form}: {answer.status_line}"
        for op, answer in register_and_log_in(page, manifest, server.base_url)
    ]
    page.screenshot(path=screenshots / f"{manifest.variant}-logged-in.png")
    print(f"\n[{manifest.variant}] login page GET: {status_line}\n  " + "\n  ".join(results))
    _assert_clean(watch, manifest.variant)
