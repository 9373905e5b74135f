"""Schema-driven fuzzing: schemathesis sends generated inputs to every contract operation; any 5xx is a finding.

Each variant runs on a fresh database (`run_server`, profile `test`); its OpenAPI schema drives schemathesis,
restricted to the operations its manifest binds, with the `not_a_server_error` check only. Passes differ by
credential: anonymous operations get none; authenticated ones a credential signed up beforehand (`-H`); those
that end their credential (logout, password change, account deletion) a brand-new account's for every input,
from this module acting as schemathesis's hooks. The NDJSON report becomes `<out>/<variant>.json` (default
`results/fuzz/`, `harness.results.PATHS.fuzz`).
Every OpenAPI document the variant serves is used (`Manifest.schema_documents`: drf-spectacular's, and a
library's own such as allauth headless's specification). A 5xx fails the run unless the manifest's
`[fuzz.server_errors]` table pins it to its endpoint with its cause; the suite replays each declaration's
recipe, so one that no longer happens fails there (shared_tests/test_declared_server_errors.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from harness.client import ContractClient, User
from harness.fuzz_tally import OTHER, server_exceptions, tally
from harness.manifest import (
    BACKENDS_DIR,
    REPO_ROOT,
    Manifest,
    ManifestError,
    Operation,
    add_variant_option,
    display_path,
    load,
    select_variants,
)
from harness.records import FuzzHeader, FuzzRecord
from harness.results import PATHS, Schema, header, per_variant, write_record

CASE = "fuzzing_finds_no_server_error"
FULL_EXAMPLES, QUICK_EXAMPLES = 1000, 25
# Calling these ends the credential used (or its account), which would turn every later input into a 401; ending
# sessions by id does whenever an input names the caller's own session (small ids are the fuzzer's favourites).
REVOKING = ("logout", "logout_all", "password_change", "delete_account", "sessions_end")
FRESH_ENV = "AUTHCMP_FUZZ_FRESH"  # set only in the schemathesis process of the fresh-credential pass
# JWT access tokens live 5 minutes by default; the shared pass's credential must outlive a full run.
SERVER_ENV = {"AUTHCMP_CREDENTIAL_TTL_SECONDS": str(24 * 3600)}
PASSES = {
    "anonymous": "no credential (the operation needs none)",
    "shared": "one credential signed up before the run, sent with -H",
    "fresh": "a fresh account's credential per input: the operation ends the credential it is called with",
}


def schema_operation(manifest: Manifest, name: str) -> Operation:
    """Operation `name` with the path its served document names it by (`schema_path`, e.g. djoser's templated
    /auth/o/{provider}/), which is what schemathesis generates inputs for."""
    op = manifest.operation(name)
    return dataclasses.replace(op, path=manifest.operation_key(name).split(" ", 1)[1])


def plan(manifest: Manifest) -> dict[str, list[Operation]]:
    """The variant's contract operations grouped by the pass (credential policy) that fuzzes them."""
    passes: dict[str, list[Operation]] = {name: [] for name in PASSES}
    for op in (schema_operation(manifest, name) for name in manifest.data.get("operations", {})):
        passes[("fresh" if op.name in REVOKING else "shared") if op.authenticated else "anonymous"].append(op)
    return {name: ops for name, ops in passes.items() if ops}


def command(
    base_url: str, document: str, ops: list[Operation], examples: int, report: Path, seed: int, workers: int
) -> list[str]:
    paths = "|".join(sorted({re.escape(op.path) for op in ops}))
    # The path regex selects the manifest's paths; the name regex pins each to the bound method, so e.g. PUT
    # on the current-user path, which no contract operation binds, is left alone.
    names = "|".join(re.escape(f"{op.method} {op.path}") for op in ops)
    return [
        # The config turns off schemathesis's cache (.schemathesis/), so no run replays or skips another's inputs.
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(report.parent / "schemathesis.toml"),
        "run", f"{base_url}{document}",
        "--url", base_url, "--checks", "not_a_server_error",
        "--include-path-regex", f"^({paths})$", "--include-name-regex", f"^({names})$",
        "--max-examples", str(examples), "--seed", str(seed), "--workers", str(workers),
        "--report", "ndjson", "--report-ndjson-path", str(report), "--continue-on-failure",
        # Neither mostly refused inputs (health checks) nor a 5xx (continue-on-failure) cut an operation short.
        "--suppress-health-check", "all", "--generation-database", "none", "--request-timeout", "30", "--no-color",
        # The harness supplies the credential; generated ones would mostly be a missing header, i.e. a 401.
        "--generation-with-security-parameters", "false",
    ]  # fmt: skip


def _described(base_url: str, document: str) -> set[str]:
    """ "METHOD /path" of every operation one served OpenAPI document describes."""
    paths = requests.get(base_url + document, headers={"Accept": "application/json"}, timeout=30).json()["paths"]
    return {f"{method.upper()} {path}" for path, item in paths.items() for method in item}


