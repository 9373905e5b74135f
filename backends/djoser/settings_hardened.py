"""djoser, hardened token mode: token mode with every djoser setting on its safer side, plus axes and DRF throttles.

djoser's own settings: a password change deletes the user's token (every device is logged out) and mails the user,
as does a reset. HIDE_USERS and PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND are already on their safe side by default.
CREATE_SESSION_ON_LOGIN is flipped though it hardens nothing (see the manifest). What the two hardened modes share
(axes, throttles, body cap, no-store) is in settings_hardening.py. Not available in djoser or DRF's authtoken, so
left as residual risk: token expiry, one token per device, unique email, LOGIN_FIELD = email (README).
"""

from __future__ import annotations

from backends.djoser.settings import *  # noqa: F403 -- the hardened mode is token mode plus these lines
from backends.djoser.settings_hardening import *  # noqa: F403 -- new names only: axes, throttles, body cap

CACHES = SHARED_CACHE
INSTALLED_APPS += HARDENED_APPS
MIDDLEWARE += HARDENED_MIDDLEWARE
REST_FRAMEWORK.update(HARDENED_REST_FRAMEWORK)

DJOSER = {
    **DJOSER,
    "LOGOUT_ON_PASSWORD_CHANGE": True,  # deletes the user's one token: every device must log in again
    "PASSWORD_CHANGED_EMAIL_CONFIRMATION": True,  # tells the owner, after a change or a reset (ASVS V6.3.7)
    **HARDENED_DJOSER,  # activation by mail before the first login (settings_hardening.py)
    # Not a hardening: the token login also opens a Django session. Nothing here authenticates by session (no
    # SessionAuthentication), so the cookie is inert; flipped so that the setting's effect is observed.
    "CREATE_SESSION_ON_LOGIN": True,
}
