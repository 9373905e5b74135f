"""Glue every hardened variant shares: `Cache-Control: no-store` on every answer of the API.

No library compared here, nor DRF, sets a caching header on the answers that carry a credential (login, refresh,
registration), so a shared cache or the browser's history may keep a token (ASVS 5.0 V14.3.2; the posture case
`credential_response_not_cacheable`). Django's `never_cache` would have to wrap each library view; one
middleware covers them all, and only the hardened settings install it (it is counted in the report's glue table).
An answer that chose its own Cache-Control keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private; Expires now
        return response
