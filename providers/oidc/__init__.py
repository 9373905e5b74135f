"""A real OpenID Connect provider (django-allauth's `allauth.idp.oidc`) the harness serves on loopback.

The variants' social login talks to it as it would to Google: discovery, JWKS, the authorization-code flow
(with PKCE where the client sends it) behind an HTML login form, the token and userinfo endpoints. Started once
per harness process by `harness/oidc.py`; never part of a variant.
"""
