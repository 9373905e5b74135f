"""knox's URLs with the login weakened as the variant's name says (see settings.py); everything else is knox's."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import include, path
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from backends.knox.views import LoginView

# AuthTokenSerializer's own answer to bad credentials: the weakened logins answer exactly alike, so only their
# cost tells them apart.
REFUSED = {"non_field_errors": ["Unable to log in with provided credentials."]}


class EarlyReturnLogin(LoginView):
    """Answers an unknown username before any password hash: a timing oracle."""

    def post(self, request: Request, format: str | None = None) -> Response:
        if not get_user_model().objects.filter(username=request.data.get("username")).exists():
            return Response(REFUSED, status=400)
        return super().post(request, format)


class DoubleHashLogin(LoginView):
    """Hashes the password once more whenever the login fails, as djoser's token login once did
    (sunscrapers/djoser#795): every guess costs the server two hashes."""

    def post(self, request: Request, format: str | None = None) -> Response:
        try:
            return super().post(request, format)
        except ValidationError:  # raised by the serializer; DRF's exception handler answers it with a 400
            make_password(str(request.data.get("password", "")))
            raise


LOGINS = {"early_return": EarlyReturnLogin, "double_hash": DoubleHashLogin}

urlpatterns = [
    *([path("api/auth/login/", LOGINS[settings.WEAKNESS].as_view())] if settings.WEAKNESS in LOGINS else []),
    path("", include("backends.knox.urls")),
]
