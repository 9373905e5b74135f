"""Posture: does every credential a login issued stop working after a password change, a reset, deactivation and
account deletion? (ASVS 5.0 V7.4.2, V7.4.3)

A login issues the credentials its manifest locates (access, refresh, any other token in the answer) and every
cookie it sets that authenticates alone (observed, not declared). Each is probed the way it is used: the access
token and auth cookies on `me`, the refresh token on `refresh`, any other token by the request its manifest's
`probes` table names. The capability matrix already follows the access token on the header transport through
these events; these cases follow the refresh token and the other credentials. The helpers here serve the other
test_revocation_*.py modules too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from harness.client import ContractClient, Reply, User, fill
from harness.database import set_active
from harness.posture import NOT_APPLICABLE, PostureCheck
from harness.server import Server
from shared_tests.observe import authenticating_cookies, offers
from shared_tests.test_cap_password import _change_password, _reset

pytestmark = pytest.mark.posture

ACCESS, REFRESH, COOKIE = "access", "refresh", "cookie:"


@dataclass
class Issued:
    """What one login handed out: its located credentials, the cookies that authenticate alone, every cookie."""

    device: ContractClient
    reply: Reply
    named: dict[str, str]
    cookies: dict[str, str]

    def every(self) -> dict[str, str]:
        """Every credential, keyed by its name or "cookie:NAME"."""
        return {**self.named, **{COOKIE + name: value for name, value in self.cookies.items()}}

    def others(self) -> dict[str, str]:
        """Every credential besides the access and refresh tokens: other tokens and the auth cookies."""
        return {key: value for key, value in self.every().items() if key not in (ACCESS, REFRESH)}


def log_in(client: ContractClient, user: User) -> Issued:
    """A new device's login of `user`, with everything it issued."""
    device = client.fresh()
    reply = device.login(user)
    return Issued(device, reply, dict(device.credentials), authenticating_cookies(device, reply))


def works(client: ContractClient, key: str, value: str) -> bool:
    """Is the credential `key` still accepted where it is used? Each probe comes from a fresh client."""
    fresh, manifest = client.fresh(), client.manifest
    if key == ACCESS:
        reply = fresh.send("me", credential=value)
    elif key == REFRESH:
        assert offers(client, "refresh")[0], f"[{client.variant}] login issues a refresh token but binds no refresh"
        reply = fresh.send("refresh", {"refresh": value})
    elif key.startswith(COOKIE):
        reply = fresh.send("me", credential=None, cookies={key.removeprefix(COOKIE): value})
    else:
        probe = manifest.data.get("probes", {}).get(key)
        assert probe, f"{manifest.path} [{client.variant}]: login issues {key!r}; declare how to use it in [probes]"
        header = {probe["header"]: fill(probe["value"], {key: value})}
        answer = fresh.http.request(
            probe["method"], client.base_url + probe["path"], headers=header, timeout=client.timeout
        )
        return answer.status_code == probe["status"]
    return reply.status in manifest.operation(reply.operation).status


def surviving(client: ContractClient, credentials: dict[str, str]) -> list[str]:
    """The names of the credentials that still work."""
    return [key for key, value in credentials.items() if works(client, key, value)]


def verdict(posture: PostureCheck, event: str, credentials: dict[str, str], client: ContractClient) -> None:
    """Pass when none of `credentials` works after `event` (already done); n/a when there are none."""
    if not credentials:
        posture.verify(NOT_APPLICABLE, "the login issues no such credential")
        return
    alive = surviving(client, credentials)
    posture.passes_if(not alive, f"after {event}, of {sorted(credentials)} still working: {alive or 'none'}")


def only(credentials: dict[str, str], keys: Iterable[str]) -> dict[str, str]:
    return {key: value for key, value in credentials.items() if key in keys}


def _not_offered(client: ContractClient, posture: PostureCheck, operation: str) -> bool:
    offered, evidence = offers(client, operation)
    if not offered:
        posture.verify(NOT_APPLICABLE, evidence)
    return not offered


def _after_password_change(client: ContractClient, user: User) -> Issued:
    """A second device's login, then a password change on the first; the second device's credentials."""
    other = log_in(client, user)
    status, _ = _change_password(client, user)
    assert status in client.manifest.operation("password_change").status, f"password change answered {status}"
    return other


def test_password_change_revokes_refresh_token(signed_up: ContractClient, user: User, posture: PostureCheck) -> None:
    if not _not_offered(signed_up, posture, "password_change"):
        other = _after_password_change(signed_up, user)
        verdict(posture, "a password change on another device", only(other.named, [REFRESH]), signed_up)


def test_password_change_revokes_other_credentials(
    signed_up: ContractClient, user: User, posture: PostureCheck
) -> None:
    if not _not_offered(signed_up, posture, "password_change"):
        other = _after_password_change(signed_up, user)
        verdict(posture, "a password change on another device", other.others(), signed_up)


def _after_reset(client: ContractClient, user: User, server: Server) -> Issued:
    issued = log_in(client, user)
    assert _reset(client, user, server), "the reset itself must work to observe what it revokes"
    return issued


def test_password_reset_revokes_refresh_token(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    if not _not_offered(signed_up, posture, "password_reset"):
        issued = _after_reset(signed_up, user, own_server)
        verdict(posture, "a password reset", only(issued.named, [REFRESH]), signed_up)


def test_password_reset_revokes_other_credentials(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    if not _not_offered(signed_up, posture, "password_reset"):
        issued = _after_reset(signed_up, user, own_server)
        verdict(posture, "a password reset", issued.others(), signed_up)


def _after_deactivation(client: ContractClient, user: User, server: Server) -> Issued:
    issued = log_in(client, user)
    assert server.database_url, "the harness knows the database of a server it started"
    set_active(server.database_url, user.username, False)
    return issued


def test_deactivation_revokes_refresh_token(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    issued = _after_deactivation(signed_up, user, own_server)
    verdict(posture, "deactivation (is_active = false)", only(issued.named, [REFRESH]), signed_up)


def test_deactivation_revokes_other_credentials(
    signed_up: ContractClient, user: User, own_server: Server, posture: PostureCheck
) -> None:
    issued = _after_deactivation(signed_up, user, own_server)
    verdict(posture, "deactivation (is_active = false)", issued.others(), signed_up)


def test_account_deletion_revokes_every_credential(
    signed_up: ContractClient, user: User, posture: PostureCheck
) -> None:
    if _not_offered(signed_up, posture, "delete_account"):
        return
    other = log_in(signed_up, user)
    signed_up.expect(signed_up.send("delete_account", vars(user)))
    # The deleting device's own access token too: nothing the matrix checks after a deletion.
    every = {**other.every(), "this device's access": signed_up.credentials[ACCESS]}
    alive = surviving(signed_up, other.every())
    alive += ["this device's access"] if works(signed_up, ACCESS, signed_up.credentials[ACCESS]) else []
    posture.passes_if(not alive, f"after deletion, of {sorted(every)} still working: {alive or 'none'}")
