"""The one piece of djoser glue: its current-user serializer, plugged in through `DJOSER["SERIALIZERS"]`.

Gap it fills: djoser's default `UserSerializer` shows only the user's id, username and email; the contract's
profile also carries first_name and last_name, readable and writable as in the other libraries.
"""

from __future__ import annotations

from djoser.serializers import UserSerializer


class ProfileSerializer(UserSerializer):
    class Meta(UserSerializer.Meta):
        fields = (*UserSerializer.Meta.fields, "first_name", "last_name")
