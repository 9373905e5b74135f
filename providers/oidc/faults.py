"""Per-client faults in the id_tokens the provider issues, so the harness can show a variant refusing them.

The harness sets a client's fault (`Client.data["authcmp_fault"]`, through `control.register_client`); the
token endpoint's answer to that client then carries an id_token that is wrong in exactly one way, as a
misbehaving or impersonated provider's would be. Real allauth issues the token; this only rewrites it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import jwt
from allauth.idp.oidc.models import Client
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOKEN_PATH = "/identity/o/api/token"
FAULTS = ("bad_signature", "wrong_audience", "expired")
# A key nobody publishes: a token signed with it, but naming the provider's key id, has a bad signature.
_ROGUE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _fault_of(client_id: Any) -> str | None:
    if not isinstance(client_id, str):
        return None
    client = Client.objects.filter(id=client_id).first()
    return (client.data or {}).get("authcmp_fault") if client else None


def faulty(id_token: str, fault: str) -> str:
    """`id_token` re-issued with `fault`: signed by an unpublished key, meant for another client, or expired."""
    header = jwt.get_unverified_header(id_token)
    claims = jwt.decode(id_token, options={"verify_signature": False})
    key: Any = settings.IDP_OIDC_PRIVATE_KEY
    if fault == "bad_signature":
        key = _ROGUE_KEY
    elif fault == "wrong_audience":
        claims["aud"] = "authcmp-another-client"
    elif fault == "expired":
        claims["iat"], claims["exp"] = int(time.time()) - 7200, int(time.time()) - 3600
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": header["kid"]})


class IdTokenFaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path != TOKEN_PATH or response.status_code != 200:
            return response
        body = json.loads(response.content)
        id_token = body.get("id_token")
        fault = _fault_of(jwt.decode(id_token, options={"verify_signature": False}).get("aud")) if id_token else None
        if fault:
            body["id_token"] = faulty(id_token, fault)
            response.content = json.dumps(body).encode()
        return response
