"""Posture: the cookies a login sets to carry credentials — their attributes and what a cross-site form can do.

A credential cookie is one the login answer sets that either authenticates the current-user endpoint alone
(observed) or that the manifest's login binding reads a credential from (a refresh cookie). Attributes are
read from the Set-Cookie header fields as sent. Where no login sets a credential cookie the cases are n/a,
pinned in the manifest. `Secure` is judged on a second server of the variant with the production profile.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

from harness.client import ContractClient, Reply, User
from harness.manifest import Manifest
from harness.posture import NOT_APPLICABLE, PostureCheck
from harness.server import Server
from shared_tests.addresses import client_from
from shared_tests.observe import authenticating_cookies, offers

pytestmark = pytest.mark.posture
FORM = "application/x-www-form-urlencoded"
CROSS_SITE = {"Origin": "https://attacker.example", "Referer": "https://attacker.example/login.html"}
# Set-Cookie fields joined by ", " (as requests joins repeated fields); an Expires date's ", 01 Jan" is no match.
SPLIT = re.compile(r",\s*(?=[!#$%&'*+\-.^_`|~0-9A-Za-z]+=)")


def set_cookie_attributes(reply: Reply) -> dict[str, dict[str, str]]:
    """Cookie name -> its attributes as sent (lower-cased names; a flag maps to "")."""
    found: dict[str, dict[str, str]] = {}
    header = next((value for name, value in reply.headers.items() if name.lower() == "set-cookie"), "")
    for field in filter(None, SPLIT.split(header)):
        pair, *attributes = (part.strip() for part in field.split(";"))
        name = pair.partition("=")[0]
        found[name] = {key.lower(): value for key, _, value in (part.partition("=") for part in attributes if part)}
    return found


def credential_cookies(client: ContractClient, reply: Reply) -> list[str]:
    locators = client.manifest.operation("login").credentials.values()
    declared = {locator.partition(":")[2] for locator in locators if locator.startswith("cookie:")}
    return sorted(set(authenticating_cookies(client, reply)) | (declared & set(reply.cookies)))


def _login(client: ContractClient, user: User) -> Reply:
    client.register(user)
    return client.fresh().login(user)


def _no_cookies(client: ContractClient, reply: Reply, posture: PostureCheck) -> list[str]:
    names = credential_cookies(client, reply)
    if not names:
        posture.verify(NOT_APPLICABLE, f"login set {sorted(reply.cookies) or 'no cookie'}; none carries a credential")
    return names


def test_login_csrf_refused(client: ContractClient, user: User, posture: PostureCheck) -> None:
    client.register(user)
    body = client.body_for("login", vars(user))
    forms = {
        FORM: urlencode(body).encode(),
        "text/plain": json.dumps(body).encode(),  # <form enctype="text/plain"> can send a JSON-looking body
    }
    replies = {
        kind: client.fresh().send("login", raw=raw, content_type=kind, headers=CROSS_SITE)
        for kind, raw in forms.items()
    }
    planted = {kind: sorted(authenticating_cookies(client, reply)) for kind, reply in replies.items()}
    json_login = client.fresh().login(user)
    if not any(planted.values()) and not authenticating_cookies(client, json_login):
        posture.verify(
            NOT_APPLICABLE, f"no login sets an authenticating cookie (JSON login set {sorted(json_login.cookies)})"
        )
        return
    evidence = "; ".join(f"{kind}: {replies[kind].status}, authenticating cookies {planted[kind]}" for kind in forms)
    posture.passes_if(not any(planted.values()), f"cross-site login forms: {evidence}")


def test_cookie_password_change_needs_csrf(client: ContractClient, user: User, posture: PostureCheck) -> None:
    reply = _login(client, user)
    cookies = authenticating_cookies(client, reply)
    if not cookies:
        posture.verify(NOT_APPLICABLE, f"login set {sorted(reply.cookies) or 'no cookie'}; none authenticates")
        return
    offered, evidence = offers(client, "password_change")
    if not offered:
        posture.verify(NOT_APPLICABLE, evidence)
        return
    new = "N3w-Pass&" + user.password[-9:]
    body = client.body_for("password_change", {**vars(user), "new_password": new})
    change = client.fresh().send(
        "password_change", raw=urlencode(body).encode(), content_type=FORM, credential=None, cookies=cookies,
        headers=CROSS_SITE,
    )  # fmt: skip
    old_works = client.fresh().send("login", vars(user)).status in client.manifest.operation("login").status
    posture.passes_if(
        old_works, f"a form POST with the cookies {sorted(cookies)} and no CSRF token: {change.describe()}; "
        f"the old password still logs in: {old_works}",
    )  # fmt: skip


def test_credential_cookies_samesite(client: ContractClient, user: User, posture: PostureCheck) -> None:
    reply = _login(client, user)
    names = _no_cookies(client, reply, posture)
    if not names:
        return
    attributes = set_cookie_attributes(reply)
    samesite = {name: attributes.get(name, {}).get("samesite") for name in names}
    posture.passes_if(
        all((value or "").lower() in ("lax", "strict") for value in samesite.values()), f"SameSite: {samesite}"
    )


def test_credential_cookies_secure_in_production(
    client: ContractClient, manifest: Manifest, user: User, posture: PostureCheck, request: pytest.FixtureRequest
) -> None:
    # Whether a login sets credential cookies is observed on the session's server first, so a variant
    # without them starts no production server.
    if not _no_cookies(client, _login(client, user), posture):
        return
    server: Server = request.getfixturevalue("production")
    # An address of its own (fresh() would connect from 127.0.0.1): the production server is shared, and other cases
    # exhaust 127.0.0.1's login budget there.
    account = User.new()
    with client_from(manifest, server, "127.0.5.1") as setup:
        setup.register(account)
    with client_from(manifest, server, "127.0.5.1") as production:
        reply = production.login(account)
        names = credential_cookies(production, reply)
    attributes = set_cookie_attributes(reply)
    secure = {name: "secure" in attributes.get(name, {}) for name in names}
    posture.passes_if(bool(names) and all(secure.values()), f"Secure in the production profile: {secure}")
