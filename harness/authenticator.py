"""A software WebAuthn authenticator: the key a passkey test holds, and the ceremonies a browser would run with it.

It answers a server's creation options with an attestation of format "none" over a fresh ES256 key
(`create`), and its request options with an assertion signed by that key, its signature counter one higher each
time (`get`). Built on fido2's data classes and cryptography's P-256, so the bytes are a real authenticator's:
the server verifies the signature, the challenge, the origin, the RP id hash and the counter as it would a
hardware key's. The answers come in the two encodings the pinned libraries read: the WebAuthn JSON mapping
(`registration_json`, `assertion_json`: base64url fields under `response`, as fido2 servers and browsers use) and
the flat fields of py_webauthn 0.4 (`registration_flat`, `assertion_flat`), which djoser.webauthn reads.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData

_FLAGS = AuthenticatorData.FLAG


def b64url(data: bytes) -> str:
    return websafe_encode(data)


@dataclass
class Ceremony:
    """What the authenticator produced for one ceremony, in every encoding a library may read."""

    credential_id: bytes
    client_data: bytes
    authenticator_data: bytes
    attestation_object: bytes = b""
    signature: bytes = b""
    user_handle: bytes = b""

    def registration_json(self) -> dict[str, Any]:
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": b64url(self.client_data),
                "attestationObject": b64url(self.attestation_object),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
        }

    def assertion_json(self) -> dict[str, Any]:
        response = {
            "clientDataJSON": b64url(self.client_data),
            "authenticatorData": b64url(self.authenticator_data),
            "signature": b64url(self.signature),
        }
        if self.user_handle:
            response["userHandle"] = b64url(self.user_handle)
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "response": response,
            "clientExtensionResults": {},
        }

    def context(self) -> dict[str, Any]:
        """Every encoding, by the names a manifest's body template uses."""
        return {
            "credential": self.registration_json() if self.attestation_object else self.assertion_json(),
            "credential_id": b64url(self.credential_id),
            "client_data": b64url(self.client_data),
            "attestation_object": b64url(self.attestation_object),
            "authenticator_data": b64url(self.authenticator_data),
            "signature_hex": self.signature.hex(),
            "user_handle": b64url(self.user_handle),
        }


@dataclass
class SoftAuthenticator:
    """One passkey: an ES256 key pair, its credential id, its signature counter and the user it was made for."""

    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    counter: int = 0
    user_handle: bytes = b""

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        # The challenge as the server sent it (base64url for the JSON mapping, djoser's plain text alike).
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()

    def create(self, *, rp_id: str, challenge: str, origin: str, user_handle: str = "") -> Ceremony:
        """Answer creation options: a new credential, attested with format "none"."""
        self.user_handle = websafe_decode(user_handle) if user_handle else b""
        public_key = ES256.from_cryptography_key(self.key.public_key())
        credential = AttestedCredentialData.create(b"\0" * 16, self.credential_id, public_key)
        auth_data = AuthenticatorData.create(
            hashlib.sha256(rp_id.encode()).digest(), _FLAGS.UP | _FLAGS.UV | _FLAGS.AT, self.counter, credential
        )
        attestation = AttestationObject.create("none", auth_data, {})
        client_data = self._client_data("webauthn.create", challenge, origin)
        return Ceremony(self.credential_id, client_data, bytes(auth_data), bytes(attestation))

    def get(self, *, rp_id: str, challenge: str, origin: str) -> Ceremony:
        """Answer request options: an assertion over the challenge, the counter one higher."""
        self.counter += 1
        auth_data = AuthenticatorData.create(
            hashlib.sha256(rp_id.encode()).digest(), _FLAGS.UP | _FLAGS.UV, self.counter
        )
        client_data = self._client_data("webauthn.get", challenge, origin)
        signature = self.key.sign(bytes(auth_data) + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return Ceremony(
            self.credential_id, client_data, bytes(auth_data), signature=signature, user_handle=self.user_handle
        )
