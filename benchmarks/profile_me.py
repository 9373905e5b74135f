"""Where an authenticated read's time goes: `python -m benchmarks.profile_me [--variants V ...] [--requests N]`.

The load benchmarks say how much of the no-authentication ceiling (`baseline_drf`) a library keeps on `me`;
this says where the rest goes. For each variant it builds the benchmark's server settings (the bench profile,
a fresh SQLite file, seeded accounts), logs one account in with the manifest's `login`, then sends the
manifest's `me` request and the `baseline_drf` request in-process through Django's whole request handler
(every middleware, the same views; no HTTP, no gunicorn): first timed without a profiler, then under cProfile.
Own time is grouped by package (Django's sub-packages, DRF, the library, SQLite's and hashing's C calls, the
standard library, this project's glue), and the table shows per request what `me` spends beyond
`baseline_drf` in each group. The figures are in-process and single-threaded: they explain the load
benchmark's ratio, they do not replace it. Output: a table, and `results/profile/summary.json`.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.scenarios import ACCOUNT_PASSWORD, ACCOUNT_PREFIX
from harness.client import Received, build_request, captured, locate
from harness.manifest import REPO_ROOT, discover, load
from harness.server import manage, server_env

SCHEMA = "authcmp.profile/1"
SEEDED = 20
ROUNDS = 5  # unprofiled rounds; the median round is kept
LOGINS = 100  # logins of the profiled account before its SQL statements are counted again
TARGET = 0.85  # the target for `me` against `baseline_drf` under load


def group_of(filename: str, function: str) -> str:
    """The package a profiled function belongs to, at the grain that tells libraries and Django's parts apart."""
    if filename == "~" or filename.startswith("<"):
        if "sqlite3" in function:
            return "sqlite3 (C)"
        if any(word in function for word in ("hashlib", "hmac", "openssl", "compare_digest", "_blake2")):
            return "hashing (C)"
        return "builtins (C)"
    path = filename.replace("\\", "/")
    if "/site-packages/" in path:
        parts = path.split("/site-packages/", 1)[1].removesuffix(".py").split("/")
        if parts[0] == "django" and len(parts) > 2:
            return ".".join(parts[:3] if parts[1] == "contrib" else parts[:2])
        return parts[0]
    if path.startswith(str(REPO_ROOT)):
        return "project: " + "/".join(Path(path).relative_to(REPO_ROOT).parts[:2])
    return "stdlib: " + Path(path).stem


def timed_rounds(call: Callable[[], None], requests: int) -> list[float]:
    """µs per request of `ROUNDS` unprofiled rounds of `requests` calls each."""
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(requests):
            call()
        rounds.append((time.perf_counter() - started) / requests * 1e6)
    return rounds


