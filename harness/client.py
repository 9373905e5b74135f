"""The one request builder and the contract client: operations performed as a variant's manifest binds them.

`build_request` turns an operation into the request it makes, free of any HTTP library, and `captured` reads
the credentials an answer carries (from the body or a cookie, where the manifest says): the contract client
sends requests over real HTTP with `requests`, the benchmarks with Locust or Django's test client, so a
benchmark exercises what the contract suite verified. Like allauth's test `AppClient`, the contract client
resends what it captured: the access credential in the declared header on authenticated operations, others
where an operation's body or cookie template names them. It keeps no cookie jar of its own, so nothing
reaches the server that the manifest did not declare. Every failed expectation names the variant, the
operation and the request, so a red test reads as "which library broke which operation".
"""

from __future__ import annotations

import enum
import json
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import requests

from harness.answers import Answer as Answer  # re-exported: the benchmarks and tests import them from here
from harness.answers import Received as Received
from harness.answers import captured, fill, locate, parsed_json
from harness.mail import folder_of, link_values
from harness.manifest import Manifest


class _Unset(enum.Enum):  # the default of an argument whose None means something: "send no credential"
    UNSET = enum.auto()


_UNSET: Final = _Unset.UNSET


@dataclass
class User:
    """A fresh, unique account; its password passes Django's four validators."""

    username: str
    email: str
    password: str
    first_name: str = ""

    @classmethod
    def new(cls, prefix: str = "u") -> User:
        tag = uuid.uuid4().hex[:12]
        password = f"Tr0ub4dor&3-{secrets.token_urlsafe(9)}"  # unlike the username, so the validators pass
        return cls(username=f"{prefix}{tag}", email=f"{prefix}{tag}@example.com", password=password)


