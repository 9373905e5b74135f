"""allauth_headless, JWT mode: the session-mode project with allauth's JWT token strategy.

Login and signup answer with an RS256 access token and a refresh token (besides the session token the
headless flows use); requests authenticate with `Authorization: Bearer <access token>`, which allauth's
`JWTTokenAuthentication` also accepts for the project's DRF view. Access tokens are validated statelessly
(allauth's default), and refresh tokens are rotated on every refresh (also the default).
"""

from __future__ import annotations

import os

from django.conf import global_settings

from backends.allauth_headless.keys import private_key_pem
from backends.allauth_headless.settings import *  # noqa: F403 -- JWT mode is session mode plus these lines

AUTH_MODE = "jwt"

REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "allauth.headless.contrib.rest_framework.authentication.JWTTokenAuthentication"
]

HEADLESS_TOKEN_STRATEGY = "allauth.headless.tokens.strategies.jwt.JWTTokenStrategy"
# Required for RS256, the default algorithm: allauth generates no key. A deployment sets its own PEM.
HEADLESS_JWT_PRIVATE_KEY = os.environ.get("HEADLESS_JWT_PRIVATE_KEY") or private_key_pem(
    VAR_DIR / "allauth_headless" / "jwt-private-key.pem"
)

# The shared lifetime knob cuts the access token (default 300 s); the session behind the refresh token
# keeps Django's default age rather than the one session mode derives from the knob.
SESSION_COOKIE_AGE = global_settings.SESSION_COOKIE_AGE
if CREDENTIAL_TTL:
    HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = int(CREDENTIAL_TTL.total_seconds())
