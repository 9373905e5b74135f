"""Views every backend serves besides its library's: a health check that reports what is running.

The health answer is how results pin what they measured even against a deployment the harness did not
start: the variant name, the profile, the password hasher and the versions of the libraries in play.
"""

from __future__ import annotations

import platform
from importlib import metadata

from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.http import HttpRequest, JsonResponse


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


def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 once the app is loaded and the database answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    hasher = get_hasher()
    return JsonResponse(
        {
            "status": "ok",
            "variant": settings.VARIANT,
            "profile": settings.PROFILE,
            "python": platform.python_version(),
            "versions": {name: _version(name) for name in settings.AUTHCMP_PACKAGES},
            "hasher": {"algorithm": hasher.algorithm, "iterations": getattr(hasher, "iterations", None)},
            "database": {"vendor": connection.vendor, "version": _database_version()},
        }
    )
