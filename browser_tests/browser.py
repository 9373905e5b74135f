"""Driving a served variant in headless Chromium: launch, watch a page for errors, read and submit DRF's forms.

Playwright drives the Chromium of the distribution (`apt-get install chromium`), never a browser build of
its own. `Watch` records what a person would see go wrong on a page: console errors, uncaught exceptions,
failed sub-resources and any request that leaves the server under test (a CDN, a font service), which is
refused before it goes out. `submit_post_form` fills the POST form of DRF's browsable API the way a person
would: the HTML form when it has a field for every key of the body, the raw-data form with JSON otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.client import ContractClient, User
from harness.manifest import Manifest, Operation
from harness.results import PATHS

SCREENSHOTS = PATHS.screenshots
# Flags for a root user on a machine without a GPU or outside network; Playwright adds --headless and a
# fresh temporary --user-data-dir itself (launch() always starts from an empty profile).
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1000, "height": 760}
# How Chromium reports an HTTP error status of a document; the status itself is checked by the tests.
_STATUS_MESSAGE = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


def chromium_path() -> str | None:
    """The Chromium binary to drive: $AUTHCMP_CHROMIUM, else `chromium` on PATH."""
    candidate = os.environ.get("AUTHCMP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return candidate if candidate and Path(candidate).exists() else None


@dataclass
class Watch:
    """Everything that went wrong on the pages of one browser context, as readable lines."""

    base_url: str
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    _document_statuses: set[tuple[str, int]] = field(default_factory=set)
    _console: list[tuple[str, str]] = field(default_factory=list)

    def attach(self, context: Any) -> None:
        context.route("**/*", self._route)
        context.on("page", self._attach_page)

    def _attach_page(self, page: Any) -> None:
        page.on("console", lambda message: self._on_console(message))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught exception on {page.url}: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_failed)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith((self.base_url + "/", "data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self._console.append((message.location.get("url", ""), message.text))

    def _on_response(self, response: Any) -> None:
        if response.request.resource_type == "document":
            self._document_statuses.add((response.url, response.status))
        elif response.status >= 400:
            self.errors.append(f"{response.status} for {response.request.resource_type} {response.url}")

    def _on_failed(self, request: Any) -> None:
        if not any(request.url == url for url in self.external):
            self.errors.append(f"request failed ({request.failure}): {request.url}")

    def problems(self) -> list[str]:
        """Errors, console errors and external requests; a document's own 4xx (a 405 GET of a POST-only
        endpoint renders the form a person fills) is expected and left to the tests' status checks."""
        console = []
        for url, text in self._console:
            status = _STATUS_MESSAGE.match(text)
            if status and (url, int(status.group(1))) in self._document_statuses:
                continue
            if any(url == blocked for blocked in self.external):
                continue  # reported once below, as the external request it is
            console.append(f"console error on {url}: {text}")
        return [*self.errors, *console, *(f"request leaving the server: {url}" for url in self.external)]


def stylesheets(page: Any) -> list[dict[str, Any]]:
    """Each linked stylesheet with the number of rules it loaded (-1 when it did not load)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('link[rel="stylesheet"]')).map(link => {
            let rules = -1;
            try { rules = link.sheet ? link.sheet.cssRules.length : -1; } catch (e) { rules = -1; }
            return {href: link.href, rules};
        })"""
    )


def assert_styled(page: Any, font_selector: str = "body") -> None:
    """Every stylesheet loaded with rules, and Bootstrap's font is the one in use (not the browser's serif)."""
    # After a form's POST the answer's DOM can be there before its stylesheets are (the load event waits for them):
    # on a loaded machine, checking then reads a sheet still loading as one that failed.
    page.wait_for_load_state("load")
    sheets = stylesheets(page)
    assert sheets, f"{page.url} links no stylesheet"
    unloaded = [sheet["href"] for sheet in sheets if sheet["rules"] <= 0]
    assert not unloaded, f"{page.url}: stylesheets not loaded: {unloaded}"
    font = page.evaluate("(s) => getComputedStyle(document.querySelector(s)).fontFamily", font_selector)
    assert "Helvetica Neue" in font, f"{page.url}: {font_selector} is in {font!r}, not Bootstrap's font"


