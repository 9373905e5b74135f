"""allauth_restauth, token mode with REST_AUTH["SESSION_LOGIN"] = False. Dangerous: observation only, never deploy.

Login then skips django.contrib.auth.login(): no session, but no last_login either, so a reset link mailed before
a login outlives it. Observes login_creates_server_session only.
"""

from __future__ import annotations

from backends.allauth_restauth.settings import *  # noqa: F403 -- token mode, one setting flipped

REST_AUTH = {**REST_AUTH, "SESSION_LOGIN": False}
