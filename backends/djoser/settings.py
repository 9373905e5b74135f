"""djoser, token mode: djoser's user and token endpoints over DRF's authtoken.

The delta over the shared base is djoser, DRF's token app and authentication class, and one djoser
serializer setting that adds first_name and last_name to the current-user answer. `settings_jwt` switches
the same project to djoser's simplejwt routes.
"""

from __future__ import annotations

from backends.common import oidc
from backends.common.settings import *  # noqa: F403 -- a backend is the shared base plus its library

AUTH_MODE = "token"
ROOT_URLCONF = "backends.djoser.urls"

INSTALLED_APPS += ["rest_framework.authtoken", "djoser"]
# Social login (issue #15): djoser.social over social-auth-app-django's OpenID Connect backend, pointed at the
# provider the harness starts (backends/common/oidc.py), with PKCE. The API builds the authorization URL (its
# state and nonce kept in the Django session) and takes the code and state back at auth/o/oidc/.
INSTALLED_APPS += ["social_django"]
# Passkeys (issue #15): djoser.webauthn (djoser's `webauthn` extra, py_webauthn 0.4): sign-up with a passkey at
# auth/webauthn/signup_request/ and signup/<ukey>/, login at login_request/ and login/. The relying party is the
# frontend: its id and origin are settings (DJOSER['WEBAUTHN']), not the API's host.
INSTALLED_APPS += ["djoser.webauthn"]
SOCIAL_BACKEND = "social_core.backends.open_id_connect.OpenIdConnectAuth"
AUTHENTICATION_BACKENDS = [SOCIAL_BACKEND, "django.contrib.auth.backends.ModelBackend"]
SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = oidc.URL
SOCIAL_AUTH_OIDC_KEY = oidc.CLIENT_ID
SOCIAL_AUTH_OIDC_SECRET = oidc.CLIENT_SECRET
SOCIAL_AUTH_OIDC_USE_PKCE = True
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = ["rest_framework.authentication.TokenAuthentication"]

DJOSER = {
    # Required for password reset: the frontend page the mailed link points at.
    "PASSWORD_RESET_CONFIRM_URL": "password-reset/confirm/{uid}/{token}",
    # The frontend routes the provider may send the user back to; token mode's social credential (social.py).
    "SOCIAL_AUTH_ALLOWED_REDIRECT_URIS": [oidc.REDIRECT_URI],
    "SOCIAL_AUTH_TOKEN_STRATEGY": "backends.djoser.social.TokenStrategy",
    "WEBAUTHN": {"RP_NAME": "authcmp", "RP_ID": "localhost", "ORIGIN": "http://localhost:8080"},
    "SERIALIZERS": {
        "user": "backends.djoser.serializers.ProfileSerializer",
        "current_user": "backends.djoser.serializers.ProfileSerializer",
    },
}

AUTHCMP_PACKAGES += ["djoser"]
# DRF's authtoken: one row per user, which never expires.
AUTHCMP_CREDENTIAL_TABLES = {"authtoken.Token": {}, **AUTHCMP_CREDENTIAL_TABLES}
