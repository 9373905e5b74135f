"""Capabilities of social login against a real OpenID Connect provider (issue #15).

The provider is a real process (`harness/oidc.py`: django-allauth's `allauth.idp.oidc` under gunicorn, started once
per run), with a client registered for each variant. The test plays the user's browser (it fills the provider's
login form over HTTP) and the frontend, whose part the manifest's `[social] flow` names:

- `id_token`: the frontend (an app) runs the authorization-code flow with PKCE itself and posts the id_token;
- `code`: it sends the user to the provider and posts the code it comes back with; the API exchanges it;
- `server`: the API builds the authorization URL (its own state and nonce) and takes the code and state back.

A bad id_token is made by the provider itself: the client's fault setting (providers/oidc/faults.py) makes the
token endpoint issue one signed by an unpublished key, meant for another client, or expired; the cell says whether
it was refused with a 4xx, refused only by a server error (5xx), or accepted.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from harness import oidc
from harness.capabilities import NOT_APPLICABLE, Check
from harness.client import ContractClient, Reply, User, fill, locate
from harness.server import Server
from shared_tests.observe import absent


@dataclass
class Attempt:
    """One social login: the API's answer, the client holding what it captured, the state and nonce it used."""

    reply: Reply
    device: ContractClient
    state: str
    nonce: str

    @property
    def succeeded(self) -> bool:
        return self.reply.status in self.device.manifest.operation("social_login").status

    def account(self) -> object | None:
        """The id of the account the answer's credential authenticates, or None when it authenticates none."""
        if not self.succeeded or "access" not in self.device.credentials:
            return None
        me = self.device.send("me")
        return self.device.user_field(me, "id") if me.status == 200 else None


def _with_params(url: str, **params: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=urlencode({**dict(parse_qsl(parts.query)), **params})))


def _send(device: ContractClient, name: str, context: dict[str, str]) -> Reply:
    """Operation `name`, plus the query its manifest entry templates (`query`), its body sent as a form where the
    entry says `form = true` (djoser's social view reads code and state from the request's form data)."""
    spec = device.manifest.data["operations"][name]
    query = fill(spec.get("query", {}), context)
    if spec.get("form"):
        raw = urlencode(fill(spec.get("body", {}), {**device.credentials, **context})).encode()
        return device.send(name, context, raw=raw, content_type="application/x-www-form-urlencoded", params=query)
    return device.send(name, context, params=query)


def social_login(
    client: ContractClient, server: Server, person: oidc.ProviderUser, *, state: str = "", nonce: str = ""
) -> Attempt:
    """Log `person` in through the provider, as the manifest's flow has it; `state`/`nonce` replace the fresh ones."""
    device, env = client.fresh(), server.services
    flow = client.manifest.data["social"]["flow"]
    agent = oidc.UserAgent(person)
    if flow == "server":
        begin = device.expect(_send(device, "social_begin", {"redirect_uri": env[oidc.REDIRECT_ENV]}))
        url = locate(begin, client.manifest.data["social"]["authorization_url"])
        issued = dict(parse_qsl(urlsplit(url).query))
        state, nonce = state or issued.get("state", ""), nonce or issued.get("nonce", "")
        back = agent.authorize(_with_params(url, state=state, nonce=nonce))
        return Attempt(_send(device, "social_login", back), device, state, nonce)
    state, nonce = state or secrets.token_urlsafe(16), nonce or secrets.token_urlsafe(16)
    verifier, challenge = oidc.pkce_pair() if flow == "id_token" else (None, None)
    back = agent.authorize(oidc.authorization_url(env, state=state, nonce=nonce, challenge=challenge))
    context: dict[str, str] = {**back, "client_id": env[oidc.CLIENT_ID_ENV]}
    if flow == "id_token":
        tokens = oidc.exchange(env, back["code"], verifier)
        context |= {"id_token": tokens["id_token"], "access_token": tokens["access_token"]}
    return Attempt(_send(device, "social_login", context), device, state, nonce)


@contextlib.contextmanager
def provider_fault(server: Server, fault: str) -> Iterator[None]:
    """The provider issues this variant's id_tokens with `fault` until the block ends."""
    oidc.set_fault(server.services, fault)
    try:
        yield
    finally:
        oidc.set_fault(server.services, None)


def _local_account(client: ContractClient, user: User) -> object:
    """Sign `user` up with a password; the id of the account."""
    device = client.fresh().sign_up(user)
    return device.user_field(device.me(), "id")


