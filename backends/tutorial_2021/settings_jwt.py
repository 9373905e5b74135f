"""tutorial_2021, JWT mode: the tutorial's JWT lines over its token mode.

`REST_USE_JWT = True` is how dj-rest-auth 2.1.7 turns JWTs on (read in its views and urls: today's dj-rest-auth
reads `REST_AUTH["USE_JWT"]` instead and ignores this name), with its two cookie names, and dj-rest-auth's
JWT authentication class added to the tutorial's two. `SIMPLE_JWT` is not the tutorial's: it carries the signing
key the harness gives each server (so the posture battery can mint validly signed bad tokens) and the suite's
shortened lifetime, as in every JWT variant; unset, simplejwt signs with SECRET_KEY for 5 minutes as the tutorial's.
"""

from __future__ import annotations

import os

from backends.tutorial_2021.settings import *  # noqa: F403 -- JWT mode is token mode plus these lines

AUTH_MODE = "jwt"

REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "rest_framework.authentication.SessionAuthentication",
    "rest_framework.authentication.TokenAuthentication",
    "dj_rest_auth.jwt_auth.JWTCookieAuthentication",
]

REST_USE_JWT = True
JWT_AUTH_COOKIE = "jwt-auth-token"
JWT_AUTH_REFRESH_COOKIE = "jwt-refresh-token"

SIMPLE_JWT = {}
if os.environ.get("AUTHCMP_JWT_SIGNING_KEY"):
    SIMPLE_JWT["SIGNING_KEY"] = os.environ["AUTHCMP_JWT_SIGNING_KEY"]
if CREDENTIAL_TTL:
    SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] = CREDENTIAL_TTL

AUTHCMP_PACKAGES += ["djangorestframework-simplejwt"]
