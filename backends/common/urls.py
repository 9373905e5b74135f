"""URLs every backend includes next to its library's own."""

from __future__ import annotations

from django.urls import path

from backends.common import views

urlpatterns = [
    path("health/", views.health, name="health"),
]
