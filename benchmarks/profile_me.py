"""Where an authenticated read's time goes: `python -m benchmarks.profile_me [--variant V ...] [--requests N]`.

The load benchmarks say how much of the no-authentication ceiling (`baseline_drf`) a library keeps on `me`;
this says where the rest goes. For each variant it builds the benchmark's server settings (the bench profile,
a fresh SQLite file, seeded accounts), logs one account in with the manifest's `login`, then sends the
manifest's `me` request and the `baseline_drf` request in-process through Django's whole request handler
(every middleware, the same views; no HTTP, no gunicorn): first timed without a profiler, then under cProfile.
Own time is grouped by package (Django's sub-packages, DRF, the library, SQLite's and hashing's C calls, the
standard library, this project's glue), and the table shows per request what `me` spends beyond
`baseline_drf` in each group. The figures are in-process and single-threaded: they explain the load
benchmark's ratio, they do not replace it. Output: a table, and `results/profile/summary.json`
(`harness.results.PATHS.profile_summary`), which the report package renders (`report/profile.py`).
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
from harness.manifest import REPO_ROOT, ManifestError, add_variant_option, display_path, load, select_variants
from harness.records import ProfileSummary
from harness.results import PATHS, Schema, header, summary_in, write_record
from harness.server import manage, server_env

SEEDED = 20
ROUNDS = 5  # unprofiled rounds; the median round is kept
LOGINS = 100  # logins of the profiled account before its SQL statements are counted again


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
    if manifest.data.get("environment"):
        # The profiler runs Django in this process's interpreter; a variant pinned to another (the 2021 tutorial's
        # Python 3.9 stack) would be profiled on the wrong releases. Said, not guessed.
        python = manifest.data["environment"].get("python", "?")
        return {"status": f"not profiled: served from an environment of its own (Python {python}, its own pins)"}
    with tempfile.TemporaryDirectory(prefix=f"authcmp-profile-{variant}-") as workdir:
        env = server_env(manifest, f"sqlite:///{workdir}/db.sqlite3", "bench", Path(workdir) / "mail")
        manage(env, "migrate", "--noinput")
        manage(env, "seed_users", "--count", str(SEEDED), "--prefix", ACCOUNT_PREFIX, "--password", ACCOUNT_PASSWORD)
        command = [sys.executable, "-m", "benchmarks.profile_me", "--inner", variant, "--requests", str(requests)]
        done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"status": f"error: {(done.stderr or done.stdout).strip()[-1500:]}"}
    return {"status": "profiled", **json.loads(done.stdout.strip().splitlines()[-1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_me", description=__doc__.split("\n\n")[0])
    add_variant_option(parser, "profile")
    parser.add_argument("--requests", type=int, default=1000, help="requests per round and per profile")
    parser.add_argument(
        "--out", type=Path, default=PATHS.profile, help=f"results folder (default {display_path(PATHS.profile)})"
    )
    parser.add_argument("--inner", help=argparse.SUPPRESS)  # the child process that runs in the variant's settings
    args = parser.parse_args(argv)
    if args.inner:
        print(json.dumps(_inner(args.inner, args.requests)))
        return 0
    try:
        names = [manifest.variant for manifest in select_variants(args.variants)]
    except ManifestError as exc:
        parser.error(str(exc))
    summary: ProfileSummary = {
        "header": {**header(Schema.PROFILE), "requests": args.requests, "rounds": ROUNDS, "logins": LOGINS},
        "variants": {},
    }
    for number, variant in enumerate(names, 1):
        print(f"[{number}/{len(names)}] {variant}: {args.requests:,} requests × ({ROUNDS} timed + 1 profiled)")
        summary["variants"][variant] = profile_variant(variant, args.requests)
    path = write_record(summary_in(args.out), summary)
    for variant, entry in summary["variants"].items():  # the tables are the report's (python -m report)
        if entry["status"] == "profiled":
            me, base = entry["me"]["us_per_request"], entry["baseline_drf"]["us_per_request"]
            print(f"{variant}: me {me:,.0f} µs, baseline_drf {base:,.0f} µs per request in process")
        else:
            print(f"{variant}: {entry['status'][:300]}")
    print(f"\nsummary: {path}")
    return (
        0
        if all(entry["status"].startswith(("profiled", "not profiled")) for entry in summary["variants"].values())
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
