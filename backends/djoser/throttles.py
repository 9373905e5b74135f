"""DRF throttles of the hardened modes: the pieces neither djoser, simplejwt nor DRF ships ready to plug in.

DRF's `ScopedRateThrottle` reads its scope from a `throttle_scope` attribute of the view, which djoser's and
simplejwt's views lack and `as_view()` cannot set (it takes only existing attributes); `RouteThrottle` names the
scope by the route's URL name instead and is otherwise DRF's class (per user when authenticated, else per client
address). No DRF class counts requests per submitted email, and a per-client limit alone lets many clients mail
one address: `ResetAddressThrottle` counts reset requests per address, known or not, so it reveals nothing, and
`ResendAddressThrottle` counts resent activation mails the same way.
All three are DRF's documented way to add a throttle (a `SimpleRateThrottle` subclass); rates are in the settings.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

RESET_ROUTE = "user-reset-password"  # djoser's router: UserViewSet.reset_password
# URL name (djoser's token login, its simplejwt route, its reset request) -> scope in DEFAULT_THROTTLE_RATES.
ROUTE_SCOPES = {"login": "login", "jwt-create": "login", RESET_ROUTE: "reset_password"}


def _route(request: Request) -> str | None:
    match = getattr(request, "resolver_match", None)  # the Django request's, through DRF's proxy
    return match.url_name if match else None


class RouteThrottle(ScopedRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        view.throttle_scope = ROUTE_SCOPES.get(_route(request) or "")  # the view instance serves this request only
        return super().allow_request(request, view)


class ResetAddressThrottle(SimpleRateThrottle):
    scope = "reset_password_address"
    route = RESET_ROUTE

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if _route(request) != self.route:
            return None  # parsing only the bodies of the requests this throttle counts
        email = request.data.get("email") if isinstance(request.data, dict) else None
        if not isinstance(email, str) or not email.strip():
            return None  # not a reset request, or one djoser's serializer refuses anyway
        ident = hashlib.sha256(email.strip().casefold().encode()).hexdigest()  # case variants share one budget
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ResendAddressThrottle(ResetAddressThrottle):
    """Activation mails resent per address (users/resend_activation/ mails on every request otherwise)."""

    scope = "resend_activation_address"
    route = "user-resend-activation"
