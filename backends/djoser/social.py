"""Glue for djoser's social login in token mode: the credential `djoser.social` hands out.

djoser.social ships one token strategy, `djoser.social.token.jwt.TokenStrategy` (simplejwt's access and refresh
pair, which JWT mode uses as it is). Token mode authenticates DRF's authtoken, which that pair would not, so this
strategy answers the user's token as djoser's own token login does (`djoser.utils.login_user`: get_or_create on
TOKEN_MODEL), under the `access` key the social view's serializer declares.
"""

from __future__ import annotations

from typing import Any


class TokenStrategy:
    @classmethod
    def obtain(cls, user: Any) -> dict[str, Any]:
        from djoser.conf import settings

        token, _ = settings.TOKEN_MODEL.objects.get_or_create(user=user)
        return {"access": token.key, "user": user}
