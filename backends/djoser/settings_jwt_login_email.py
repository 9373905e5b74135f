"""djoser-jwt_login_email: JWT mode with DJOSER['LOGIN_FIELD'] = 'email'. Observation only, never deploy.

The same delta as settings_token_login_email.py (whose docstring says why USER_ID_FIELD and LoginFieldBackend come
with it), over JWT mode: simplejwt's login never reads LOGIN_FIELD, so what changes is the backend's lookup.
"""

from __future__ import annotations

from backends.djoser.settings_jwt import *  # noqa: F403 -- JWT mode, one setting flipped (and what it needs)

DJOSER = {**DJOSER, "LOGIN_FIELD": "email", "USER_ID_FIELD": "username"}
AUTHENTICATION_BACKENDS = ["djoser.auth_backends.LoginFieldBackend"]