def _inner(variant: str, requests: int) -> dict[str, Any]:
    """Runs inside the variant's settings (DJANGO_SETTINGS_MODULE set by the parent)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    manifest = load(variant)
    client = Client(headers={"host": "127.0.0.1"})
    username = f"{ACCOUNT_PREFIX}000001"
    account = {"username": username, "email": f"{username}@example.com", "password": ACCOUNT_PASSWORD}

    def send(name: str, values: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        request = build_request(manifest, name, values)
        headers = {k: v for k, v in request.headers_with_cookies().items() if k != "Content-Type"}
        content_type = request.headers.get("Content-Type", "application/octet-stream")
        response = client.generic(
            request.method, request.path, request.body or b"", content_type=content_type, headers=headers
        )
        cookies = {key: morsel.value for key, morsel in response.cookies.items()}
        client.cookies.clear()  # only what the manifest declares is sent, as in the load generator
        return response.status_code, response.content.decode(), cookies

    sql: dict[str, dict[str, int]] = {}

    def counted(label: str, name: str, values: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        """`send`, counting its SQL statements (writes: anything but SELECT) under `label`."""
        connection.queries_log.clear()  # a bounded deque (9,000): once full, a capture's slice would be empty
        with CaptureQueriesContext(connection) as queries:
            answered = send(name, values)
        statements = [query["sql"].lstrip().upper() for query in queries.captured_queries]
        sql[label] = {"total": len(statements), "writes": sum(not s.startswith("SELECT") for s in statements)}
        return answered

    def log_in(label: str) -> dict[str, str]:
        status, text, cookies = counted(label, "login", account)
        if status not in manifest.operation("login").status:
            raise SystemExit(f"{variant}: login answered {status}: {text[:300]}")
        return {**account, **captured(manifest.operation("login"), Received(text, cookies))}

    def check_me(label: str, values: dict[str, str]) -> None:
        status, text, _ = counted(label, "me", values)
        if status != 200 or locate(Received(text), manifest.user_fields["username"]) != username:
            raise SystemExit(f"{variant}: me answered {status}: {text[:300]}")

    values = log_in("login_first")
    pk = get_user_model().objects.get(username=username).pk
    check_me("me", values)

    def me_sender(values: dict[str, str]) -> Callable[[], None]:
        """`me` with these credentials, built once; the loop only checks the status, as `baseline` does, so the
        client-side work (the test client, no manifest lookups or JSON parsing) is the same on both sides."""
        request = build_request(manifest, "me", values)
        headers = {k: v for k, v in request.headers_with_cookies().items() if k != "Content-Type"}

        def me() -> None:
            response = client.generic(request.method, request.path, headers=headers)
            client.cookies.clear()
            if response.status_code != 200:
                raise SystemExit(f"{variant}: me answered {response.status_code}")

        return me

    def baseline() -> None:
        response = client.get(f"/baseline/drf/{pk}/", headers={"Accept": "application/json"})
        client.cookies.clear()
        if response.status_code != 200:
            raise SystemExit(f"{variant}: baseline_drf answered {response.status_code}")

    result: dict[str, Any] = {"requests": requests}
    for name, call in (("me", me_sender(values)), ("baseline_drf", baseline)):
        for _ in range(min(requests, 200)):
            call()  # warm caches, connections and lazy imports
        rounds = timed_rounds(call, requests)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            call()
        profiler.disable()
        groups: dict[str, float] = defaultdict(float)
        functions: dict[str, float] = {}
        authentication = None
        for (filename, line, function), row in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
            own, group = row[2] / requests * 1e6, group_of(filename, function)
            groups[group] += own
            functions[f"{group}: {function} ({Path(filename).name}:{line})"] = own
            if function == "_authenticate" and filename.replace("\\", "/").endswith("rest_framework/request.py"):
                authentication = row[3] / requests * 1e6  # DRF's loop over the view's authentication classes
        result[name] = {
            "us_per_request": statistics.median(rounds),
            "rounds_us": rounds,
            "profiled_us_per_request": sum(groups.values()),
            "drf_authentication_profiled_us": authentication,
            "groups_us": dict(sorted(groups.items(), key=lambda item: -item[1])),
            "top_functions_us": dict(sorted(functions.items(), key=lambda item: -item[1])[:25]),
        }
    # What a login costs once the account holds many credentials: a library that walks them per login pays.
    for _ in range(LOGINS - 1):
        values = log_in(f"login_{LOGINS}")
    check_me(f"me_after_{LOGINS}", values)
    result["sql"] = sql
    # `me` again, unprofiled, now that the account holds what 100 logins left (a library may walk it per request).
    result[f"me_after_{LOGINS}_us_per_request"] = statistics.median(timed_rounds(me_sender(values), requests))
    return result


def profile_variant(variant: str, requests: int) -> dict[str, Any]:
    manifest = load(variant)
    with tempfile.TemporaryDirectory(prefix=f"authcmp-profile-{variant}-") as workdir:
        env = server_env(manifest, f"sqlite:///{workdir}/db.sqlite3", "bench", Path(workdir) / "mail")
        manage(env, "migrate", "--noinput")
        manage(env, "seed_users", "--count", str(SEEDED), "--prefix", ACCOUNT_PREFIX, "--password", ACCOUNT_PASSWORD)
        command = [sys.executable, "-m", "benchmarks.profile_me", "--inner", variant, "--requests", str(requests)]
        done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"status": f"error: {(done.stderr or done.stdout).strip()[-1500:]}"}
    return {"status": "profiled", **json.loads(done.stdout.strip().splitlines()[-1])}


def scaled(figures: dict[str, Any]) -> float:
    """Profiled µs to unprofiled µs: cProfile slows every call, so shares are kept and totals rescaled."""
    return figures["us_per_request"] / figures["profiled_us_per_request"]


def extra_by_group(entry: dict[str, Any]) -> list[tuple[str, float]]:
    """(group, µs `me` spends there beyond `baseline_drf`) per request, rescaled, largest first."""
    me, base = entry["me"], entry["baseline_drf"]
    groups = {*me["groups_us"], *base["groups_us"]}
    extra = {g: me["groups_us"].get(g, 0.0) * scaled(me) - base["groups_us"].get(g, 0.0) * scaled(base) for g in groups}
    return sorted(extra.items(), key=lambda item: (-item[1], item[0]))


def render(summary: dict[str, Any], top: int = 6) -> list[str]:
    """Markdown: per variant the unprofiled cost of both requests, then where `me`'s extra time goes."""
    lines = [
        "| variant | `me` µs | `baseline_drf` µs | rate ratio | DRF authentication step µs | where `me` spends more "
        "than `baseline_drf` (µs per request, largest first) |",
        "|---|---|---|---|---|---|",
    ]
    for variant, entry in summary["variants"].items():
        if entry["status"] != "profiled":
            lines.append(f"| `{variant}` | – | – | – | – | {entry['status'][:200]} |")
            continue
        me, base = entry["me"]["us_per_request"], entry["baseline_drf"]["us_per_request"]
        auth = entry["me"]["drf_authentication_profiled_us"]
        auth_text = f"{auth * scaled(entry['me']):,.0f}" if auth is not None else "not a DRF view"
        extra = [f"{group} +{diff:,.0f}" for group, diff in extra_by_group(entry)[:top] if diff >= 1]
        lines.append(f"| `{variant}` | {me:,.0f} | {base:,.0f} | {base / me:.2f} | {auth_text} | {'; '.join(extra)} |")
    return lines


