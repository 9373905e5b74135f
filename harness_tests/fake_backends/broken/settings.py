"""Deliberately broken variants of djoser's token project, to prove the suite fails what is broken.

`broken-logout_noop`: logout answers 204 and revokes nothing, while the manifest claims revocation.
`broken-no_logout_url`: the logout URL is gone. The self-tests in
`harness_tests/test_suite_catches_breakage.py` check that the contract suite fails both, and how.
`broken-server_error`: login answers 500 to non-ASCII input; `harness_tests/test_fuzz.py` checks that the
fuzz harness reports it.
"""

from __future__ import annotations

import os

from backends.djoser.settings import *  # noqa: F403 -- the fake is djoser plus a broken logout

ROOT_URLCONF = f"harness_tests.fake_backends.broken.urls_{os.environ['AUTHCMP_VARIANT'].split('-', 1)[1]}"
