"""allauth_restauth, JWT mode: the token-mode project with dj-rest-auth's simplejwt integration.

Login answers with an access token in the body and sets it and the refresh token as HttpOnly cookies
(`jwt-auth-token`, `jwt-refresh-token`); requests authenticate with either the cookie or
`Authorization: Bearer`. simplejwt's blacklist app is installed because dj-rest-auth's logout blacklists
the refresh token only when it is: without it, logout revokes nothing server-side.
"""

from __future__ import annotations

import os

from backends.allauth_restauth.settings import *  # noqa: F403 -- JWT mode is token mode plus these lines

AUTH_MODE = "jwt"

INSTALLED_APPS.remove("rest_framework.authtoken")
INSTALLED_APPS += ["rest_framework_simplejwt.token_blacklist"]
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = ["dj_rest_auth.jwt_auth.JWTCookieAuthentication"]

REST_AUTH = {
    **REST_AUTH,
    "USE_JWT": True,
    "TOKEN_MODEL": None,
    "JWT_AUTH_COOKIE": "jwt-auth-token",
    "JWT_AUTH_REFRESH_COOKIE": "jwt-refresh-token",
    "JWT_AUTH_HTTPONLY": True,  # the library default, kept: the refresh token travels only as a cookie
}

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
