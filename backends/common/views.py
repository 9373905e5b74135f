"""Views every backend serves besides its library's: a health check that reports what is running, and an index.

The health answer is how results pin what they measured even against a deployment the harness did not
start: the variant name, the profile, the password hasher and the versions of the libraries in play. The
index page at `/` shows the same report to a person, with a link to every endpoint of the backend's own
URLconf (read from the resolver, so no backend lists its endpoints twice), the schema and the docs pages.
"""

from __future__ import annotations

import functools
import os
import platform
import re
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from django.conf import settings
from django.contrib.admindocs.views import simplify_regex
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.schemas.generators import is_api_view

# `<int:pk>` as left by simplify_regex for path() routes -> `{pk}`, as regex groups already become.
_CONVERTER = re.compile(r"<(?:[^>:]+:)?(?P<name>\w+)>")
_IGNORED_METHODS = {"HEAD", "OPTIONS"}
_SHARED_URLCONF = "backends.common.urls"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _database_version() -> str:
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"{major}.{minor}"
    return connection.Database.sqlite_version


def self_report() -> dict[str, Any]:
    """What is running, after one query proves the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    hasher = get_hasher()
    return {
        "status": "ok",
        "variant": settings.VARIANT,
        "profile": settings.PROFILE,
        "python": platform.python_version(),
        "versions": {name: _version(name) for name in settings.AUTHCMP_PACKAGES},
        "hasher": {"algorithm": hasher.algorithm, "iterations": getattr(hasher, "iterations", None)},
        "database": {"vendor": connection.vendor, "version": _database_version()},
        # The harness's id for this server (harness/server.py SERVER_ID_ENV): proof the answer is not a neighbour's.
        **({"server": os.environ["AUTHCMP_SERVER_ID"]} if "AUTHCMP_SERVER_ID" in os.environ else {}),
        # Older settings served on today's releases with what those require (backends/common/releases.py `require`).
        **({"added_for_today": added} if (added := getattr(settings, "AUTHCMP_ADDED_FOR_TODAY", [])) else {}),
    }


def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 once the app is loaded and the database answers a query."""
    return JsonResponse(self_report())


@dataclass(frozen=True)
class Endpoint:
    """One route of the URLconf: its URI template, the methods a DRF view allows ("" for a plain view)."""

    path: str
    methods: str
    name: str
    shared: bool  # routed by backends.common.urls, so every variant serves it

    @property
    def linkable(self) -> bool:
        return "{" not in self.path


def _walk(patterns: list[Any], prefix: str = "", shared: bool = False) -> list[tuple[str, URLPattern, bool]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            module = getattr(pattern.urlconf_name, "__name__", pattern.urlconf_name)
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), shared or module == _SHARED_URLCONF)
        else:
            found.append((prefix + str(pattern.pattern), pattern, shared))
    return found


def _methods(pattern: URLPattern) -> str:
    callback = pattern.callback
    if not is_api_view(callback):
        return ""
    if getattr(callback, "actions", None):  # a viewset route: its method -> action map
        allowed = [method.upper() for method in callback.actions]
    else:
        allowed = callback.cls().allowed_methods
    return " ".join(method for method in allowed if method not in _IGNORED_METHODS)


@functools.cache
def endpoints() -> tuple[Endpoint, ...]:
    """Every route of the root URLconf, in its order; DRF's format-suffix twins are left out."""
    rows = []
    for route, pattern, shared in _walk(get_resolver().url_patterns):
        path = _CONVERTER.sub(r"{\g<name>}", simplify_regex(route))
        if "{format}" not in path and pattern.callback is not no_favicon:
            rows.append(Endpoint(path, _methods(pattern), pattern.name or "", shared))
    return tuple(rows)


def index(request: HttpRequest) -> HttpResponse:
    """A page for a person: which variant this is, what it runs, and links to its endpoints and docs."""
    rows = endpoints()
    context = {
        "report": self_report(),
        "library_endpoints": [row for row in rows if not row.shared],
        "shared_endpoints": [row for row in rows if row.shared],
    }
    return render(request, "common/index.html", context)


def no_favicon(request: HttpRequest) -> HttpResponse:
    """No icon, and no 404 for it either."""
    return HttpResponse(status=204)