def database_kind(database_url: str | None) -> str:
    """What a declaration's `databases` names the run's database by: "postgres" or "sqlite" (the default)."""
    return "postgres" if (database_url or "").startswith(("postgres://", "postgresql://")) else "sqlite"


def declared_server_errors(manifest: Manifest, database_url: str | None = None) -> dict[str, dict[str, Any]]:
    """ "METHOD /path" -> {cause, upstream, reproduce}: the 5xx a variant is known to answer, each pinned. One that
    lists `databases` (a fault of one database's driver) counts only on those; one that lists `modes` (a fault only
    a setting of those modes reaches) only in those."""
    kind = database_kind(database_url)
    declared = manifest.data.get("fuzz", {}).get("server_errors", {})
    mode = manifest.mode
    return {endpoint: entry for endpoint, entry in declared.items()
            if kind in entry.get("databases", [kind]) and mode in entry.get("modes", [mode])}  # fmt: skip


def fuzz_header(args: argparse.Namespace, examples: int, meta: dict[str, Any]) -> FuzzHeader:
    from harness.server import redact

    return {
        **header(Schema.FUZZ), "schemathesis": meta.get("schemathesis"), "max_examples": examples,
        "seed": meta.get("seed", args.seed), "database": redact(args.database_url or "sqlite"), "profile": "test",
    }  # fmt: skip


