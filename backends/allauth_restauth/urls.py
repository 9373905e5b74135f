"""The seed tutorial's layout: dj-rest-auth under api/authentication/, registration under api/registration/."""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from backends.allauth_restauth import social

# dj-rest-auth ships its MFA app from 7.2; a history run on an earlier release drops it (backends/common/releases.py).
MFA = apps.is_installed("dj_rest_auth.mfa")
if MFA:
    from dj_rest_auth.mfa.views import MFALoginView


def password_reset_link(request: HttpRequest, uidb64: str, token: str) -> JsonResponse:
    """Glue: dj-rest-auth mails a link to the URL named `password_reset_confirm`, which a frontend serves
    in a real project; this placeholder shows the values to POST to password/reset/confirm/."""
    return JsonResponse({"uid": uidb64, "token": token, "confirm": "/api/authentication/password/reset/confirm/"})


urlpatterns = [
    path("", include("backends.common.urls")),
    path("password-reset/confirm/<str:uidb64>/<str:token>/", password_reset_link, name="password_reset_confirm"),
    # dj-rest-auth's MFA guide: its login view before the stock one, then the MFA endpoints beside the others.
    *([path("api/authentication/login/", MFALoginView.as_view(), name="rest_login")] if MFA else []),
    path("api/authentication/", include("dj_rest_auth.urls")),
    *([path("api/authentication/", include("dj_rest_auth.mfa.urls"))] if MFA else []),
    path("api/registration/", include("dj_rest_auth.registration.urls")),
    path("api/authentication/social/oidc/", social.OIDCLoginView.as_view(), name="social_oidc_login"),
]
