"""SQL statements per request of each operation, read from a short probe on the `test` profile.

The `test` profile's middleware answers every request with `X-Authcmp-Queries: total=N writes=M`. The
benchmark servers run the `bench` and `production` profiles, which do not count (counting costs time), so
the runner starts one more small server per variant and performs each operation once through the contract
client. The counts explain throughput differences: a library that writes on every request pays for it.

`python -m benchmarks.queries --variant NAME [...]` runs the probe alone and prints each operation's statements
themselves (the middleware appends them to AUTHCMP_STATEMENTS_LOG): how a hardened mode's `[cost]` cause is read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import requests

from harness.client import ContractClient, Reply, User, locate
from harness.manifest import Manifest, add_variant_option, select_variants
from harness.server import run_server

HEADER = "X-Authcmp-Queries"  # set by backends.common.middleware.QueryCountMiddleware


def parse(value: str | None) -> dict[str, int] | None:
    """ "total=3 writes=1" -> {"total": 3, "writes": 1}; None when the answer carried no count."""
    if not value:
        return None
    pairs = (part.split("=", 1) for part in value.split())
    return {key: int(number) for key, number in pairs}


def _entry(status: int, headers: Mapping[str, str], expected: tuple[int, ...]) -> dict[str, Any]:
    return {"status": status, "ok": status in expected, **(parse(headers.get(HEADER)) or {})}


def count_queries(manifest: Manifest, database_url: str | None) -> dict[str, Any]:
    """Each operation once, by a fresh user: {"register": {"status", "ok", "total", "writes"}, ...}."""
    counts: dict[str, Any] = {}
    with (
        run_server(manifest, database_url=database_url, profile="test", workers=1) as server,
        ContractClient(manifest, server.base_url) as client,
    ):
        user = User.new("probe")

        def note(name: str, context: dict[str, Any] | None = None) -> Reply:
            reply = client.send(name, context)
            counts[name] = _entry(reply.status, reply.headers, manifest.operation(name).status)
            return reply

        note("register", vars(user))
        client.confirm_signup(user)  # where verification is mandatory (hardened modes): by the mailed link
        client.credentials.clear()  # measure login on its own, whatever registration returned
        note("login", vars(user))
        me = note("me")
        note("update_me", {"first_name": "Probe"})
        if manifest.has_operation("refresh"):
            note("refresh")
        note("logout")
        pk = locate(me, manifest.user_fields["id"]) if "id" in manifest.user_fields else None
        # The baselines are no contract operations: plain requests, read the same way.
        for name, path in (("baseline_drf", f"/baseline/drf/{pk or 1}/"), ("baseline_plain", "/baseline/plain/")):
            answer = requests.get(server.base_url + path, timeout=30)
            counts[name] = _entry(answer.status_code, answer.headers, (200,))
    return counts


def statements(manifest: Manifest, database_url: str | None) -> list[dict[str, Any]]:
    """The probe once, with every answer's statements: [{"method", "path", "statements": [sql, ...]}, ...]."""
    with tempfile.TemporaryDirectory(prefix="authcmp-statements-") as folder:
        log = Path(folder) / "statements.jsonl"
        os.environ["AUTHCMP_STATEMENTS_LOG"] = str(log)  # the server started below inherits it
        try:
            count_queries(manifest, database_url)
        finally:
            os.environ.pop("AUTHCMP_STATEMENTS_LOG", None)
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.queries", description=__doc__.splitlines()[0])
    add_variant_option(parser, "probe")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="default: SQLite")
    args = parser.parse_args(argv)
    for manifest in select_variants(args.variants):
        print(f"== {manifest.variant}")
        for answer in statements(manifest, args.database_url):
            print(f"{answer['method']} {answer['path']}: {len(answer['statements'])} statements")
            for sql in answer["statements"]:
                print(f"    {' '.join(sql.split())[:220]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
