"""The harness's control endpoints: register a variant's client, create a user at the provider.

Both need the run's bearer (`AUTHCMP_OIDC_CONTROL_TOKEN`, made by `harness/oidc.py`). They stand where an
administrator's console would: the provider's clients and accounts are set up by its owner, not over OAuth.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable

from allauth.account.models import EmailAddress
from allauth.idp.oidc.models import Client
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from providers.oidc.faults import FAULTS

View = Callable[[HttpRequest], HttpResponse]


def _controlled(view: View) -> View:
    @csrf_exempt
    @require_POST
    def wrapped(request: HttpRequest) -> HttpResponse:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
        expected = settings.AUTHCMP_OIDC_CONTROL_TOKEN
        if not expected or not hmac.compare_digest(sent, expected):
            return JsonResponse({"detail": "control token required"}, status=403)
        return view(request)

    return wrapped


@_controlled
def register_client(request: HttpRequest) -> HttpResponse:
    """Create or update a confidential client: {id, secret, redirect_uris, fault (optional, see FAULTS)}."""
    data = json.loads(request.body)
    fault = data.get("fault")
    if fault is not None and fault not in FAULTS:
        return JsonResponse({"detail": f"fault must be one of {FAULTS}"}, status=400)
    client = Client.objects.filter(id=data["id"]).first() or Client(id=data["id"], name=data["id"])
    client.type = Client.Type.CONFIDENTIAL
    client.set_secret(data["secret"])
    client.set_redirect_uris(data["redirect_uris"])
    client.set_scopes(["openid", "profile", "email"])
    client.set_default_scopes(["openid", "profile", "email"])
    client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE])
    client.set_response_types(["code"])
    client.skip_consent = True  # the user's consent screen is not what the variants are compared on
    client.data = {"authcmp_fault": fault}
    client.save()
    return JsonResponse({"id": client.id})


@_controlled
def create_user(request: HttpRequest) -> HttpResponse:
    """Create an account at the provider: {username, email, email_verified, password}."""
    data = json.loads(request.body)
    user = get_user_model().objects.create_user(data["username"], data["email"], data["password"])
    EmailAddress.objects.create(user=user, email=data["email"], verified=bool(data["email_verified"]), primary=True)
    return JsonResponse({"sub": str(user.pk)})
