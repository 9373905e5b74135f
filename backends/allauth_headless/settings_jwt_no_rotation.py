"""allauth_headless-jwt_no_rotation: JWT mode with HEADLESS_JWT_ROTATE_REFRESH_TOKEN = False. Dangerous:
observation only, never deploy.

The ⚙ of refresh_rotation names HEADLESS_JWT_ROTATE_REFRESH_TOKEN, True by default; its flip (one refresh token
for the session's whole life) is the unsafe side, so no hardened mode sets it. This observation-only mode
(`observes = "jwt"` in the manifest) does.
"""

from __future__ import annotations

from backends.allauth_headless.settings_jwt import *  # noqa: F403 -- JWT mode, one setting flipped

HEADLESS_JWT_ROTATE_REFRESH_TOKEN = False
