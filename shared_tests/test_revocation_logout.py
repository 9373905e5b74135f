"""Posture: what logout ends, on every transport the variant accepts, and the cookies it expires (ASVS 5.0 V7.4.1).

A transport is accepted when it authenticates `me`: the header always does (the contract), the cookie transport
when some cookie the login set authenticates alone (observed by `authenticating_cookies`). A logout may come
by header only (as the manifest binds it), by the login's cookies only (a browser's fetch with credentials), or
by both. The matrix follows the access and refresh tokens through a header logout; these cases follow the
other credentials, compare the other transports with the header, and read the cookies the logout answer expires.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from http.cookies import Morsel, SimpleCookie

import pytest

from harness.client import ContractClient, Reply, User
from harness.posture import NOT_APPLICABLE, PostureCheck
from shared_tests.test_revocation_events import Issued, log_in, surviving, verdict

pytestmark = pytest.mark.posture


def _logout(issued: Issued, header: bool, cookies: bool) -> Reply:
    """Log `issued`'s device out with the access token in the header, the login's cookies, or both.

    The manifest's own logout template (a refresh token in the body or a declared cookie) goes every time: it is
    how the variant names what to end, not a transport of the access credential."""
    device = issued.device
    credential = device.credentials.get("access") if header else None
    return device.send("logout", credential=credential, cookies=dict(issued.reply.cookies) if cookies else None)


def _revoked_by(client: ContractClient, user: User, header: bool, cookies: bool) -> tuple[set[str], str]:
    issued = log_in(client, user)
    reply = _logout(issued, header, cookies)
    every = issued.every()
    return set(every) - set(surviving(client, every)), reply.describe()


def test_logout_revokes_other_credentials(signed_up: ContractClient, user: User, posture: PostureCheck) -> None:
    issued = log_in(signed_up, user)
    issued.device.logout()
    verdict(posture, "logout", issued.others(), signed_up)


def _transport_parity(client: ContractClient, user: User, posture: PostureCheck, header: bool) -> None:
    probe = log_in(client, user)
    if not probe.cookies:
        login_cookies = sorted(probe.reply.cookies)
        posture.verify(NOT_APPLICABLE, f"no cookie the login sets ({login_cookies}) authenticates alone")
        return
    by_header, _ = _revoked_by(client, user, header=True, cookies=False)
    by_other, answer = _revoked_by(client, user, header=header, cookies=True)
    # Compared by role: a cookie keeps its name from login to login, a token's value changes.
    missed = sorted(by_header - by_other)
    how = "header and cookies" if header else "cookies alone"
    posture.passes_if(
        not missed,
        f"header logout revokes {sorted(by_header)}; logout by {how} ({answer}) revokes {sorted(by_other)}; "
        f"missed: {missed or 'none'}",
    )


def test_logout_by_cookie_revokes_what_header_logout_revokes(
    signed_up: ContractClient, user: User, posture: PostureCheck
) -> None:
    _transport_parity(signed_up, user, posture, header=False)


def test_logout_by_header_and_cookie_revokes_what_header_logout_revokes(
    signed_up: ContractClient, user: User, posture: PostureCheck
) -> None:
    _transport_parity(signed_up, user, posture, header=True)


def _expired(morsel: Morsel[str]) -> bool:
    """Does a Set-Cookie entry tell the browser to drop the cookie now (Max-Age <= 0 or an expiry in the past)?"""
    if morsel["max-age"]:  # Max-Age wins over Expires (RFC 6265 5.3, step 3)
        return int(morsel["max-age"]) <= 0
    return bool(morsel["expires"]) and parsedate_to_datetime(morsel["expires"]).timestamp() <= time.time()


def test_logout_expires_every_credential_cookie(signed_up: ContractClient, user: User, posture: PostureCheck) -> None:
    issued = log_in(signed_up, user)
    login = signed_up.manifest.operation("login")
    # A credential cookie: one that authenticates alone, one the manifest reads a credential from, or one the
    # login marks HttpOnly (kept from scripts, so a secret). The CSRF cookie is none of these.
    located = {where.removeprefix("cookie:") for where in login.credentials.values() if where.startswith("cookie:")}
    secret = {name for name, flags in issued.reply.cookie_flags.items() if flags["httponly"]}
    wanted = sorted((set(issued.cookies) | located | secret) & set(issued.reply.cookies))
    if not wanted:
        posture.verify(NOT_APPLICABLE, f"the login sets no credential cookie (it sets {sorted(issued.reply.cookies)})")
        return
    # As a browser sends it: the header the client holds and every cookie the login set.
    reply = _logout(issued, header=True, cookies=True)
    jar: SimpleCookie = SimpleCookie()
    jar.load(reply.headers.get("Set-Cookie", ""))
    kept = [name for name in wanted if name not in jar or not _expired(jar[name])]
    posture.passes_if(
        not kept, f"credential cookies {wanted}; logout ({reply.describe()}) leaves unexpired: {kept or 'none'}"
    )
