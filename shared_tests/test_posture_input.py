"""Posture: hostile input and what answers reveal — bodies, headers, content types, caching, tracebacks.

A 5xx is always a fail here: bad input must get a 4xx with a reason. Header cases go through the raw
`http.client`, which, unlike higher-level clients, sends unusual header bytes as they are.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlencode, urlsplit

import pytest

from harness.client import ContractClient, User
from harness.posture import PostureCheck
from shared_tests.observe import client_error, refused

pytestmark = pytest.mark.posture


def _client_error(status: int) -> bool:
    return 400 <= status < 500


def test_oversized_body_rejected(client: ContractClient, user: User, posture: PostureCheck) -> None:
    body = json.dumps({**client.body_for("register", vars(user)), "padding": "x" * (3 * 1024 * 1024)}).encode()
    reply = client.send("register", raw=body)
    posture.passes_if(client_error(client, reply), reply.describe())


def test_deeply_nested_json_rejected(client: ContractClient, posture: PostureCheck) -> None:
    depth = 100_000
    reply = client.send("login", raw=b'{"username": ' + b"[" * depth + b"]" * depth + b"}")
    posture.passes_if(client_error(client, reply), reply.describe())


def test_wrong_content_type_rejected(client: ContractClient, user: User, posture: PostureCheck) -> None:
    body = json.dumps(client.body_for("register", vars(user))).encode()
    answers = {
        kind: client.fresh().send("register", raw=body, content_type=kind) for kind in ("text/plain", "application/xml")
    }
    statuses = {kind: reply.status for kind, reply in answers.items()}
    posture.passes_if(all(client_error(client, reply) for reply in answers.values()), f"statuses: {statuses}")


def test_null_byte_in_username_rejected(client: ContractClient, user: User, posture: PostureCheck) -> None:
    user.username = user.username[:4] + "\x00" + user.username[4:]
    reply = client.send("register", vars(user))
    posture.passes_if(client_error(client, reply), reply.describe())


def test_overlong_username_rejected(client: ContractClient, user: User, posture: PostureCheck) -> None:
    user.username = "u" * 10_000
    reply = client.send("register", vars(user))
    posture.passes_if(client_error(client, reply), reply.describe())


def _raw_me(client: ContractClient, header_value: bytes) -> int:
    """GET the current user with the credential header set to exactly `header_value`."""
    url = urlsplit(client.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.putrequest("GET", client.manifest.operation("me").path)
        connection.putheader(client.manifest.auth_header[0].encode(), header_value)
        connection.putheader(b"Accept", b"application/json")
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def _header_value(client: ContractClient, credential: str) -> bytes:
    return client.manifest.auth_header[1].format(access=credential).encode("latin-1")


def test_header_credential_with_nul_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    token = signed_up.credentials["access"]
    status = _raw_me(signed_up, _header_value(signed_up, token[:8] + "\x00" + token[8:]))
    posture.passes_if(_client_error(status), f"answered {status}")


def test_header_credential_overlong_rejected(client: ContractClient, posture: PostureCheck) -> None:
    status = _raw_me(client, _header_value(client, "A" * 6 * 1024))
    posture.passes_if(_client_error(status), f"answered {status}")


def test_header_scheme_without_credential_rejected(client: ContractClient, posture: PostureCheck) -> None:
    status = _raw_me(client, _header_value(client, "").strip() or b" ")
    posture.passes_if(_client_error(status), f"answered {status}")


def test_header_credential_with_spaces_rejected(signed_up: ContractClient, posture: PostureCheck) -> None:
    token = signed_up.credentials["access"]
    status = _raw_me(signed_up, _header_value(signed_up, f"{token[:10]} {token[10:]}"))
    posture.passes_if(_client_error(status), f"answered {status}")


def test_credential_response_not_cacheable(client: ContractClient, user: User, posture: PostureCheck) -> None:
    client.register(user)
    reply = client.fresh().login(user)
    cache = reply.headers.get("Cache-Control", "")
    posture.passes_if("no-store" in cache, f"login answer Cache-Control: {cache or '(none)'}")


def test_nosniff_header_sent(signed_up: ContractClient, posture: PostureCheck) -> None:
    value = signed_up.me().headers.get("X-Content-Type-Options", "")
    posture.passes_if(value.lower() == "nosniff", f"X-Content-Type-Options: {value or '(none)'}")


def test_login_refuses_get(client: ContractClient, user: User, posture: PostureCheck) -> None:
    client.register(user)
    query = urlencode(client.body_for("login", vars(user)))
    path = client.manifest.operation("login").path
    response = client.http.get(f"{client.base_url}{path}?{query}", headers={"Accept": "application/json"}, timeout=30)
    posture.passes_if(not 200 <= response.status_code < 300, f"GET {path}?… answered {response.status_code}")


def test_error_answers_leak_no_traceback(client: ContractClient, posture: PostureCheck) -> None:
    replies = [client.send("login", raw=b'{"username": '), client.send("register", raw=b"[1, 2")]
    leaks = [r.describe() for r in replies if "Traceback" in r.text or "SECRET_KEY" in r.text or r.status >= 500]
    posture.passes_if(not leaks, "; ".join(leaks) or "no traceback in error answers")


def test_unauthenticated_me_is_refused(client: ContractClient) -> None:
    """A guard for the header cases: without any credential the endpoint is closed."""
    assert refused(client.send("me", credential=None))
