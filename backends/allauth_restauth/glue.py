"""Glue of the hardened modes, part 1: what Django loads with the app registry (see `serializers` for part 2).

- `LockoutAnswer` (an app in INSTALLED_APPS): django-axes locks an account out inside Django's `authenticate()` and
  answers by a flag on the request that its middleware turns into a 429. dj-rest-auth authenticates with DRF's
  Request, so the flag lands on the wrapper, the middleware never sees it, and a lockout would look like a wrong
  password (400). axes' documented DRF integration is a `user_locked_out` receiver raising a DRF exception; this
  one raises `Throttled` (429, "Too many failed login attempts"), so a lockout says what it is.
- `USERNAME_VALIDATORS` (ACCOUNT_USERNAME_VALIDATORS takes the dotted path of a list): Django's ASCII validator in
  place of the model's Unicode one, so no mixed-script look-alike or fullwidth twin of a taken name registers.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.validators import ASCIIUsernameValidator

USERNAME_VALIDATORS = [ASCIIUsernameValidator()]
LOCKED_OUT = "Too many failed login attempts. Try again later."


def _answer_lockout(sender: Any, request: Any = None, **kwargs: Any) -> None:
    from rest_framework.exceptions import Throttled
    from rest_framework.request import Request

    # Only a DRF view turns the exception into an answer; any other caller keeps axes' own handling.
    if isinstance(request, Request):
        raise Throttled(detail=LOCKED_OUT)


class LockoutAnswer(AppConfig):
    name = "backends.allauth_restauth"
    label = "allauth_restauth_lockout"
    verbose_name = "axes lockouts answered 429 through DRF"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        user_locked_out.connect(_answer_lockout, dispatch_uid="allauth_restauth_lockout_answer")
