"""The seed tutorial's layout: dj-rest-auth under api/authentication/, registration under api/registration/."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("backends.common.urls")),
    path("api/authentication/", include("dj_rest_auth.urls")),
    path("api/registration/", include("dj_rest_auth.registration.urls")),
]
