"""Mint JWTs for the posture battery: with the server's own key (validly signed bad tokens) or an attacker's.

A manifest's `jwt` table names what its variant signs with, declaratively:
`jwt = { alg = "HS256", key = "AUTHCMP_JWT_SIGNING_KEY", leeway = 0 }`: the algorithm, the environment variable
through which a server the harness starts receives its key (`harness.server.signing_keys`: a random HS secret and
an RSA private key PEM) and the clock leeway, in seconds, the variant grants on exp/nbf/iat. Nothing here is taken
on trust: `server_key` checks that the server's genuine token carries the declared algorithm and that a re-signed
copy of it is accepted, so a wrong key or algorithm fails the case instead of making every forgery look refused.
The header attacks (`jwk`, `jku`, `x5u`, `kid`) use keys only the test holds; `Listener` is the 127.0.0.1 HTTP
server a `jku`/`x5u` URL points at, recording every request a variant makes to it.
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import RSAAlgorithm

from harness.client import ContractClient
from harness.manifest import Manifest
from harness.server import Server
from shared_tests.observe import is_jwt


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segment(token: str, index: int) -> dict[str, Any]:
    """The decoded header (0) or payload (1) of a compact JWT, unverified."""
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def encode(header: dict[str, Any], payload: dict[str, Any]) -> str:
    """The signing input: base64url(header).base64url(payload)."""
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"


def hs_sign(header: dict[str, Any], payload: dict[str, Any], secret: bytes, digest: str = "sha256") -> str:
    """An HMAC-signed token computed by hand: PyJWT refuses PEM text as an HMAC secret, which key confusion needs."""
    signing_input = encode(header, payload)
    mac = hmac.new(secret, signing_input.encode(), getattr(hashlib, digest)).digest()
    return f"{signing_input}.{b64(mac)}"


@dataclass(frozen=True)
class ServerKey:
    """The key a harness-started server signs with, checked against the server (see `server_key`)."""

    alg: str
    key: str  # an HS secret, or an RSA private key PEM
    leeway: int

    @property
    def symmetric(self) -> bool:
        return self.alg.startswith("HS")

    def public_pem(self) -> bytes:
        private = serialization.load_pem_private_key(self.key.encode(), password=None)
        return private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, payload: dict[str, Any], header: dict[str, Any] | None = None, alg: str | None = None) -> str:
        extra = {key: value for key, value in (header or {}).items() if key not in ("alg", "typ")}
        return jwt.encode(payload, self.key, algorithm=alg or self.alg, headers={"typ": "JWT", **extra})


def declared_jwt(manifest: Manifest) -> dict[str, Any]:
    declared = manifest.data.get("jwt")
    assert isinstance(declared, dict) and {"alg", "key"} <= set(declared), (
        f"[{manifest.variant}] its credential is a JWT but its manifest declares no jwt = {{ alg, key, leeway }}"
    )
    return declared


def server_key(client: ContractClient, server: Server) -> ServerKey:
    """The server's signing key, proven: the genuine token names the declared algorithm and a copy of its payload
    re-signed with the key is accepted. Either failing is a harness error, never a finding."""
    manifest, token = client.manifest, client.credentials["access"]
    declared = declared_jwt(manifest)
    assert declared["key"] in server.signing_keys, (
        f"[{manifest.variant}] jwt.key = {declared['key']!r}, which the harness did not give this server "
        f"(it gave {sorted(server.signing_keys)})"
    )
    key = ServerKey(declared["alg"], server.signing_keys[declared["key"]], int(declared.get("leeway", 0)))
    header = segment(token, 0)
    assert header.get("alg") == key.alg, f"[{manifest.variant}] declares jwt.alg = {key.alg}, its token says {header}"
    control = key.sign(segment(token, 1), header)
    reply = client.send("me", credential=control)
    assert reply.status in manifest.operation("me").status, (
        f"[{manifest.variant}] a copy of its own token re-signed with {declared['key']} is refused "
        f"({reply.describe()}): the harness does not hold the server's key, so no minted token would prove anything"
    )
    return key


@functools.cache
def attacker_rsa() -> rsa.RSAPrivateKey:
    """One RSA key per test session that no server trusts."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def attacker_pem() -> bytes:
    return attacker_rsa().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def attacker_jwk(kid: str = "attacker") -> dict[str, Any]:
    return {**json.loads(RSAAlgorithm.to_jwk(attacker_rsa().public_key())), "kid": kid, "alg": "RS256", "use": "sig"}


def attacker_certificate_pem() -> bytes:
    """A self-signed certificate of the attacker's key: what an `x5u` URL serves."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "attacker.example")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(attacker_rsa().public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(attacker_rsa(), hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def attacker_sign(payload: dict[str, Any], header: dict[str, Any]) -> str:
    """RS256 with the attacker's key and whatever header the attack needs (jwk, jku, x5u, kid)."""
    return jwt.encode(payload, attacker_pem(), algorithm="RS256", headers=header)


@dataclass
class Listener:
    """An HTTP server on 127.0.0.1 that serves `documents` (path -> (content type, body)) and records every request."""

    documents: dict[str, tuple[str, bytes]]
    requests: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Listener:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the name http.server dispatches GET to
                listener.requests.append(f"GET {self.path}")
                content_type, body = listener.documents.get(self.path, ("text/plain", b"not found"))
                self.send_response(200 if self.path in listener.documents else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the requests are recorded above

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def key_confusion_secrets(public_pem: bytes) -> Iterator[tuple[str, bytes]]:
    """The encodings of an RSA public key a confused verifier might take as an HMAC secret."""
    public = serialization.load_pem_public_key(public_pem)
    yield "SPKI PEM", public_pem
    yield "SPKI PEM without final newline", public_pem.rstrip(b"\n")
    yield "PKCS#1 PEM", public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    yield "SPKI DER", public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def genuine_jwt(client: ContractClient) -> str | None:
    """The client's access credential when it is a JWT; None for an opaque token (the JWT case is then n/a)."""
    token = client.credentials["access"]
    return token if is_jwt(token) else None


def answers(client: ContractClient, forged: dict[str, str]) -> tuple[bool, str]:
    """Present each token to the current-user operation: (all got the unauthenticated answer, their statuses)."""
    statuses = {name: client.send("me", credential=token).status for name, token in forged.items()}
    refused = all(status == client.manifest.unauthenticated_status for status in statuses.values())
    crashed = {name: status for name, status in statuses.items() if status >= 500}
    return refused, f"statuses: {statuses}" + (f"; server errors: {sorted(crashed)}" if crashed else "")
