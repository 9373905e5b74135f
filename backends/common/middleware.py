"""Query accounting for the test profile: every answer says how many SQL statements it ran, how many wrote, and
how many rows its reads returned.

The capability matrix reads `X-Authcmp-Queries: total=N writes=M` to state the database cost a library adds
to an authenticated request; the cost curves' work probe (benchmarks/work.py) also reads `rows=R`, the rows its
reads returned (not the rows the database scanned), which tells a library that walks an account's credentials from
one that runs more statements. `rows` is there only when the driver reported a count for every read (psycopg does
for its ordinary cursors; sqlite3, a server-side cursor such as a queryset's `.iterator()` on PostgreSQL, and an
executemany report none, and then the header has no `rows`). It is installed only outside production, outermost,
so it counts everything the request caused, session and authentication included.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
HEADER = "X-Authcmp-Queries"
# A file to append each answer's statements to (JSON lines): set by `python -m benchmarks.queries --statements`.
STATEMENTS_LOG = os.environ.get("AUTHCMP_STATEMENTS_LOG")


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counts = {"total": 0, "writes": 0}
        rows: list[int] = []  # per read, the driver's rowcount (-1 where it keeps none)

        seen: list[str] = []

        def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            statement = sql.lstrip().upper()
            if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "PRAGMA")):
                counts["total"] += 1
                counts["writes"] += statement.startswith(WRITE_VERBS)
                if STATEMENTS_LOG:  # kept only when asked for: the suite's requests need the counts alone
                    seen.append(sql)
            result = execute(sql, params, many, context)
            # A read returns rows and writes none: a result set, whatever its first word (Django's compound queries
            # start with "("); an executemany leaves no per-statement count, so it withholds the figure.
            if not statement.startswith(WRITE_VERBS) and (many or context["cursor"].description is not None):
                rows.append(-1 if many else context["cursor"].rowcount)
            return result

        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        read = f" rows={sum(rows)}" if all(count >= 0 for count in rows) else ""
        response[HEADER] = f"total={counts['total']} writes={counts['writes']}{read}"
        if STATEMENTS_LOG:  # the statements themselves, to name a cost's cause (benchmarks/queries.py --statements)
            with open(STATEMENTS_LOG, "a") as log:
                log.write(json.dumps({"method": request.method, "path": request.path, "statements": seen}) + "\n")
        return response
