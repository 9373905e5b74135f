"""The one contract client: performs operations as a variant's manifest binds them, over real HTTP.

Like allauth's test `AppClient`, it captures the credentials an answer carries (from the body or a cookie,
where the manifest says) and resends them: the access credential in the declared header on authenticated
operations, others where an operation's body or cookie template names them. It keeps no cookie jar of its
own, so nothing reaches the server that the manifest did not declare. Every failed expectation names the
variant, the operation and the request, so a red test reads as "which library broke which operation".
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from harness.manifest import Manifest, Operation

_MISSING = object()


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
        try:
            return json.loads(self.text)
        except ValueError:
            return None

    def describe(self) -> str:
        text = " ".join(self.text.split())
        body = text if len(text) <= 400 else text[:400] + "…"
        return f"{self.method} {self.url} answered {self.status}: {body or '(empty body)'}"


def locate(reply: Reply, locator: str) -> Any:
    """Read a value out of an answer: "body:a.b" (JSON path; "body:" is the top-level keys), "cookie:NAME".

    A path step ending in "[]" names a list and applies the rest of the path to each of its items, collecting
    the values found: "body:errors[].param" is the `param` of every item of `errors` that has one."""
    source, _, where = locator.partition(":")
    if source == "cookie":
        return reply.cookies.get(where)
    if source != "body":
        raise ValueError(f"unknown locator source in {locator!r}")
    node = reply.json
    if not where:
        return list(node) if isinstance(node, dict) else []
    return _walk(node, where.split("."))


def _walk(node: Any, parts: list[str]) -> Any:
    for index, part in enumerate(parts):
        key, each = (part[:-2], True) if part.endswith("[]") else (part, False)
        if key or not each:  # a bare "[]" step is the list at hand
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        if each:
            if not isinstance(node, list):
                return None
            found = (_walk(item, parts[index + 1 :]) for item in node)
            return [value for value in found if value is not None]
    return node


def fill(template: Any, context: dict[str, Any]) -> Any:
    """Fill "{name}" placeholders; a template that is exactly one placeholder keeps the value's type."""
    if isinstance(template, dict):
        return {key: fill(value, context) for key, value in template.items()}
    if isinstance(template, str):
        if template.startswith("{") and template.endswith("}") and template.count("{") == 1:
            return context.get(template[1:-1], "")
        return template.format_map(context)
    return template


@dataclass
class ContractClient:
    """Performs contract operations for one variant against one base URL."""

    manifest: Manifest
    base_url: str
    credentials: dict[str, str] = field(default_factory=dict)
    http: requests.Session = field(default_factory=requests.Session)
    timeout: float = 30.0

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
        self,
        name: str,
        context: dict[str, Any] | None = None,
        *,
        body: Any = _MISSING,
        raw: bytes | None = None,
        content_type: str = "application/json",
        credential: str | object | None = _MISSING,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> Reply:
        """Perform operation `name`. `body`/`raw` replace the manifest's body; `credential` overrides the
        access credential sent (None sends none); `cookies`, `headers` and query `params` are sent besides the
        operation's own. Credentials in a successful answer are captured."""
        op = self.manifest.operation(name)
        values = {**self.credentials, **(context or {})}
        sent_headers = {"Accept": "application/json"}
        access = self.credentials.get("access") if credential is _MISSING else credential
        if op.authenticated and access is not None:
            header, template = self.manifest.auth_header
            sent_headers[header] = template.format_map({**values, "access": access})
        if raw is None and op.method != "GET":
            payload = self.body_for(name, values) if body is _MISSING else body
            raw = json.dumps(payload).encode()
        if raw is not None:
            sent_headers["Content-Type"] = content_type
        sent = {key: str(fill(value, values)) for key, value in op.cookies.items()} | (cookies or {})
        response = self.http.request(
            op.method,
            self.base_url + op.path,
            data=raw,
            headers=sent_headers | (headers or {}),
            params=params,
            cookies=sent,
            timeout=self.timeout,
        )
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
            self._capture(op, reply)
        return reply

    def _capture(self, op: Operation, reply: Reply) -> None:
        for name, locator in op.credentials.items():
            value = locate(reply, locator)
            if value:
                self.credentials[name] = value

    # The contract operations, each expecting its declared success.

    def register(self, user: User) -> Reply:
        return self.expect(self.send("register", vars(user)))

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
        return ContractClient(self.manifest, self.base_url, timeout=self.timeout)
