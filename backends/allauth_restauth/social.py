"""Social login through dj-rest-auth's `SocialLoginView` over allauth's generic OpenID Connect provider.

The view is dj-rest-auth's, configured as its documentation shows (an adapter, a client, the callback URL the
frontend's code was issued for). Glue: `AuthcmpAdapter`. dj-rest-auth builds its adapter as
`adapter_class(request)`, but allauth's generic OpenID Connect adapter also takes the provider id (one app
per id, `OpenIDConnectOAuth2Adapter(request, provider_id)`), so the class binds the one configured here.
"""

from __future__ import annotations

from allauth.socialaccount.providers.oauth2.client import OAuth2Client
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from dj_rest_auth.registration.views import SocialLoginView
from django.http import HttpRequest

from backends.common import oidc

PROVIDER_ID = "authcmp"  # the app's provider_id in backends/common/oidc.py


class AuthcmpAdapter(OpenIDConnectOAuth2Adapter):
    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, PROVIDER_ID)


class OIDCLoginView(SocialLoginView):
    adapter_class = AuthcmpAdapter
    client_class = OAuth2Client
    callback_url = oidc.REDIRECT_URI
