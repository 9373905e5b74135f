"""The fake's cookie transport: DRF's token read from the `auth-token` cookie.

A module of its own, apart from urls.py: DRF imports authentication classes while the views import, so the
class cannot live in a module that imports views.
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

COOKIE = "auth-token"


class CookieTokenAuthentication(TokenAuthentication):
    """DRF's token from the cookie (no CSRF check: the fake needs none to show its flaw)."""

    def authenticate(self, request: Request) -> Any:
        key = request.COOKIES.get(COOKIE)
        return self.authenticate_credentials(key) if key else None
