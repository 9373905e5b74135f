"""`seed_users`: bulk-create predictably named accounts sharing one known password, for the benchmarks.

Scenarios that need a logged-in user each take a distinct seeded account (bench000001, bench000002, …),
so no scenario hammers one row. The shared password is hashed ONCE with the profile's hasher and the
same encoded value is stored for every account: hashing per user would make 100,000 accounts take hours
under the production hasher, and a benchmark database never holds real users. The command is idempotent:
it creates only the accounts that are missing and prints one JSON line saying what exists.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

DEFAULT_PREFIX = "bench"
DEFAULT_PASSWORD = "Bench-only-Passw0rd!"  # benchmark databases only; never a real account's password


def seeded_name(prefix: str, number: int) -> str:
    return f"{prefix}{number:06d}"


def _verify_addresses(prefix: str) -> None:
    """With allauth installed, give each seeded account a verified primary address: a mode whose verification is
    mandatory refuses a login until the address is confirmed, and a seeded account stands for a confirmed one."""
    if not apps.is_installed("allauth.account"):
        return
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    bare = user_model.objects.filter(username__startswith=prefix, emailaddress__isnull=True).values_list("pk", "email")
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=pk, email=email, verified=True, primary=True) for pk, email in bare.iterator()],
        batch_size=2000,
    )


class Command(BaseCommand):
    help = "Create N benchmark users named <prefix>000001… with one shared password (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1000, help="accounts wanted in total (default 1000)")
        parser.add_argument("--prefix", default=DEFAULT_PREFIX, help=f"username prefix (default {DEFAULT_PREFIX})")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="the password every account shares")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per INSERT (default 2000)")

    def handle(self, *args: Any, count: int, prefix: str, password: str, batch_size: int, **options: Any) -> None:
        user_model = get_user_model()
        wanted = [seeded_name(prefix, number) for number in range(1, count + 1)]
        # A prefix filter, not `username__in`: SQLite caps the parameters one statement may bind.
        existing = set(user_model.objects.filter(username__startswith=prefix).values_list("username", flat=True))
        missing = [name for name in wanted if name not in existing]
        encoded = make_password(password) if missing else ""  # the one expensive call, whatever the count
        with transaction.atomic():
            for start in range(0, len(missing), batch_size):
                user_model.objects.bulk_create(
                    [
                        user_model(username=name, email=f"{name}@example.com", password=encoded)
                        for name in missing[start : start + batch_size]
                    ],
                    batch_size=batch_size,
                )
            _verify_addresses(prefix)
        by_name = dict(user_model.objects.filter(username__in=wanted[:1] + wanted[-1:]).values_list("username", "pk"))
        self.stdout.write(
            json.dumps(
                {
                    "prefix": prefix,
                    "count": count,
                    "created": len(missing),
                    "first_pk": by_name.get(wanted[0]) if wanted else None,
                    "last_pk": by_name.get(wanted[-1]) if wanted else None,
                    "hasher": get_hasher().algorithm,
                }
            )
        )
