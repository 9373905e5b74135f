"""djoser's native layout under auth/: users/ (and users/me/), plus token/ or jwt/ routes by mode."""

from __future__ import annotations

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("backends.common.urls")),
    path("auth/", include("djoser.urls")),
    path("auth/", include("djoser.social.urls")),  # social login: auth/o/<backend>/ (issue #15)
    path("auth/webauthn/", include("djoser.webauthn.urls")),  # passkeys (issue #15)
]
if settings.AUTH_MODE == "jwt":
    from rest_framework_simplejwt.views import TokenBlacklistView

    urlpatterns += [
        path("auth/", include("djoser.urls.jwt")),
        path("auth/jwt/blacklist/", TokenBlacklistView.as_view(), name="jwt-blacklist"),
    ]
else:
    urlpatterns += [path("auth/", include("djoser.urls.authtoken"))]
