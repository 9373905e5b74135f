"""Glue of the hardened modes, part 2: the password reset request, limited per address.

allauth limits reset requests per address (ACCOUNT_RATE_LIMITS['reset_password']: 5 a minute, and 20 a minute per
client address) in its own view, which dj-rest-auth does not use: dj-rest-auth's serializer mails a link on every
request, so anyone can fill a mailbox. This serializer (REST_AUTH['PASSWORD_RESET_SERIALIZER']) charges allauth's
limit before mailing, for known and unknown addresses alike, and answers 429 past it.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from dj_rest_auth.serializers import PasswordResetSerializer
from rest_framework.exceptions import Throttled


class ThrottledPasswordResetSerializer(PasswordResetSerializer):
    def save(self) -> None:
        email = get_adapter().clean_email(self.validated_data["email"]).lower()
        if not ratelimit.consume(self.context["request"], action="reset_password", key=email):
            raise Throttled(detail="Too many password reset requests for this address. Try again later.")
        super().save()
