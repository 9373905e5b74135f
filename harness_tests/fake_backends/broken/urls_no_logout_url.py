"""djoser's URLs with the token logout route removed: login still works, logout answers 404."""

from __future__ import annotations

from django.urls import include, path
from djoser.views import TokenCreateView

urlpatterns = [
    path("", include("backends.common.urls")),
    path("auth/", include("djoser.urls")),
    path("auth/token/login/", TokenCreateView.as_view()),
]
