"""djoser's URLs with a login that sets the token cookie and a logout whose honesty depends on the mode."""

from __future__ import annotations

import os
from typing import Any

from django.urls import include, path
from djoser.views import TokenCreateView, TokenDestroyView
from rest_framework.request import Request
from rest_framework.response import Response

from harness_tests.fake_backends.cookie_logout.auth import COOKIE

HONEST = os.environ.get("AUTHCMP_VARIANT", "").endswith("-honest")


class CookieLogin(TokenCreateView):
    def _action(self, serializer: Any) -> Response:
        response = super()._action(serializer)
        response.set_cookie(COOKIE, response.data["auth_token"], httponly=True, samesite="Lax")
        return response


class Logout(TokenDestroyView):
    def post(self, request: Request) -> Response:
        by_header = "HTTP_AUTHORIZATION" in request.META
        # The flaw (header_only): a cookie-only logout answers like a real one and deletes nothing.
        response = super().post(request) if HONEST or by_header else Response(status=204)
        response.delete_cookie(COOKIE)
        return response


urlpatterns = [
    path("auth/token/login/", CookieLogin.as_view()),
    path("auth/token/logout/", Logout.as_view()),
    path("", include("backends.djoser.urls")),
]
