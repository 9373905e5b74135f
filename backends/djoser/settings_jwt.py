"""djoser, JWT mode: djoser's user endpoints with its simplejwt routes (jwt/create, refresh, verify).

djoser has no JWT logout; simplejwt's blacklist app and its `TokenBlacklistView` are the idiomatic
revocation, so logout blacklists the refresh token. Access tokens stay valid until they expire.
"""

from __future__ import annotations

import os

from backends.djoser.settings import *  # noqa: F403 -- JWT mode is token mode plus these lines

AUTH_MODE = "jwt"

INSTALLED_APPS.remove("rest_framework.authtoken")
INSTALLED_APPS += ["rest_framework_simplejwt.token_blacklist"]
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = ["rest_framework_simplejwt.authentication.JWTAuthentication"]
# Without authtoken installed, djoser must not look for its token model, or deleting an account crashes.
DJOSER = {**DJOSER, "TOKEN_MODEL": None}
# djoser.social's own strategy: simplejwt's access and refresh pair.
DJOSER["SOCIAL_AUTH_TOKEN_STRATEGY"] = "djoser.social.token.jwt.TokenStrategy"

SIMPLE_JWT = {}
# simplejwt signs with SECRET_KEY unless told otherwise; servers the harness starts get a key of their own, which
# the harness knows and mints validly signed bad tokens with (harness/server.py, signing_keys).
if os.environ.get("AUTHCMP_JWT_SIGNING_KEY"):
    SIMPLE_JWT["SIGNING_KEY"] = os.environ["AUTHCMP_JWT_SIGNING_KEY"]
if CREDENTIAL_TTL:
    SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] = CREDENTIAL_TTL

AUTHCMP_PACKAGES += ["djangorestframework-simplejwt"]
# A signed access token needs no row, but the blacklist app records every refresh token it issues: live until
# it expires or is blacklisted. authtoken's table went with its app.
AUTHCMP_CREDENTIAL_TABLES = {
    "token_blacklist.OutstandingToken": {"expires_at__gt": "now", "blacklistedtoken__isnull": True},
    **{label: live for label, live in AUTHCMP_CREDENTIAL_TABLES.items() if label != "authtoken.Token"},
}
