"""The forgeable reader: every mistake the JWT posture cases look for, in one DRF authentication class.

It trusts the token's own header and claims: no signature check (so alg=none, another algorithm, an attacker's
key, a public key used as an HMAC secret all pass), no exp/nbf/iat check, no type check. It also fetches the
`jku` or `x5u` URL a token names (server-side request forgery) and then refuses such a token, so the `jku`/`x5u`
cases can fail on the fetch alone.
"""

from __future__ import annotations

import contextlib
from typing import Any

import jwt
import requests
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication


class ForgeableJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token: bytes) -> Any:
        try:
            header = jwt.get_unverified_header(raw_token)
            payload = jwt.decode(raw_token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed("unreadable token") from exc
        for name in ("jku", "x5u"):
            if isinstance(header.get(name), str):
                with contextlib.suppress(requests.RequestException):
                    requests.get(header[name], timeout=2)
                raise AuthenticationFailed(f"{name} fetched, token refused")
        return payload  # a dict: JWTAuthentication.get_user reads the user_id claim from it
