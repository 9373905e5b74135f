"""URLs every backend includes next to its library's own: health, baselines, the index page and the API docs."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from backends.common import baseline, views

urlpatterns = [
    path("", views.index, name="index"),
    path("health/", views.health, name="health"),
    # Benchmark baselines (backends/common/baseline.py): unauthenticated, read-only.
    path("baseline/drf/<int:pk>/", baseline.BaselineUserView.as_view(), name="baseline-drf"),
    path("baseline/plain/", baseline.plain, name="baseline-plain"),
    # Browsers ask every origin for /favicon.ico; without an answer each page logs a 404 in the console.
    path("favicon.ico", views.no_favicon),
    # The variant's OpenAPI schema (YAML; ?format=json for JSON) and Swagger UI rendering it. No Redoc page:
    # drf-spectacular's Redoc template loads Google Fonts and Redoc's logo from a CDN.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
