"""Baselines served on the same stack as every library: what a request costs before any authentication.

`baseline_drf` does the work of a current-user endpoint without its authentication: one DRF `APIView` that
loads one user by primary key and serializes the fields the libraries' current-user views return. Its
throughput is the ceiling `me` could reach if authenticating cost nothing, so `me / baseline_drf` is the
share of that ceiling a library keeps. `baseline_plain` is a bare Django view answering a tiny JSON: the
cost of gunicorn, WSGI and Django's middleware alone. Neither view authenticates; both only read.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class BaselineUserSerializer(serializers.ModelSerializer):
    """The fields every current-user endpoint in the comparison answers with."""

    class Meta:
        model = get_user_model()
        fields = ("pk", "username", "email", "first_name", "last_name")
        read_only_fields = fields


class BaselineUserView(APIView):
    """`me` without authentication: no authentication or permission classes, one user read by primary key."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    serializer_class = BaselineUserSerializer  # read by the OpenAPI schema only

    def get(self, request: Request, pk: int) -> Response:
        user = get_object_or_404(get_user_model(), pk=pk)
        return Response(BaselineUserSerializer(user).data)


def plain(request: HttpRequest) -> JsonResponse:
    """The smallest answer through the same middleware stack: no DRF, no database."""
    return JsonResponse({"status": "ok"})
