"""allauth_restauth's JWT mode with two settings nothing reads, to prove the settings-reads record reports them.

`unread-jwt`: the 2021 tutorial's `REST_USE_JWT = True`, which dj-rest-auth 7.2 no longer reads (it reads
`REST_AUTH["USE_JWT"]`, set here already), and a misspelled `REST_AUTH["SESION_LOGIN"]`. Its manifest is
allauth_restauth's, copied at test time with this settings module (harness_tests/test_settings_reads.py).
"""

from __future__ import annotations

from backends.allauth_restauth.settings_jwt import *  # noqa: F403 -- the fake is the JWT mode plus two unread lines

REST_USE_JWT = True
REST_AUTH = {**REST_AUTH, "SESION_LOGIN": False}  # noqa: F405 -- from the star import
