"""The serializers behind the hand-written views: the user's public shape and the registration input.

`UserSerializer` is also knox's `REST_KNOX["USER_SERIALIZER"]`, so login, registration and the
current-user view all show the user alike, in dj-rest-auth's `UserDetailsSerializer` shape. `TokenAnswerSerializer`
only documents knox's login answer in the OpenAPI schema (knox builds that answer as a plain dict).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import serializers

User = get_user_model()


class UserSerializer(serializers.ModelSerializer):
    """pk, username, email, first_name, last_name; email is read-only as in dj-rest-auth."""

    class Meta:
        model = User
        fields = ("pk", "username", "email", "first_name", "last_name")
        read_only_fields = ("email",)


class RegisterSerializer(serializers.ModelSerializer):
    """Username, email and password; the model's unique validator gives a field error on `username`."""

    class Meta:
        model = User
        fields = ("username", "email", "password")
        extra_kwargs = {
            # The User model's email is optional (blank=True); the contract requires it.
            "email": {"required": True, "allow_blank": False},
            "password": {"write_only": True, "trim_whitespace": False},
        }

    def validate_username(self, value: str) -> str:
        # create_user() NFKC-normalizes the username after the model's unique check ran on the raw value, so
        # a fullwidth twin of a taken name would pass validation and then fail in the database (a 500).
        normalized = User.normalize_username(value)
        if User.objects.filter(username=normalized).exists():
            raise serializers.ValidationError("A user with that username already exists.")
        return normalized

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Validated against an unsaved user so UserAttributeSimilarityValidator can compare the attributes;
        # re-raised as a field error so the refusal names `password`, not non_field_errors.
        candidate = User(**{key: value for key, value in attrs.items() if key != "password"})
        try:
            validate_password(attrs["password"], candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Any:
        # Two sign-ups of one name can both pass the uniqueness check; the database decides, and the loser
        # gets the same field error instead of a 500.
        try:
            with transaction.atomic():
                return User.objects.create_user(**validated_data)
        except IntegrityError as error:
            raise serializers.ValidationError({"username": ["A user with that username already exists."]}) from error


class TokenAnswerSerializer(serializers.Serializer):
    """Schema only: the answer of knox's `LoginView.get_post_response_data` with the user serializer above."""

    expiry = serializers.DateTimeField(allow_null=True)
    token = serializers.CharField()
    user = UserSerializer()
