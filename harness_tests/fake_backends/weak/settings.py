"""Deliberately weakened variants of knox's token project, to prove the posture battery fails what they break.

`weak-early_return`: login answers an unknown user at once, without hashing (a timing oracle).
`weak-double_hash`: a failed login checks the password a second time (each guess costs two hashes).
`weak-prefixed`: tokens carry a prefix (knox's TOKEN_PREFIX) the manifest does not declare.
The self-tests in harness_tests/test_failure_cost_can_fail.py check that the suite fails each, and how.
"""

from __future__ import annotations

import os

from backends.knox.settings import *  # noqa: F403 -- the fake is knox plus one weakness

WEAKNESS = os.environ["AUTHCMP_VARIANT"].split("-", 1)[1]
ROOT_URLCONF = "harness_tests.fake_backends.weak.urls"
if WEAKNESS == "prefixed":
    REST_KNOX = {**REST_KNOX, "TOKEN_PREFIX": "weak_"}  # noqa: F405 -- from knox's settings
