"""A fake variant with a cookie transport, to prove the revocation cases catch a logout that ignores it.

djoser's token project plus a login that also sets its DRF token as an HttpOnly `auth-token` cookie, which
authenticates alone (`CookieTokenAuthentication`). Two modes (urls.py): `honest` deletes the token whichever
transport brought it; `header_only` deletes it only when it came in the Authorization header and answers a
cookie-only logout with the same 204 and expired cookie, deleting nothing. `harness_tests/test_revocation_can_fail.py`
runs the revocation cases on both.
"""

from __future__ import annotations

from backends.djoser.settings import *  # noqa: F403 -- the fake is djoser plus a cookie transport

ROOT_URLCONF = "harness_tests.fake_backends.cookie_logout.urls"
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [  # noqa: F405 -- from djoser's settings
    "rest_framework.authentication.TokenAuthentication",
    "harness_tests.fake_backends.cookie_logout.auth.CookieTokenAuthentication",
]
