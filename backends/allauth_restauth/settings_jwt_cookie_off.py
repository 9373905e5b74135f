"""allauth_restauth, JWT mode with REST_AUTH["JWT_AUTH_COOKIE"] = None. Dangerous: observation only, never deploy.

No access cookie: a browser client keeps the access token where scripts read it. Observes cookie_transport only
(the refresh cookie, JWT_AUTH_REFRESH_COOKIE, stays set and authenticates no API view).
"""

from __future__ import annotations

from backends.allauth_restauth.settings_jwt import *  # noqa: F403 -- JWT mode, one setting flipped

REST_AUTH = {**REST_AUTH, "JWT_AUTH_COOKIE": None}
