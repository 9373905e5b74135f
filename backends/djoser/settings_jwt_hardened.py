"""djoser, hardened JWT mode: JWT mode with simplejwt's and djoser's settings on their safer side, axes and throttles.

simplejwt: refresh rotates and the used refresh token is blacklisted; access tokens carry a digest of the password
hash and are refused once it changes (CHECK_REVOKE_TOKEN); tokens name an issuer and an audience, which are then
required; logins update last_login, which voids reset links mailed before. djoser's settings as in the hardened token
mode, though in this mode two of them change nothing (see the manifest). What both hardened modes share is in
settings_hardening.py. Not available in simplejwt 5.5.1, so left as residual risk: refusing access tokens after logout,
refresh tokens after a password change or reset, and revoking a replayed refresh token's family.
"""

from __future__ import annotations

from datetime import timedelta

from backends.djoser.settings_jwt import *  # noqa: F403 -- the hardened mode is JWT mode plus these lines

# isort: split
# After the mode, as in token mode: AUTHENTICATION_BACKENDS (axes first) is a name settings.py sets too.
from backends.djoser.settings_hardening import *  # noqa: F403 -- axes, throttles, body cap

CACHES = SHARED_CACHE
INSTALLED_APPS += HARDENED_APPS
MIDDLEWARE += HARDENED_MIDDLEWARE
REST_FRAMEWORK.update(HARDENED_REST_FRAMEWORK)

SIMPLE_JWT.update(
    {
        # simplejwt's default, stated: the suite still cuts it through AUTHCMP_CREDENTIAL_TTL_SECONDS to see expiry.
        "ACCESS_TOKEN_LIFETIME": CREDENTIAL_TTL or timedelta(minutes=5),
        "ROTATE_REFRESH_TOKENS": True,
        "BLACKLIST_AFTER_ROTATION": True,  # the blacklist app is installed by JWT mode
        "CHECK_REVOKE_TOKEN": True,
        "UPDATE_LAST_LOGIN": True,
        "ISSUER": "authcmp-djoser",
        "AUDIENCE": "authcmp-djoser-api",
    }
)

DJOSER = {
    **DJOSER,
    "LOGOUT_ON_PASSWORD_CHANGE": True,  # deletes TOKEN_MODEL rows only, and JWT mode has none: CHECK_REVOKE_TOKEN acts
    "PASSWORD_CHANGED_EMAIL_CONFIRMATION": True,
    **HARDENED_DJOSER,  # activation by mail before the first login (settings_hardening.py)
    "CREATE_SESSION_ON_LOGIN": True,  # read by djoser's token login only; simplejwt's view is this mode's login
}
