"""The glue knox leaves to the project: a JSON-body login, registration and a current-user view.

Login and registration both subclass knox's `LoginView`, so both answer as knox's login does (`expiry`,
`token`, `user`) and honour every `REST_KNOX` token setting; they differ only in how the user is found.
Logout and logout-all are knox's own views, wired in urls.py. The `extend_schema` annotations and the schema
extension below only tell the OpenAPI schema (and the fuzzer reading it) what these views really answer.
Two pieces serve the hardened mode only and do nothing under the default settings: the throttle scopes (knox's
login has none, and DRF's ScopedRateThrottle needs one per view) and the answer to a django-axes lockout.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiViewExtension
from drf_spectacular.utils import extend_schema
from knox.views import LoginView as KnoxLoginView
from rest_framework import generics, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from backends.knox.serializers import RegisterSerializer, TokenAnswerSerializer, UserSerializer


class LoginView(KnoxLoginView):
    """Fills knox's JSON-login gap: knox's LoginView authenticates only through DRF authentication classes
    (basic auth in its docs); this one reads a username/password body. No Django session is opened."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = AuthTokenSerializer
    throttle_scope = "login"  # read by ScopedRateThrottle, which only the hardened settings install

    def establish_user(self, serializer: serializers.Serializer) -> Any:
        return serializer.validated_data["user"]

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenAnswerSerializer})
    def post(self, request: Request, format: str | None = None) -> Response:
        serializer = self.serializer_class(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # django-axes (hardened settings only) flags a locked-out attempt on the DRF request it was handed,
            # which its middleware never sees, so the lockout would answer as a wrong password
            # (jazzband/django-axes#570): answer it as the lockout it is.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(detail="Too many failed login attempts. Try again later.")
            raise ValidationError(serializer.errors)
        request.user = self.establish_user(serializer)  # what knox's LoginView issues the token for
        return super().post(request, format)


class RegisterView(LoginView):
    """Fills knox's registration gap: creates the account and answers 201 with a knox token for it."""

    serializer_class = RegisterSerializer
    throttle_scope = "register"

    def establish_user(self, serializer: serializers.Serializer) -> Any:
        return serializer.save()

    @extend_schema(request=RegisterSerializer, responses={201: TokenAnswerSerializer})
    def post(self, request: Request, format: str | None = None) -> Response:
        response = super().post(request, format)
        if response.status_code == status.HTTP_200_OK:  # knox's login answers 200; a new account is a 201
            response.status_code = status.HTTP_201_CREATED
        return response


class UserView(generics.RetrieveUpdateAPIView):
    """Fills knox's user-details gap: GET/PATCH the credential owner's profile."""

    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> Any:
        return self.request.user


class KnoxLogoutSchema(OpenApiViewExtension):
    """knox's logout views are APIViews without a serializer: no body in, 204 with no body out."""

    target_class = "knox.views.LogoutView"

    def view_replacement(self) -> type:
        class Fixed(self.target_class):
            @extend_schema(request=None, responses={204: None})
            def post(self, request: Request, format: str | None = None) -> Response:
                return super().post(request, format)

        return Fixed


class KnoxLogoutAllSchema(KnoxLogoutSchema):
    target_class = "knox.views.LogoutAllView"
