"""djoser's URLs with a token login that answers 500 to any input holding a non-ASCII character.

A crash a schema-driven fuzzer meets within a few inputs (generated strings are mostly Unicode) while the
contract client, whose users are ASCII, never does: the self-test that `harness.fuzz` reports a 5xx.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import include, path
from djoser.views import TokenCreateView
from rest_framework.request import Request
from rest_framework.response import Response


class LoginThatCrashes(TokenCreateView):
    def post(self, request: Request, **kwargs: Any) -> Response:
        # Decoded data, not raw bytes: JSON clients escape non-ASCII as \uXXXX.
        if not json.dumps(request.data, ensure_ascii=False, default=str).isascii():
            raise RuntimeError("non-ASCII input crashes this login on purpose")
        return super().post(request, **kwargs)


urlpatterns = [
    path("auth/token/login/", LoginThatCrashes.as_view()),
    path("", include("backends.djoser.urls")),
]