@dataclass(frozen=True)
class FormAnswer:
    """What the browsable API showed after a form was submitted."""

    form: str  # "HTML form" or "raw data form (JSON)"
    status: int
    status_line: str
    body: Any


def browsable_answer(page: Any) -> tuple[int, str, Any]:
    """The status line and the JSON body DRF's browsable page shows for its answer."""
    text = page.locator(".response-info pre").inner_text()
    head, _, body = text.partition("\n\n")
    status_line = head.splitlines()[0].strip()
    match = re.match(r"HTTP (\d+)", status_line)
    assert match, f"{page.url}: no status line in the browsable answer: {text[:300]!r}"
    try:
        parsed = json.loads(body) if body.strip() else None
    except ValueError:
        parsed = body
    return int(match.group(1)), status_line, parsed


def is_browsable(page: Any) -> bool:
    """Whether the page is DRF's browsable API (and not, say, JSON shown as text)."""
    return page.locator(".response-info pre").count() == 1


def submit_post_form(page: Any, body: dict[str, Any]) -> FormAnswer:
    """Fill the POST form on the browsable page already open with `body`, submit it, read the answer."""
    html_form = page.locator("#post-object-form form")
    if html_form.count() == 1 and all(html_form.locator(f'[name="{key}"]').count() == 1 for key in body):
        page.locator("a[name='html-tab']").click()
        for key, value in body.items():
            html_form.locator(f'[name="{key}"]').fill(str(value))
        used, form = "HTML form", html_form
    else:
        form = page.locator("#post-generic-content-form form")
        assert form.count() == 1, f"{page.url}: the browsable API shows no POST form"
        if page.locator("a[name='raw-tab']").count():
            page.locator("a[name='raw-tab']").click()
        form.locator("select[data-override='content-type']").select_option("application/json")
        form.locator("[data-override='content']").fill(json.dumps(body))
        used = "raw data form (JSON)"
    # The HTML form navigates; the raw form posts by AJAX and rewrites the document. Both end on a page
    # whose request line says POST.
    form.locator("button.btn-primary").click()
    page.wait_for_function(
        """() => { const pre = document.querySelector('.request-info pre');
                   return pre && pre.textContent.trim().startsWith('POST'); }"""
    )
    status, status_line, answer = browsable_answer(page)
    return FormAnswer(used, status, status_line, answer)


def locate_body(body: Any, locator: str) -> Any:
    """The value a manifest's "body:a.b" locator names in `body` (None when absent)."""
    node = body
    for part in filter(None, locator.removeprefix("body:").split(".")):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def register_and_log_in(page: Any, manifest: Manifest, base_url: str) -> list[tuple[Operation, FormAnswer]]:
    """Sign a new user up, then log in, each through its endpoint's browsable POST form; every answer must
    have the operation's success status, show the credential the manifest locates in the body, and be
    styled. The page ends on the login answer."""
    user = User.new("browser")
    client = ContractClient(manifest, base_url)
    done = []
    for name in ("register", "login"):
        op = manifest.operation(name)
        page.goto(base_url + op.path)
        answer = submit_post_form(page, client.body_for(name, vars(user)))
        where = f"[{manifest.variant}] {name} via {answer.form}"
        assert answer.status in op.status, f"{where}: {answer.status_line}: {answer.body}"
        credential = op.credentials.get("access", "")
        if credential.startswith("body:"):
            assert locate_body(answer.body, credential), f"{where}: no credential at {credential}: {answer.body}"
        assert_styled(page)
        done.append((op, answer))
    return done


def render_result(page: Any, title: str, lines: list[str]) -> None:
    """Show what the frontend got on its page, so the screenshot says it."""
    page.evaluate(
        "([title, lines]) => { document.body.innerHTML = '<h1></h1><pre></pre>';"
        " document.querySelector('h1').textContent = title;"
        " document.querySelector('pre').textContent = lines.join('\\n'); }",
        [title, lines],
    )
