"""A deliberately lenient variant of knox's project, to prove the profile posture cases can fail.

`lenient-token`: the current-user view's serializer lets a client write `is_staff`, `is_superuser`,
`is_active` and `email`, the mass-assignment mistake the cases look for. Its manifest is knox's, copied at
test time with this settings module (harness_tests/test_accounts_can_fail.py), so the two never drift apart.
"""

from __future__ import annotations

from backends.knox.settings import *  # noqa: F403 -- the fake is knox plus a lenient user view

ROOT_URLCONF = "harness_tests.fake_backends.lenient.urls"
