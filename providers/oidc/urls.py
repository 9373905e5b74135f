"""allauth's login pages under accounts/, its OIDC provider at the root, and the harness's control endpoints."""

from __future__ import annotations

from django.urls import include, path

from providers.oidc import control

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("allauth.idp.urls")),
    path("authcmp/clients", control.register_client),
    path("authcmp/users", control.create_user),
]
