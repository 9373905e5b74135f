"""allauth's native headless layout under _allauth/ (app client: _allauth/app/v1/...), plus api/user/."""

from __future__ import annotations

from django.urls import include, path

from backends.allauth_headless import views

urlpatterns = [
    path("", include("backends.common.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/user/", views.UserView.as_view(), name="user"),
]
