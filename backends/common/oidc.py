"""Where the OpenID Connect provider of the social logins is: read by each backend's settings.

`harness/oidc.py` starts a real provider on loopback and registers a client per variant; the variables below
reach the server through `harness.services.provide`. Unset (a `serve` without the harness's provider), they
point at a port nothing listens on, and a social login answers the library's error for an unreachable provider.
"""

from __future__ import annotations

import os

URL = os.environ.get("AUTHCMP_OIDC_URL", "http://127.0.0.1:9")
CLIENT_ID = os.environ.get("AUTHCMP_OIDC_CLIENT_ID", "authcmp-unregistered")
CLIENT_SECRET = os.environ.get("AUTHCMP_OIDC_CLIENT_SECRET", "")
# The frontend's route the provider redirects to with the code and state (the frontend then calls the API).
REDIRECT_URI = os.environ.get("AUTHCMP_OIDC_REDIRECT_URI", "http://localhost/authcmp/oidc/callback")

# allauth's generic OpenID Connect provider, configured in settings (no SocialApp row): provider id "authcmp".
ALLAUTH_PROVIDERS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "authcmp",
                "name": "authcmp loopback OpenID Connect provider",
                "client_id": CLIENT_ID,
                "secret": CLIENT_SECRET,
                "settings": {"server_url": URL},
            }
        ]
    }
}
