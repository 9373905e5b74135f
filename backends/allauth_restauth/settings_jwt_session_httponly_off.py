"""allauth_restauth, JWT mode with REST_AUTH["SESSION_LOGIN"] and ["JWT_AUTH_HTTPONLY"] False.

Dangerous: observation only, never deploy. Scripts can then read both token cookies (and the refresh token
travels in bodies), and login records no last_login. Observes login_creates_server_session and cookie_httponly,
which do not touch each other: the session cookie authenticates no API view.
"""

from __future__ import annotations

from backends.allauth_restauth.settings_jwt import *  # noqa: F403 -- JWT mode, two settings flipped

REST_AUTH = {**REST_AUTH, "SESSION_LOGIN": False, "JWT_AUTH_HTTPONLY": False}
