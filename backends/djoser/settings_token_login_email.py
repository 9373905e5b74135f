"""djoser-token_login_email: token mode with DJOSER['LOGIN_FIELD'] = 'email'. Observation only, never deploy.

The ⚙ of login_by_email names LOGIN_FIELD. Flipped alone it breaks sign-up with Django's User model (POST
/auth/users/ answers 500: the create serializer takes its fields from LOGIN_FIELD and USER_ID_FIELD, drops
username, and create_user() raises TypeError; sunscrapers/djoser#486), so this mode also names username as
USER_ID_FIELD, the one way to keep it in sign-up, and installs djoser's LoginFieldBackend, which its docs require
for LOGIN_FIELD to reach authenticate(). Unsafe with this User model: email is not unique, and a second account
with the same address makes that address's login answer 500 (LoginFieldBackend calls .get()).
"""

from __future__ import annotations

from backends.djoser.settings import *  # noqa: F403 -- token mode, one setting flipped (and what it needs)

DJOSER = {**DJOSER, "LOGIN_FIELD": "email", "USER_ID_FIELD": "username"}
AUTHENTICATION_BACKENDS = ["djoser.auth_backends.LoginFieldBackend"]
