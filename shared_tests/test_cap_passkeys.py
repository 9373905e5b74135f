"""Capabilities of passkeys (WebAuthn) (issue #15), with a software authenticator the test holds.

`harness/authenticator.py` answers the server's own creation and request options with a real ES256 attestation
("none") and real assertions, over HTTP as a browser would pass them on. The manifest's `[passkeys]` table says
where the options are in each answer (locators), which origin the relying party expects, and how a passkey is
registered: `registration = "account"` (an account signed up with a password adds one, re-authenticating first
where the library asks) or `"signup"` (the account is created with the passkey). Each operation's body template
picks the encoding it reads (`{credential}`: the WebAuthn JSON mapping; `{client_data}`, `{signature_hex}`...:
flat fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.authenticator import SoftAuthenticator
from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, Reply, User, fill, locate
from shared_tests.observe import absent

WRONG_ORIGIN = "https://authcmp-phishing.example"


@dataclass
class Passkey:
    """A registered passkey: its account, the authenticator holding its key, the client that registered it."""

    user: User
    authenticator: SoftAuthenticator
    account: Any
    last: dict[str, Any] = field(default_factory=dict)


def _settings(client: ContractClient) -> dict[str, Any]:
    return client.manifest.data["passkeys"]


def _send(device: ContractClient, name: str, context: dict[str, Any]) -> Reply:
    spec = device.manifest.data["operations"][name]
    return device.send(name, context, params=fill(spec.get("query", {}), {**device.credentials, **context}) or None)


def _options(client: ContractClient, reply: Reply, kind: str) -> dict[str, str]:
    """rp_id, challenge (and user_handle, resident_key for creation) read from an options answer where the
    manifest says; a locator that finds nothing gives None."""
    locators = _settings(client)[kind]
    return {name: locate(reply, locator) for name, locator in locators.items()}


def register(client: ContractClient, *, discoverable: bool | None = None) -> tuple[Passkey | None, Reply]:
    """Register a passkey as the manifest's flow has it; the passkey (None when refused) and the final answer.
    `discoverable` forces the kind of credential; by default it is what the options ask for."""
    user, settings = User.new("p"), _settings(client)
    device = client.fresh()
    if settings["registration"] == "account":
        device.sign_up(user)
        if device.manifest.has_operation("passkey_reauthenticate"):
            device.expect(_send(device, "passkey_reauthenticate", vars(user)))
    begin = device.expect(_send(device, "passkey_register_begin", vars(user)))
    options = _options(client, begin, "creation")
    authenticator = SoftAuthenticator()
    # A discoverable credential (the options ask for a resident key) keeps the user handle and returns it with each
    # assertion, as platform authenticators do; a non-discoverable one returns none.
    if discoverable is None:
        discoverable = options.get("resident_key") in ("required", "preferred")
    ceremony = authenticator.create(
        rp_id=options["rp_id"], challenge=options["challenge"], origin=settings["origin"],
        user_handle=(options.get("user_handle") or "") if discoverable else "",
    )  # fmt: skip
    reply = _send(device, "passkey_register", {**vars(user), **options, **ceremony.context()})
    if reply.status not in device.manifest.operation("passkey_register").status:
        return None, reply
    if settings["registration"] == "signup":
        device.confirm_signup(user)  # a passkey sign-up is a sign-up: where it is confirmed by mail, follow the link
    account = _account(client.fresh(), user)
    return Passkey(user, authenticator, account), reply


def _account(device: ContractClient, user: User) -> Any:
    """The account id `user` names, as its own password login (or, for a passkey-only account, nothing) shows."""
    reply = device.send("login", vars(user))
    if reply.status not in device.manifest.operation("login").status:
        return user.username  # a passkey-only account: the passkey login's `me` must name this username
    return device.user_field(device.me(), "id")


def log_in(
    client: ContractClient, passkey: Passkey, *, origin: str | None = None, replay: dict[str, Any] | None = None
) -> tuple[Reply, ContractClient]:
    """A passkey login: fresh options, then the authenticator's assertion (or `replay`, an earlier one's fields)."""
    device = client.fresh()
    begin = device.expect(_send(device, "passkey_login_begin", vars(passkey.user)))
    options = _options(client, begin, "request")
    if replay is None:
        ceremony = passkey.authenticator.get(
            rp_id=options["rp_id"], challenge=options["challenge"], origin=origin or _settings(client)["origin"]
        )
        passkey.last = ceremony.context()
    reply = _send(device, "passkey_login", {**vars(passkey.user), **options, **(replay or passkey.last)})
    return reply, device


def logged_in_as(device: ContractClient, reply: Reply, passkey: Passkey) -> bool:
    """Did the login answer a credential of the passkey's account?"""
    if reply.status not in device.manifest.operation("passkey_login").status or "access" not in device.credentials:
        return False
    me = device.send("me")
    if me.status != 200:
        return False
    field_name = "id" if not isinstance(passkey.account, str) else "username"
    return device.user_field(me, field_name) == passkey.account


