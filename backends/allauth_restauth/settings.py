"""allauth_restauth, token mode: dj-rest-auth's REST endpoints over django-allauth's account logic.

The delta over the shared base is the apps, allauth's middleware and backend, DRF's token authentication
and the two libraries' settings. `settings_jwt` switches the same project to simplejwt.
"""

from __future__ import annotations

from backends.common import oidc, releases
from backends.common.settings import *  # noqa: F403 -- a backend is the shared base plus its library

AUTH_MODE = "token"
ROOT_URLCONF = "backends.allauth_restauth.urls"

INSTALLED_APPS += [
    "rest_framework.authtoken",
    "allauth",
    "allauth.account",
    # dj_rest_auth.registration imports social-account models, so the app must be installed.
    "allauth.socialaccount",
    # Social login (issue #15): allauth's generic OpenID Connect provider behind dj-rest-auth's SocialLoginView.
    "allauth.socialaccount.providers.openid_connect",
    "dj_rest_auth",
    "dj_rest_auth.registration",
    # dj-rest-auth's optional MFA app (issue #15): TOTP and recovery codes under api/authentication/mfa/; urls.py
    # puts its MFALoginView at login/, which answers an ephemeral token instead of a credential once TOTP is on.
    "dj_rest_auth.mfa",
]
MIDDLEWARE += ["allauth.account.middleware.AccountMiddleware"]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = ["rest_framework.authentication.TokenAuthentication"]

ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
# Changed from the default "optional" so registration answers with a credential at once, as the other
# libraries' flows allow; the matrix records this next to the registration cells.
ACCOUNT_EMAIL_VERIFICATION = "none"

# The provider the harness starts (backends/common/oidc.py). A social login whose verified address is an existing
# account's logs into that account and connects it (default False: dj-rest-auth then refuses the login, "User is
# already registered with this e-mail address."); an unverified address never does (allauth's
# authenticate_by_email takes verified addresses only).
SOCIALACCOUNT_PROVIDERS = oidc.ALLAUTH_PROVIDERS
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

REST_AUTH = {
    "SESSION_LOGIN": True,  # the library default, kept: login also opens a Django session
}

AUTHCMP_PACKAGES += ["dj-rest-auth", "django-allauth"]
# DRF's authtoken: one row per user, which never expires.
AUTHCMP_CREDENTIAL_TABLES = {"authtoken.Token": {}, **AUTHCMP_CREDENTIAL_TABLES}
# Served on an earlier release (harness/history.py): the setting names and apps that release reads instead.
releases.translate(globals())
