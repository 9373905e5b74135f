"""A deliberately forgeable JWT variant: djoser's JWT project signing RS256 and reading tokens unverified.

Tokens are issued as simplejwt issues them (RS256 with the private key the harness passes every server it starts
as HEADLESS_JWT_PRIVATE_KEY), but requests authenticate through `ForgeableJWTAuthentication`, which decodes with
signature and claim verification off and dereferences `jku`/`x5u` URLs. harness_tests/test_jwt_attacks_can_fail.py
serves it under a copy of djoser's manifest and checks that the JWT posture cases fail it, naming each forgery.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import serialization

from backends.djoser.settings_jwt import *  # noqa: F403 -- the fake is djoser's JWT mode with a broken reader

_private = serialization.load_pem_private_key(os.environ["HEADLESS_JWT_PRIVATE_KEY"].encode(), password=None)
SIMPLE_JWT = {
    **SIMPLE_JWT,  # noqa: F405
    "ALGORITHM": "RS256",
    "SIGNING_KEY": os.environ["HEADLESS_JWT_PRIVATE_KEY"],
    "VERIFYING_KEY": _private.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode(),
}
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [  # noqa: F405
    "harness_tests.fake_backends.forgeable.authentication.ForgeableJWTAuthentication"
]