def _registered(client: ContractClient) -> Passkey:
    passkey, reply = register(client)
    assert passkey, f"[{client.variant}] registering the passkey must succeed to observe its login: {reply.describe()}"
    return passkey


def test_passkey_registration(client: ContractClient, capability: Check) -> None:
    if absent(client, "passkey_register", capability, False):
        return
    passkey, reply = register(client)
    capability.verify(passkey is not None, reply.describe())


def test_passkey_login(client: ContractClient, capability: Check) -> None:
    if absent(client, "passkey_login", capability, False):
        return
    passkey = _registered(client)
    reply, device = log_in(client, passkey)
    capability.verify(logged_in_as(device, reply, passkey), reply.describe())


def _working(client: ContractClient, capability: Check) -> Passkey | None:
    """A registered passkey that has logged in once; None (the cell recorded "n/a") when its login never works, so
    nothing can be refused that was not refused already."""
    passkey = _registered(client)
    first, device = log_in(client, passkey)
    if logged_in_as(device, first, passkey):
        return passkey
    capability.verify(NOT_APPLICABLE, f"the passkey login itself does not log in: {first.describe()}")
    return None


def test_passkey_wrong_origin_refused(client: ContractClient, capability: Check) -> None:
    if absent(client, "passkey_login", capability, NOT_APPLICABLE) or not (passkey := _working(client, capability)):
        return
    reply, device = log_in(client, passkey, origin=WRONG_ORIGIN)
    capability.verify(not logged_in_as(device, reply, passkey), f"assertion for {WRONG_ORIGIN}: {reply.describe()}")


def test_passkey_replayed_assertion_refused(client: ContractClient, capability: Check) -> None:
    """An assertion that logged in once, presented again to a new login (its challenge the old one's)."""
    if absent(client, "passkey_login", capability, NOT_APPLICABLE) or not (passkey := _working(client, capability)):
        return
    reply, device = log_in(client, passkey, replay=passkey.last)
    capability.verify(not logged_in_as(device, reply, passkey), f"the same assertion again: {reply.describe()}")


def test_passkey_counter_regression_refused(client: ContractClient, capability: Check) -> None:
    """A fresh assertion whose signature counter is not above the last one seen: what a cloned key sends."""
    if absent(client, "passkey_login", capability, NOT_APPLICABLE) or not (passkey := _working(client, capability)):
        return
    seen = passkey.authenticator.counter
    passkey.authenticator.counter -= 1  # the clone signs with the counter the original had before its last login
    reply, device = log_in(client, passkey)
    evidence = f"signature counter {passkey.authenticator.counter} after {seen} was seen: {reply.describe()}"
    capability.verify(not logged_in_as(device, reply, passkey), evidence)


def test_passkey_discoverable_login(client: ContractClient, capability: Check) -> None:
    """A discoverable credential, what synced passkeys (a phone's, a password manager's) always are, returns the
    user handle the relying party gave it with every assertion; the login must accept it."""
    if absent(client, "passkey_login", capability, NOT_APPLICABLE) or not _working(client, capability):
        return
    passkey, registered = register(client, discoverable=True)
    assert passkey, f"[{client.variant}] registering a discoverable passkey: {registered.describe()}"
    reply, device = log_in(client, passkey)
    capability.verify(
        logged_in_as(device, reply, passkey), f"an assertion carrying the user handle: {reply.describe()}"
    )
