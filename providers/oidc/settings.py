"""Settings of the loopback OpenID Connect provider: allauth's account app (the login form) and its OIDC IdP.

`AUTHCMP_OIDC_DATABASE` (a SQLite file), `IDP_OIDC_PRIVATE_KEY` (the RSA key that signs id_tokens, a fresh one
per start) and `AUTHCMP_OIDC_CONTROL_TOKEN` (the bearer the harness's control endpoints require) come from
`harness/oidc.py`. The provider is a test fixture, not a deployment: it runs on 127.0.0.1 over plain HTTP.
"""

from __future__ import annotations

import os

# Dangerous: local only. The provider listens on 127.0.0.1 for the duration of one harness run.
SECRET_KEY = os.environ.get("AUTHCMP_OIDC_SECRET_KEY", "authcmp-oidc-provider-local-only")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "providers.oidc.urls"
WSGI_APPLICATION = "providers.oidc.wsgi.application"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "allauth",
    "allauth.account",
    "allauth.idp.oidc",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Applies a client's fault setting (a bad signature, a wrong audience, an expired id_token) to the
    # token endpoint's answer, so the harness can observe whether a variant refuses such a token.
    "providers.oidc.faults.IdTokenFaultMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("AUTHCMP_OIDC_DATABASE", "oidc-provider.sqlite3"),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Dangerous: test fixture only. MD5 keeps the form logins of a test run cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
USE_TZ = True
# Browsers keep cookies per host, not per port: on 127.0.0.1 the provider's session and CSRF cookies would replace
# the variant's own (a social login in Chromium would lose the API's session mid-flow). A real provider is another
# site; names of its own stand in for that.
SESSION_COOKIE_NAME = "authcmp_idp_sessionid"
CSRF_COOKIE_NAME = "authcmp_idp_csrftoken"
TIME_ZONE = "UTC"

ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
# One IP (the harness) logs hundreds of test users in: allauth's per-IP limits would refuse it.
ACCOUNT_RATE_LIMITS = False
LOGIN_URL = "/accounts/login/"

IDP_OIDC_PRIVATE_KEY = os.environ.get("IDP_OIDC_PRIVATE_KEY", "")
IDP_OIDC_RATE_LIMITS = False
AUTHCMP_OIDC_CONTROL_TOKEN = os.environ.get("AUTHCMP_OIDC_CONTROL_TOKEN", "")
