"""The settings delta both hardened modes share, star-imported by `settings_session_hardened` and
`settings_jwt_hardened` after the mode they harden; not a settings module by itself.

Every value is a django-allauth setting (or the Django setting allauth's own keys and backend read) turned to
its safer side. Lines that need the mode's settings (the Redis cache, the no-store middleware, lifetimes that
respect the suite's AUTHCMP_CREDENTIAL_TTL_SECONDS knob) live in each hardened settings module.
"""

from __future__ import annotations

import os

from django.contrib.auth.validators import ASCIIUsernameValidator

# allauth's backend alone: it subclasses Django's ModelBackend (permissions, admin login by username still work),
# but listing ModelBackend too, as allauth's installation guide does, makes every failed login hash twice (once
# per backend) and a successful one once: a cost and timing gap between failure and success.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]

# Login by email too: not a hardening, but the ⚙ of login_by_email, harmless (email is unique and required,
# and allauth's backend hashes once whichever identifier matches).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_UNIQUE_EMAIL = True  # the default, stated: a second account with a taken address is refused
# True (the default) hides a taken address where it can; "strict" would let a taken address sign up again
# unless verification is mandatory (allauth/account/internal/flows/manage_email.py), so True is the safer side.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True  # the default, stated: a reset request for an unknown address mails too
# No login until the address is confirmed: sign-up and login answer 401 with a pending verify_email flow until the
# key of the mailed link (HEADLESS_FRONTEND_URLS['account_confirm_email'], the frontend's page) is POSTed to
# auth/email/verify. An account then owns its address, the one reset links are mailed to.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# allauth's default, restated over settings.py's lift: no second factor for an account with an unverified address, so
# a stranger who signed up with someone's address cannot lock its owner out (every address is verified here anyway).
MFA_ALLOW_UNVERIFIED_EMAIL = False

# A password change ends the session it was made in too (Django's session hash already ends the others): the
# answer is the unauthenticated state, 401, and the device logs in again with the new password.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# Adding, removing or changing an e-mail address (headless account/email) needs a recent re-authentication.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Mails the owner when a password is changed, set or reset, or an address is added, removed or made primary.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# USERSESSIONS_TRACK_ACTIVITY stays off: it adds the last-seen time and IP to the session list (the list and
# ending sessions by id work without it), detection rather than prevention, at three statements and a write per
# authenticated request.

# ASCII usernames only (Django's ASCIIUsernameValidator in place of the model's Unicode one): no mixed-script
# look-alike or fullwidth twin of a taken name can register. The setting takes the dotted path of a list.
USERNAME_VALIDATORS = [ASCIIUsernameValidator()]
ACCOUNT_USERNAME_VALIDATORS = "backends.allauth_headless.settings_hardening.USERNAME_VALIDATORS"

# Reset links (allauth's keys come from Django's token generator) live an hour instead of three days; the
# posture suite's own lifetime (AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS, read by the shared base) wins.
if not os.environ.get("AUTHCMP_PASSWORD_RESET_TIMEOUT_SECONDS"):
    PASSWORD_RESET_TIMEOUT = 60 * 60

# A session (session mode's token; JWT mode's refresh family) lives 12 hours, NIST SP 800-63B's AAL2
# re-authentication bound, instead of Django's two weeks.
SESSION_LIFETIME_SECONDS = 12 * 60 * 60
