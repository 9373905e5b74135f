"""A passkey login in headless Chromium with its virtual authenticator (issue #15 item 7), with a screenshot.

allauth headless' passkeys, driven by the page's own `navigator.credentials.create()` and `.get()` against
Chromium's virtual authenticator (the DevTools WebAuthn domain): the page plays a frontend on the API's origin,
http://localhost:<port>, a secure context the relying party id "localhost" allows. It signs up, re-authenticates,
adds a passwordless key, logs in with the key alone and reads the signed-in user.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import pytest

from browser_tests.browser import render_result
from harness.manifest import Manifest, load
from harness.server import Server

VARIANT = "allauth_headless-session"


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    """This module's variant (the conftest's `server` serves it)."""
    return load(VARIANT)


PASSKEY_SCRIPT = """async ([username, password]) => {
    const api = '/_allauth/app/v1';
    const call = async (method, path, token, body) => {
        const headers = {'Content-Type': 'application/json'};
        if (token) headers['X-Session-Token'] = token;
        const reply = await fetch(api + path, {method, headers, body: body && JSON.stringify(body)});
        return {status: reply.status, body: await reply.json()};
    };
    const signup = await call('POST', '/auth/signup', null, {username, email: username + '@example.com', password});
    const token = signup.body.meta.session_token;
    await call('POST', '/auth/reauthenticate', token, {password});
    const creation = await call('GET', '/account/authenticators/webauthn?passwordless', token);
    const created = await navigator.credentials.create({
        publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(creation.body.data.creation_options.publicKey)});
    const added = await call('POST', '/account/authenticators/webauthn', token,
                             {name: 'Chromium virtual authenticator', credential: created.toJSON()});
    const request = await call('GET', '/auth/webauthn/login');
    const asserted = await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(request.body.data.request_options.publicKey)});
    const login = await call('POST', '/auth/webauthn/login', request.body.meta.session_token,
                             {credential: asserted.toJSON()});
    const me = await fetch('/api/user/', {headers: {'X-Session-Token': login.body.meta.session_token}});
    return {added: added.status, login: login.status, methods: login.body.data && login.body.data.methods,
            me: await me.json()};
}"""


def test_passkey_login_with_a_virtual_authenticator(
    manifest: Manifest, server: Server, context: Any, screenshots: Path
) -> None:
    origin = server.base_url.replace("127.0.0.1", "localhost")  # a secure context over http, RP id "localhost"
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True,
    }  # fmt: skip
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    page.goto(origin + "/")
    username = f"pk{secrets.token_hex(5)}"
    answer = page.evaluate(PASSKEY_SCRIPT, [username, f"Tr0ub4dor&3-{secrets.token_urlsafe(9)}"])
    held = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    lines = [json.dumps(answer, indent=2), f"keys in the authenticator: {len(held)}"]
    render_result(page, "Signed in with a passkey", lines)
    page.screenshot(path=screenshots / f"{manifest.variant}-passkey-signed-in.png")
    assert answer["added"] == 200 and answer["login"] == 200, answer
    assert answer["me"].get("username") == username, answer
    assert len(held) == 1 and held[0]["signCount"] >= 1, held
