"""Social login through the redirect flow in headless Chromium (issue #15 item 7), with screenshots.

The page plays a single-page frontend served from the API's origin: its script calls the API with `fetch`, as an
app would. The flow is djoser's against the harness's OpenID Connect provider (a real process, `harness/oidc.py`):
the API builds the authorization URL, Chromium follows it to the provider's login form, a person's typing fills
it, the provider redirects to the frontend's callback route (answered here, as a frontend's router would), and the
page posts the code and state back, then reads the signed-in user.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from browser_tests.browser import render_result
from harness import oidc
from harness.manifest import Manifest, load
from harness.server import Server

VARIANT = "djoser-token"


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    """This module's variant (the conftest's `server` serves it): djoser builds the authorization URL itself."""
    return load(VARIANT)


def test_social_login_redirect_flow(manifest: Manifest, server: Server, context: Any, screenshots: Path) -> None:
    env, person = server.services, oidc.new_user("b")
    callback = env[oidc.REDIRECT_ENV]
    # The frontend's callback route: a single-page app's router answers it in the browser; nothing listens there.
    context.route(callback + "*", lambda route: route.fulfill(content_type="text/html", body="<p>signing in…</p>"))
    page = context.new_page()
    page.goto(server.base_url + "/")
    begin = page.evaluate(
        "(uri) => fetch('/auth/o/oidc/?redirect_uri=' + encodeURIComponent(uri), {credentials: 'include'})"
        ".then(r => r.json())",
        callback,
    )
    page.goto(begin["authorization_url"])
    assert page.url.startswith(env[oidc.URL_ENV]), f"not at the provider: {page.url}"
    page.fill("input[name=login]", person.username)
    page.fill("input[name=password]", person.password)
    page.screenshot(path=screenshots / f"{manifest.variant}-social-provider-login.png")
    page.click("button[type=submit]")
    page.wait_for_url(callback + "*")
    back = dict(parse_qsl(urlsplit(page.url).query))
    assert {"code", "state"} <= set(back), f"the provider came back without code and state: {page.url}"

    page.goto(server.base_url + "/")
    answer = page.evaluate(
        """async (back) => {
            const form = new URLSearchParams(back);
            const login = await fetch('/auth/o/oidc/', {method: 'POST', credentials: 'include', body: form});
            const body = await login.json();
            const me = await fetch('/auth/users/me/', {headers: {Authorization: 'Token ' + body.access}});
            return {status: login.status, answer: body, me: await me.json()};
        }""",
        back,
    )
    render_result(page, "Signed in with the OpenID Connect provider", [json.dumps(answer, indent=2)])
    page.screenshot(path=screenshots / f"{manifest.variant}-social-signed-in.png")
    assert answer["status"] == 201, answer
    assert answer["me"].get("email") == person.email, answer
