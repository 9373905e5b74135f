"""The tutorial's URLs: dj-rest-auth under api/authentication/, its registration under api/registration/."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def password_reset_link(request: HttpRequest, uidb64: str, token: str) -> JsonResponse:
    """Glue: dj-rest-auth mails a link to the URL named `password_reset_confirm`, which a frontend serves
    in a real project (the tutorial has none); this placeholder shows the values to POST to password/reset/confirm/."""
    return JsonResponse({"uid": uidb64, "token": token, "confirm": "/api/authentication/password/reset/confirm/"})


urlpatterns = [
    path("", include("backends.common.urls")),
    path("password-reset/confirm/<str:uidb64>/<str:token>/", password_reset_link, name="password_reset_confirm"),
    path("api/authentication/", include("dj_rest_auth.urls")),
    path("api/registration/", include("dj_rest_auth.registration.urls")),
]