def fuzz_variant(manifest: Manifest, args: argparse.Namespace, examples: int) -> FuzzRecord:
    from harness.posture import FAIL, PASS
    from harness.server import run_server

    started = time.monotonic()
    operations: dict[str, dict[str, Any]] = {}
    unfuzzed: list[str] = []
    meta: dict[str, Any] = {}
    with (
        run_server(manifest, database_url=args.database_url, extra_env=SERVER_ENV) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        (Path(tmp) / "schemathesis.toml").write_text("[cache]\nenabled = false\n")
        with ContractClient(manifest, server.base_url) as client:
            auth_name, template = manifest.auth_header
            credential = template.format_map(client.sign_up(User.new("fuzz")).credentials)
        described = {document: _described(server.base_url, document) for document in manifest.schema_documents}
        for name, planned in plan(manifest).items():
            for document, keys in described.items():
                # Each operation is fuzzed from the first document that describes it; one that none describes
                # has nothing to generate inputs from and is listed as not fuzzed rather than silently dropped.
                ops = [op for op in planned if f"{op.method} {op.path}" in keys]
                planned = [op for op in planned if op not in ops]
                if not ops:
                    continue
                report = Path(tmp) / f"{name}-{len(operations)}.ndjson"
                argv = command(server.base_url, document, ops, examples, report, args.seed, args.workers)
                env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
                if name == "shared":
                    argv += ["-H", f"{auth_name}: {credential}"]
                elif name == "fresh":
                    fresh = [manifest.variant, str(args.backends_dir), server.base_url, str(server.mail_dir)]
                    env |= {"SCHEMATHESIS_HOOKS": "harness.fuzz", FRESH_ENV: json.dumps(fresh)}
                print(f"  {name} pass ({document}): {', '.join(op.name for op in ops)} …", end=" ", flush=True)
                pass_started = time.monotonic()
                done = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
                print(f"{time.monotonic() - pass_started:.0f} s", flush=True)
                if done.returncode not in (0, 1) or not report.exists():
                    raise RuntimeError(f"schemathesis exited {done.returncode}:\n{(done.stdout + done.stderr)[-3000:]}")
                found, meta = tally(report, ops, name)
                operations |= found
            unfuzzed += [op.name for op in planned]
        exceptions = {path: dict(found) for path, found in server_exceptions(server.log_path).items()}
    declared = declared_server_errors(manifest, args.database_url)
    # A declared 5xx is a fact the suite's replay confirms (test_declared_server_errors.py) whether or not this
    # run's inputs met it, so the variant's finding is a fail either way; only an undeclared one fails the run.
    met = sum(e["server_errors"] + e["no_response"] for e in operations.values())
    finding = FAIL if met or declared else PASS
    expected = FAIL if declared else PASS
    reason = "; ".join(f"{endpoint}: {entry['cause']} ({entry.get('upstream', 'no upstream report')})"
                       for endpoint, entry in declared.items())  # fmt: skip
    endpoints = sorted(declared)
    return {
        "header": fuzz_header(args, examples, meta),
        "variant": manifest.variant,
        "library": manifest.library,
        "manifest": display_path(manifest.path),
        "health": server.health,
        "elapsed_seconds": round(time.monotonic() - started, 1),
        "posture": {"id": CASE, "finding": finding, "expected": expected, "reason": reason, "endpoints": endpoints},
        "not_in_schema": unfuzzed,
        "credential_passes": PASSES,
        "operations": operations,
        "server_exceptions": exceptions,
    }


def summary(results: dict[str, FuzzRecord]) -> str:
    head = "| variant | operation | endpoint | credential | inputs | 5xx | no answer |"
    rows = [head, "|---|---|---|---|--:|--:|--:|"]
    for variant, result in results.items():
        entries = [(name, e) for name, e in result.get("operations", {}).items() if not name.startswith(OTHER)]
        if others := [e for name, e in result.get("operations", {}).items() if name.startswith(OTHER)]:
            sums = {key: sum(e[key] for e in others) for key in ("inputs", "server_errors", "no_response")}
            entries.append((OTHER, {"method": "*", "path": "(the paths above)", "credential": "as above", **sums}))
        for name, entry in entries:
            rows.append(
                f"| {variant} | {name} | {entry['method']} {entry['path']} | {entry['credential']} | {entry['inputs']} "
                f"| {entry['server_errors']} | {entry['no_response']} |"
            )
        if "error" in result:
            rows.append(f"| {variant} | (run failed) | {result['error'].splitlines()[0][:80]} | | | | |")
    note = "inputs: requests sent in all phases; an operation without body or parameters has few distinct inputs"
    return "\n".join([*rows, "", note])


def verdict(result: FuzzRecord) -> str | None:
    """Why this variant fails the run, or None."""
    if "error" in result:
        return f"{result['variant']}: the fuzz run failed: {result['error'][:300]}"
    posture, ops = result["posture"], result["operations"].values()
    # Declared 5xx are pinned to endpoints: one anywhere else fails, however many are declared.
    where = sorted({failing for e in ops for failing in e["failing"]} - set(posture.get("endpoints") or []))
    where += [f"{e['method']} {e['path']} ({e['no_response']}× no answer)" for e in ops if e["no_response"]]
    return f"{result['variant']}: undeclared server errors: {'; '.join(where)}" if where else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.fuzz", description=__doc__.split("\n\n")[0])
    add_variant_option(parser, "fuzz")
    parser.add_argument("--max-examples", type=int, help=f"inputs per operation (default {FULL_EXAMPLES})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EXAMPLES} inputs per operation")
    parser.add_argument(
        "--out", type=Path, default=PATHS.fuzz, help=f"where <variant>.json goes (default {display_path(PATHS.fuzz)})"
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="sqlite:// or postgres://")
    parser.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4)), help="schemathesis seed")
    parser.add_argument("--workers", type=int, default=1, help="schemathesis workers (default 1: a shared machine)")
    parser.add_argument("--backends-dir", type=Path, default=BACKENDS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    examples = args.max_examples or (QUICK_EXAMPLES if args.quick else FULL_EXAMPLES)
    try:
        selected = select_variants(args.variants, args.backends_dir)
    except ManifestError as exc:
        parser.error(str(exc))
    results: dict[str, FuzzRecord] = {}
    for manifest in selected:
        variant = manifest.variant
        print(f"{variant}: fuzzing with {examples} inputs per operation (seed {args.seed})", flush=True)
        try:
            result = fuzz_variant(manifest, args, examples)
        except Exception as exc:  # one variant that cannot run must not hide the others' results
            result = {"header": fuzz_header(args, examples, {}), "variant": variant,
                      "error": f"{type(exc).__name__}: {exc}"}  # fmt: skip
        results[variant] = result
        path = write_record(per_variant(args.out, variant), result)
        posture = result.get("posture", {})
        declared = " (declared in the manifest)" if posture.get("expected") == "fail" else ""
        print(f"{variant}: {posture.get('finding', 'error')}{declared} -> {path}")
    print(summary(results))
    failures = [reason for result in results.values() if (reason := verdict(result))]
    for reason in failures:
        print(f"FAIL {reason}", file=sys.stderr)
    return 1 if failures else 0


def _register_fresh_credentials(variant: str, backends_dir: str, base_url: str, mail_dir: str) -> None:
    """Schemathesis hooks (the fresh pass imports this module): each input gets a brand-new account's credential,
    and the cookies the operation's manifest binding names, so a revoking operation never starves the rest. The
    server's mail folder comes along: a variant whose sign-up is confirmed by mail reads the link there."""
    import schemathesis

    manifest = load(variant, Path(backends_dir))
    bound = (schema_operation(manifest, name) for name in manifest.data["operations"])
    ops = {(op.method, op.path): op for op in bound}
    header, template = manifest.auth_header

    @schemathesis.auth(refresh_interval=None)  # no caching: get() runs for every input
    class FreshCredential:
        def get(self, case: Any, context: Any) -> dict[str, str]:
            with ContractClient(manifest, base_url, mail_dir=Path(mail_dir)) as client:
                return client.sign_up(User.new("fz")).credentials

        def set(self, case: Any, data: dict[str, str], context: Any) -> None:
            case.headers = {**(case.headers or {}), header: template.format_map(data)}
            op = ops.get((case.method.upper(), case.operation.path))
            if op and op.cookies:
                case.cookies = {**(case.cookies or {}), **{k: v.format_map(data) for k, v in op.cookies.items()}}


if os.environ.get(FRESH_ENV) and __name__ != "__main__":
    _register_fresh_credentials(*json.loads(os.environ[FRESH_ENV]))

if __name__ == "__main__":
    sys.exit(main())
