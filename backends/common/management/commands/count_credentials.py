"""`count_credentials`: live rows of each server-side credential table, in total and for one account.

The benchmarks record how many credentials a variant holds before and after a run (knox keeps one row per
login, simplejwt's blacklist one per refresh token, sessions one per login…). Which tables those are, and
what makes a row live, is backend knowledge, so each settings module declares it in
`AUTHCMP_CREDENTIAL_TABLES`: a dict from model label to the `filter()` arguments of a live row, where the
string "now" stands for the time of counting (settings cannot hold a time that is still current when the
command runs). The command prints one JSON line:
{"knox.AuthToken": {"live": 2000, "account": 100, "stored": 2100}, ...}; "account" is null for a table without
a user column (Django's sessions) or when no --account is given; "stored" counts every row, live or not (what
a pruning command such as simplejwt's `flushexpiredtokens` or Django's `clearsessions` may remove).
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model, QuerySet
from django.utils import timezone

NOW = "now"  # the declared filter value that means timezone.now()


def live_rows(label: str, live: dict[str, Any], now: Any) -> QuerySet[Model]:
    """The rows of `label` that the declaration calls live."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        # A declared table that is not installed is a wrong declaration, not an empty table: say so.
        raise CommandError(f"AUTHCMP_CREDENTIAL_TABLES names {label!r}, which is not installed: {exc}") from exc
    return model._default_manager.filter(**{key: now if value == NOW else value for key, value in live.items()})


class Command(BaseCommand):
    help = "Print one JSON line: live rows of each table in AUTHCMP_CREDENTIAL_TABLES, in total and for --account."
    # The checks belong to the server that shares these settings; a read-only count need not repeat them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", help='username whose rows are counted apart ("account"; null if unset)')

    def handle(self, *args: Any, account: str | None, **options: Any) -> None:
        now = timezone.now()
        user_field = f"user__{get_user_model().USERNAME_FIELD}"
        counts: dict[str, dict[str, int | None]] = {}
        for label, live in settings.AUTHCMP_CREDENTIAL_TABLES.items():
            rows = live_rows(label, live, now)
            has_user = any(field.name == "user" for field in rows.model._meta.get_fields())
            mine = rows.filter(**{user_field: account}).count() if has_user and account is not None else None
            counts[label] = {"live": rows.count(), "account": mine, "stored": rows.model._default_manager.count()}
        self.stdout.write(json.dumps(counts))
