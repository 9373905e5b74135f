"""The one piece of glue: a current-user view, since allauth's headless API has no user-details endpoint.

Gap it fills: headless shows the user only inside its authentication answers (id, display, email,
username, has_usable_password) and has no way to read or change first_name and last_name. This DRF view
GETs and PATCHes them, authenticated by allauth's own DRF classes (`XSessionTokenAuthentication` or
`JWTTokenAuthentication`, chosen in settings), so it accepts exactly the credentials headless issues.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated


class UserSerializer(serializers.ModelSerializer):
    """dj-rest-auth's user shape. Username and email stay read-only: allauth owns their rules (case-insensitive
    uniqueness, verification), and headless manages addresses at account/email."""

    class Meta:
        model = get_user_model()
        fields = ("pk", "username", "email", "first_name", "last_name")
        read_only_fields = ("username", "email")


class UserView(generics.RetrieveUpdateAPIView):
    """GET/PATCH the credential owner's profile."""

    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> Any:
        return self.request.user
