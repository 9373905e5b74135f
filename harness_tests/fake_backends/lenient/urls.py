"""knox's URLs with the current-user view swapped for one whose serializer writes privilege fields."""

from __future__ import annotations

from django.urls import include, path

from backends.knox.serializers import UserSerializer
from backends.knox.views import UserView


class StaffWritableSerializer(UserSerializer):
    class Meta(UserSerializer.Meta):
        fields = (*UserSerializer.Meta.fields, "is_staff", "is_superuser", "is_active")
        read_only_fields = ()


class LenientUserView(UserView):
    serializer_class = StaffWritableSerializer


urlpatterns = [
    path("api/auth/user/", LenientUserView.as_view()),
    path("", include("backends.knox.urls")),
]