def render_sql(summary: dict[str, Any]) -> list[str]:
    """SQL statements (writes in brackets) of the account's first login and `me`, and again after 100 logins."""

    def cell(figures: dict[str, int] | None) -> str:
        return f"{figures['total']} ({figures['writes']})" if figures else "–"

    lines = [
        f"| variant | 1st login | {LOGINS}th login | `me` after the 1st | `me` after the {LOGINS}th "
        f"| `me` µs after the 1st → {LOGINS}th |",
        "|---|---|---|---|---|---|",
    ]
    for variant, entry in summary["variants"].items():
        sql = entry.get("sql", {})
        cells = [sql.get(k) for k in ("login_first", f"login_{LOGINS}", "me", f"me_after_{LOGINS}")]
        before, after = (entry.get("me") or {}).get("us_per_request"), entry.get(f"me_after_{LOGINS}_us_per_request")
        timing = f"{before:,.0f} → {after:,.0f}" if before and after else "–"
        lines.append(f"| `{variant}` | " + " | ".join(map(cell, cells)) + f" | {timing} |")
    return lines


def render_notes(variants: list[str]) -> list[str]:
    """The causes each manifest's `[bench_notes]` declares from its library's source, for the profiled variants."""
    known = discover()
    notes = [f"- `{v}` {figure}: {text}" for v in variants if v in known
             for figure, text in known[v].data.get("bench_notes", {}).items()]  # fmt: skip
    if not notes:
        return []
    return ["Causes read in the libraries' source, declared in each manifest's `[bench_notes]`:", "", *notes, ""]


def render_section(summary: dict[str, Any], bench: dict[str, Any] | None = None) -> list[str]:
    """The report's subsection; names the variants whose `me` kept less than 0.85 of `baseline_drf` under load."""
    below = []
    for variant, entry in (bench or {}).get("variants", {}).items():
        ratio = entry.get("scenarios", {}).get("me", {}).get("ratio", {}).get("value")
        if ratio is not None and ratio < TARGET:
            below.append(f"`{variant}` ({ratio:.2f})")
    target = (f"Under load, `me` kept less than {TARGET}× of `baseline_drf` for {', '.join(below)}."
              if below else f"Under load, every measured variant's `me` kept at least {TARGET}× of `baseline_drf`."
              if bench else "")  # fmt: skip
    return [
        "### Where `me` time goes",
        "",
        f"{target} The profile below (`python -m benchmarks.profile_me`, Python {summary['python']}, "
        f"{summary['requests']:,} requests per round, median of {summary['rounds']} unprofiled rounds, then one "
        "round under cProfile) sends each variant's `me` and the `baseline_drf` request in-process through "
        "Django's whole handler on the bench profile and SQLite: no HTTP, no gunicorn, one thread, so its "
        "ratio is not the load figure's. *DRF authentication step* is the cumulative time of DRF's "
        "`Request._authenticate` (the view's authentication classes). The last column is own time per package "
        "that `me` spends beyond `baseline_drf`, rescaled from profiled to unprofiled time.",
        "",
        *render(summary),
        "",
        f"SQL statements per request in the same process (writes in brackets), for one account's first login and "
        f"`me`, and again once the account has logged in {LOGINS} times: a library that keeps a row per login "
        "and walks those rows pays for it on every login, or on every authenticated request (the last column: "
        "`me`'s unprofiled µs before and after; the statement count stays the same when one query returns "
        "every row).",
        "",
        *render_sql(summary),
        "",
        *render_notes(list(summary["variants"])),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_me", description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="+", default=[], help="variants to profile (default: all)")
    parser.add_argument("--requests", type=int, default=1000, help="requests per round and per profile")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "results" / "profile", help="results folder")
    parser.add_argument("--inner", help=argparse.SUPPRESS)  # the child process that runs in the variant's settings
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(_inner(args.inner, args.requests)))
        return 0
    known = discover()
    names = [v for item in args.variants for v in item.split(",") if v] or list(known)
    unknown = [name for name in names if name not in known]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(known)}")
    summary: dict[str, Any] = {"schema": SCHEMA, "requests": args.requests, "rounds": ROUNDS,
                               "python": sys.version.split()[0], "variants": {}}  # fmt: skip
    for number, variant in enumerate(names, 1):
        print(f"[{number}/{len(names)}] {variant}: {args.requests:,} requests × ({ROUNDS} timed + 1 profiled)")
        summary["variants"][variant] = profile_variant(variant, args.requests)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print("\n".join([*render(summary), "", *render_sql(summary)]))
    print(f"\nsummary: {args.out / 'summary.json'}")
    return 0 if all(entry["status"] == "profiled" for entry in summary["variants"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