@dataclass(frozen=True)
class PreparedRequest:
    """Everything sent for one operation, free of any HTTP library: `ContractClient` hands it to `requests`,
    the load generator to Locust, the profiler to Django's test client."""

    operation: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    def headers_with_cookies(self) -> dict[str, str]:
        """The headers plus one Cookie header, as `requests` writes it, for clients whose jar must stay empty."""
        if not self.cookies:
            return self.headers
        return {**self.headers, "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}


@dataclass
class Reply:
    """An HTTP answer plus what the harness needs to explain it."""

    operation: str
    method: str
    url: str
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    text: str
    cookie_flags: dict[str, dict[str, bool]] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        return parsed_json(self.text)

    def describe(self) -> str:
        text = " ".join(self.text.split())
        body = text if len(text) <= 400 else text[:400] + "…"
        return f"{self.method} {self.url} answered {self.status}: {body or '(empty body)'}"


def build_request(
    manifest: Manifest, name: str, values: dict[str, Any], *, credential: str | _Unset | None = _UNSET,
    body: Any = _UNSET, raw: bytes | None = None, content_type: str = "application/json",
    cookies: dict[str, str] | None = None, headers: dict[str, str] | None = None,
) -> PreparedRequest:  # fmt: skip
    """The request operation `name` makes with `values` (the account's fields and the captured credentials).

    The access credential (`values["access"]` unless `credential` overrides it; None sends none) goes in the
    manifest's auth header on authenticated operations only. A non-GET operation sends its body template filled
    with `values` as JSON, unless `body` (any JSON value) or `raw` (bytes, sent as they are) replaces it; the
    Content-Type goes only with a body. The operation's own header templates go when the values they name are
    known. Cookies are the operation's declared ones plus `cookies`, and `headers` are sent besides (overriding on
    a clash): nothing a cookie jar collected is ever added."""
    op = manifest.operation(name)
    sent_headers = {"Accept": "application/json"}
    access = (values.get("access") or None) if credential is _UNSET else credential  # "" counts as none
    if op.authenticated and access is not None:
        header, template = manifest.auth_header
        sent_headers[header] = template.format_map({**values, "access": access})
    if raw is None and op.method != "GET":
        raw = json.dumps(fill(op.body, values) if body is _UNSET else body).encode()
    if raw is not None:
        sent_headers["Content-Type"] = content_type
    declared = {key: str(fill(template, values)) for key, template in op.headers.items()}
    sent_headers |= {key: value for key, value in declared.items() if value}
    sent_cookies = {key: str(fill(value, values)) for key, value in op.cookies.items()} | (cookies or {})
    path = fill(op.path, values) if "{" in op.path else op.path  # a path that names a captured value (djoser's ukey)
    return PreparedRequest(name, op.method, path, sent_headers | (headers or {}), raw, sent_cookies)


@dataclass
class ContractClient:
    """Performs contract operations for one variant against one base URL."""

    manifest: Manifest
    base_url: str
    credentials: dict[str, str] = field(default_factory=dict)
    http: requests.Session = field(default_factory=requests.Session)
    timeout: float = 30.0
    # The server's mail folder (by default the one `harness.mail` knows for base_url): a variant whose sign-up must
    # be confirmed by mail reads the link there.
    mail_dir: Path | None = None

    @property
    def variant(self) -> str:
        return self.manifest.variant

    def fail_message(self, reply: Reply, expected: str) -> str:
        return f"[{self.variant}] {reply.operation}: expected {expected}, but {reply.describe()}"

    def expect(self, reply: Reply, *statuses: int) -> Reply:
        """Assert the answer's status is one of `statuses` (the operation's declared success by default)."""
        wanted = statuses or self.manifest.operation(reply.operation).status
        assert reply.status in wanted, self.fail_message(reply, f"status {' or '.join(map(str, wanted))}")
        return reply

    def body_for(self, name: str, context: dict[str, Any]) -> dict[str, Any]:
        """The body the manifest's template gives for operation `name` in `context`."""
        return fill(self.manifest.operation(name).body, {**self.credentials, **context})

    def send(
        self, name: str, context: dict[str, Any] | None = None, *, body: Any = _UNSET, raw: bytes | None = None,
        content_type: str = "application/json", credential: str | _Unset | None = _UNSET,
        cookies: dict[str, str] | None = None, headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> Reply:  # fmt: skip
        """Perform operation `name` as `build_request` builds it, plus query `params`; capture what success carries."""
        op = self.manifest.operation(name)
        access = self.credentials.get("access") if credential is _UNSET else credential
        request = build_request(
            self.manifest, name, {**self.credentials, **(context or {})}, credential=access, body=body, raw=raw,
            content_type=content_type, cookies=cookies, headers=headers,
        )  # fmt: skip
        response = self.http.request(
            request.method, self.base_url + request.path, data=request.body, headers=request.headers,
            params=params, cookies=request.cookies, timeout=self.timeout,
        )  # fmt: skip
        self.http.cookies.clear()  # the manifest, not a jar, decides what is sent next time
        reply = Reply(
            operation=name,
            method=op.method,
            url=op.path,
            status=response.status_code,
            headers=dict(response.headers),
            cookies=response.cookies.get_dict(),
            text=response.text,
            cookie_flags={
                cookie.name: {"httponly": cookie.has_nonstandard_attr("HttpOnly"), "secure": cookie.secure}
                for cookie in response.cookies
            },
        )
        if reply.status in op.status:
            self.credentials.update(captured(op, reply))
        return reply

    # The contract operations, each expecting its declared success.

    def register(self, user: User) -> Reply:
        """Register `user`; where the manifest says sign-up is confirmed by mail, confirm it too (the register
        answer is returned, so what registration itself hands out is still observed)."""
        reply = self.expect(self.send("register", vars(user)))
        self.confirm_signup(user)
        return reply

    def confirm_signup(self, user: User) -> Reply | None:
        """Where the manifest says sign-up is confirmed by mail (else nothing to do, None), follow the verification
        link mailed to `user` ([mail].verify_link): POST what it carries to `verify_email`. What the unconfirmed
        sign-up answered authenticates nothing, so it is dropped; the confirmation's answer may carry a credential
        (captured as declared), else the client logs in later. A case that registers with a bare `send` calls it."""
        if not self.manifest.signup_confirms_by_mail:
            return None
        values = self.verification_values(user)
        folder = self.mail_dir or folder_of(self.base_url)
        assert values is not None, f"[{self.variant}] no verification link mailed to {user.email} in {folder}"
        self.credentials.clear()
        return self.expect(self.send("verify_email", {**vars(user), **values}))

    def verification_values(self, user: User) -> dict[str, str] | None:
        """What the newest verification link mailed to `user` carries ([mail].verify_link), or None if none came."""
        folder = self.mail_dir or folder_of(self.base_url)
        assert folder, f"[{self.variant}] sign-up is confirmed by mail, and no mail folder is known for {self.base_url}"
        return link_values(folder, user.email, self.manifest.data["mail"]["verify_link"])

    def login(self, user: User) -> Reply:
        return self.expect(self.send("login", vars(user)))

    def sign_up(self, user: User) -> ContractClient:
        """Register and, where registration returns no credential, log in: a ready, authenticated client."""
        self.register(user)
        if "access" not in self.credentials:
            self.login(user)
        return self

    def me(self) -> Reply:
        return self.expect(self.send("me"))

    def user_field(self, reply: Reply, name: str) -> Any:
        return locate(reply, self.manifest.user_fields[name])

    def field_errors(self, reply: Reply) -> list[str]:
        """The field names a validation error in `reply` names, found where the manifest says."""
        found = locate(reply, self.manifest.field_errors)
        return list(found) if isinstance(found, (list, dict)) else []

    def update_me(self, **fields: str) -> Reply:
        return self.expect(self.send("update_me", fields))

    def logout(self) -> Reply:
        return self.expect(self.send("logout"))

    def __enter__(self) -> ContractClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def fresh(self) -> ContractClient:
        """Another client for the same variant and server, with no credentials: a second device."""
        return ContractClient(self.manifest, self.base_url, timeout=self.timeout, mail_dir=self.mail_dir)
