"""djoser, token mode: djoser's user and token endpoints over DRF's authtoken.

The delta over the shared base is djoser, DRF's token app and authentication class, and one djoser
serializer setting that adds first_name and last_name to the current-user answer. `settings_jwt` switches
the same project to djoser's simplejwt routes.
"""

from __future__ import annotations

from backends.common.settings import *  # noqa: F403 -- a backend is the shared base plus its library

AUTH_MODE = "token"
ROOT_URLCONF = "backends.djoser.urls"

INSTALLED_APPS += ["rest_framework.authtoken", "djoser"]
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = ["rest_framework.authentication.TokenAuthentication"]

DJOSER = {
    # Required for password reset: the frontend page the mailed link points at.
    "PASSWORD_RESET_CONFIRM_URL": "password-reset/confirm/{uid}/{token}",
    "SERIALIZERS": {
        "user": "backends.djoser.serializers.ProfileSerializer",
        "current_user": "backends.djoser.serializers.ProfileSerializer",
    },
}

AUTHCMP_PACKAGES += ["djoser"]
# DRF's authtoken: one row per user, which never expires.
AUTHCMP_CREDENTIAL_TABLES = {"authtoken.Token": {}, **AUTHCMP_CREDENTIAL_TABLES}
