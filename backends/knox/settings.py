"""knox, token mode: django-rest-knox's hashed, expiring per-device tokens behind DRF.

The delta over the shared base is the knox app, knox's DRF authentication class and the `REST_KNOX`
settings. The token lifetime is a setting: knox's default of ten hours unless
the run sets the shared `AUTHCMP_CREDENTIAL_TTL_SECONDS`.
"""

from __future__ import annotations

from datetime import timedelta

from backends.common.settings import *  # noqa: F403 -- a backend is the shared base plus its library

AUTH_MODE = "token"
ROOT_URLCONF = "backends.knox.urls"

# rest_framework is already in the base; DRF's authtoken app is not needed, since AuthTokenSerializer
# (used by the JSON login view) only calls django.contrib.auth.authenticate and touches no authtoken model.
INSTALLED_APPS += ["knox"]

REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = ["knox.auth.TokenAuthentication"]

REST_KNOX = {
    "TOKEN_TTL": CREDENTIAL_TTL or timedelta(hours=10),  # knox's default lifetime unless the run sets one
    # Changed from the default None so login answers with the user as registration does, in one shape.
    "USER_SERIALIZER": "backends.knox.serializers.UserSerializer",
    "AUTH_HEADER_PREFIX": "Token",  # the library default, kept: the manifest's header template relies on it
}

AUTHCMP_PACKAGES += ["django-rest-knox"]
# One row per login, live until its expiry: knox leaves expired rows in place until it cleans them up.
AUTHCMP_CREDENTIAL_TABLES = {"knox.AuthToken": {"expiry__gt": "now"}, **AUTHCMP_CREDENTIAL_TABLES}