def test_social_login_creates_account(client: ContractClient, own_server: Server, capability: Check) -> None:
    if absent(client, "social_login", capability, False):
        return
    person = oidc.new_user()
    attempt = social_login(client, own_server, person)
    me = attempt.device.send("me") if attempt.succeeded and "access" in attempt.device.credentials else None
    email = attempt.device.user_field(me, "email") if me and me.status == 200 else None
    capability.verify(email == person.email, f"{attempt.reply.describe()}; the credential's user has email {email!r}")


def test_social_login_finds_same_account(client: ContractClient, own_server: Server, capability: Check) -> None:
    if absent(client, "social_login", capability, NOT_APPLICABLE):
        return
    person = oidc.new_user()
    first = social_login(client, own_server, person).account()
    assert first is not None, f"[{client.variant}] the first social login must log in to observe the second"
    second = social_login(client, own_server, person)
    found = second.account()
    capability.verify(found == first, f"first login's account {first!r}, second's {found!r}: {second.reply.describe()}")


def _linked(client: ContractClient, server: Server, *, verified: bool) -> tuple[bool, str]:
    local = User.new("l")
    account = _local_account(client, local)
    attempt = social_login(client, server, oidc.new_user(email=local.email, email_verified=verified))
    found = attempt.account()
    evidence = f"local account {account!r}; the social login's account {found!r}: {attempt.reply.describe()}"
    return found == account, evidence


def test_social_links_by_verified_email(client: ContractClient, own_server: Server, capability: Check) -> None:
    if absent(client, "social_login", capability, NOT_APPLICABLE):
        return
    linked, evidence = _linked(client, own_server, verified=True)
    capability.verify(linked, f"provider says email_verified=true; {evidence}")


def test_social_refuses_unverified_email_link(client: ContractClient, own_server: Server, capability: Check) -> None:
    if absent(client, "social_login", capability, NOT_APPLICABLE):
        return
    linked, evidence = _linked(client, own_server, verified=False)
    capability.verify(not linked, f"provider says email_verified=false; {evidence}")


def _refuses_fault(client: ContractClient, server: Server, capability: Check, fault: str) -> None:
    """Observed as "refused" (a 4xx, no account), "5xx" (no account, but a server error, not a clear answer) or
    "accepted" (the answer's credential authenticates)."""
    with provider_fault(server, fault):
        attempt = social_login(client, server, oidc.new_user())
    if attempt.account() is not None:
        observed = "accepted"
    else:
        observed = "5xx" if attempt.reply.status >= 500 else "refused"
        assert 400 <= attempt.reply.status < 600, f"[{client.variant}] {attempt.reply.describe()}"
    capability.verify(observed, f"id_token with fault {fault!r}: {attempt.reply.describe()}")


def test_social_id_token_bad_signature_refused(client: ContractClient, own_server: Server, capability: Check) -> None:
    if absent(client, "social_login", capability, NOT_APPLICABLE):
        return
    _refuses_fault(client, own_server, capability, "bad_signature")


def test_social_id_token_wrong_audience_refused(client: ContractClient, own_server: Server, capability: Check) -> None:
    if absent(client, "social_login", capability, NOT_APPLICABLE):
        return
    _refuses_fault(client, own_server, capability, "wrong_audience")


def test_social_id_token_expired_refused(client: ContractClient, own_server: Server, capability: Check) -> None:
    if absent(client, "social_login", capability, NOT_APPLICABLE):
        return
    _refuses_fault(client, own_server, capability, "expired")


def _replay_refused(client: ContractClient, own_server: Server, capability: Check, replayed: str) -> None:
    """A first social login, then a second one presenting the first's `replayed` value ("state" or "nonce"):
    refused when the second login yields no account."""
    if absent(client, "social_login", capability, NOT_APPLICABLE):
        return
    person = oidc.new_user()
    earlier = social_login(client, own_server, person)
    assert earlier.account() is not None, f"[{client.variant}] the first social login must succeed"
    value = getattr(earlier, replayed)
    replay = social_login(client, own_server, person, **{replayed: value})
    capability.verify(replay.account() is None, f"{replayed} {value!r} presented again: {replay.reply.describe()}")


def test_social_state_replay_refused(client: ContractClient, own_server: Server, capability: Check) -> None:
    """A new login presented with the state of an earlier, completed one: where the API issues the state it must
    refuse it; where the frontend keeps the state, the API never sees it and the login goes through."""
    _replay_refused(client, own_server, capability, "state")


def test_social_nonce_replay_refused(client: ContractClient, own_server: Server, capability: Check) -> None:
    """A new id_token carrying the nonce of an earlier, completed login (its state fresh) must be refused."""
    _replay_refused(client, own_server, capability, "nonce")
