"""Schema-driven fuzzing: schemathesis sends generated inputs to every contract operation; any 5xx is a finding.

Each variant runs on a fresh database (`run_server`, profile `test`); its OpenAPI schema drives schemathesis,
restricted to the operations its manifest binds, with the `not_a_server_error` check only. Passes differ by
credential: anonymous operations get none; authenticated ones a credential signed up beforehand (`-H`); those
that end their credential (logout, password change, account deletion) a brand-new account's for every input,
from this module acting as schemathesis's hooks. The NDJSON report becomes `results/fuzz/<variant>.json`.
A 5xx fails the run unless the manifest's `[posture]` table declares `fuzzing_finds_no_server_error` with a
reason, optionally limited to `endpoints = ["METHOD /path/"]` so that a new 5xx elsewhere still fails.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests

from harness.client import ContractClient, User
from harness.manifest import BACKENDS_DIR, REPO_ROOT, Manifest, Operation, discover, display_path, load

SCHEMA = "authcmp.fuzz/1"
CASE = "fuzzing_finds_no_server_error"
FULL_EXAMPLES, QUICK_EXAMPLES = 1000, 25
OTHER = "(other methods)"  # requests to a fuzzed path with a method no contract operation binds there
EXAMPLES_KEPT = 3  # failing examples recorded per operation; the count says how many there were
# Calling these ends the credential used (or its account), which would turn every later input into a 401.
REVOKING = ("logout", "logout_all", "password_change", "delete_account")
FRESH_ENV = "AUTHCMP_FUZZ_FRESH"  # set only in the schemathesis process of the fresh-credential pass
# JWT access tokens live 5 minutes by default; the shared pass's credential must outlive a full run.
SERVER_ENV = {"AUTHCMP_CREDENTIAL_TTL_SECONDS": str(24 * 3600)}
PASSES = {
    "anonymous": "no credential (the operation needs none)",
    "shared": "one credential signed up before the run, sent with -H",
    "fresh": "a fresh account's credential per input: the operation ends the credential it is called with",
}


def plan(manifest: Manifest) -> dict[str, list[Operation]]:
    """The variant's contract operations grouped by the pass (credential policy) that fuzzes them."""
    passes: dict[str, list[Operation]] = {name: [] for name in PASSES}
    for op in map(manifest.operation, manifest.data.get("operations", {})):
        passes[("fresh" if op.name in REVOKING else "shared") if op.authenticated else "anonymous"].append(op)
    return {name: ops for name, ops in passes.items() if ops}


def command(base_url: str, ops: list[Operation], examples: int, report: Path, seed: int, workers: int) -> list[str]:
    paths = "|".join(sorted({re.escape(op.path) for op in ops}))
    # The path regex selects the manifest's paths; the name regex pins each to the bound method, so e.g. PUT
    # on the current-user path, which no contract operation binds, is left alone.
    names = "|".join(re.escape(f"{op.method} {op.path}") for op in ops)
    return [
        # The config turns off schemathesis's cache (.schemathesis/), so no run replays or skips another's inputs.
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(report.parent / "schemathesis.toml"),
        "run", f"{base_url}/api/schema/?format=json",
        "--url", base_url, "--checks", "not_a_server_error",
        "--include-path-regex", f"^({paths})$", "--include-name-regex", f"^({names})$",
        "--max-examples", str(examples), "--seed", str(seed), "--workers", str(workers),
        "--report", "ndjson", "--report-ndjson-path", str(report), "--continue-on-failure",
        # Neither mostly refused inputs (health checks) nor a 5xx (continue-on-failure) cut an operation short.
        "--suppress-health-check", "all", "--generation-database", "none", "--request-timeout", "30", "--no-color",
        # The harness supplies the credential; generated ones would mostly be a missing header, i.e. a 401.
        "--generation-with-security-parameters", "false",
    ]  # fmt: skip


def tally(report: Path, ops: list[Operation], credential: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Per operation: inputs sent, answers by status, 5xx, inputs with no answer, first failing examples."""
    by_key, paths = {(op.method, op.path): op for op in ops}, {op.path for op in ops}
    found = {op.name: _blank(op.method, op.path, credential) for op in ops}
    meta: dict[str, Any] = {}
    seen: set[str] = set()
    for line in report.read_text().splitlines():
        ((kind, data),) = json.loads(line).items()
        if kind == "Initialize":
            meta = {"schemathesis": data.get("schemathesis_version"), "seed": data.get("seed")}
        elif kind == "NonFatalError":
            label = data.get("label", "")
            for entry in found.values():
                if label == f"{entry['method']} {entry['path']}":
                    entry["errors"].append(str(data.get("info", {}).get("message", data))[:500])
        elif kind in ("ScenarioFinished", "FuzzScenarioFinished") and data.get("phase") != "auth_bootstrap":
            recorder = data.get("recorder", {})
            interactions = recorder.get("interactions", {})
            for case_id, case in recorder.get("cases", {}).items():
                value = case["value"]
                op = by_key.get((value["method"].upper(), value["path"]))
                if case_id in seen or (op is None and value["path"] not in paths):
                    continue
                seen.add(case_id)
                # The coverage phase also probes methods no operation binds (405s); a 5xx there counts too.
                other = f"{OTHER} {value['path']} ({credential})"
                entry = found[op.name] if op else found.setdefault(other, _blank("*", value["path"], credential))
                response = (interactions.get(case_id) or {}).get("response")
                entry["inputs"] += 1
                if response is None:
                    entry["no_response"] += 1
                    continue
                entry["statuses"][str(response["status_code"])] += 1
                if response["status_code"] >= 500:
                    entry["server_errors"] += 1
                    entry["failing"].add(f"{value['method'].upper()} {value['path']}")
                    if len(entry["examples"]) < EXAMPLES_KEPT:
                        entry["examples"].append(_example(interactions[case_id], response))
    for entry in found.values():
        entry["statuses"], entry["failing"] = dict(sorted(entry["statuses"].items())), sorted(entry["failing"])
    return found, meta


def _blank(method: str, path: str, credential: str) -> dict[str, Any]:
    return {"method": method, "path": path, "credential": credential, "inputs": 0, "server_errors": 0, "no_response": 0,
            "statuses": Counter(), "failing": set(), "examples": [], "errors": []}  # fmt: skip


def _text(payload: dict[str, str] | None, limit: int) -> str:
    raw = base64.b64decode(payload["$base64"]) if payload and "$base64" in payload else b""
    text = raw.decode("utf-8", errors="backslashreplace")
    return text if len(text) <= limit else text[:limit] + "…"


def _example(interaction: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    request = interaction["request"]
    return {
        "method": request["method"],
        "url": re.sub(r"^https?://[^/]+", "", request["uri"]),
        "content_type": (request.get("headers", {}).get("Content-Type") or [""])[0],
        "body": _text(request.get("body"), 300),
        "status": response["status_code"],
        "answer": _text(response.get("content"), 200),
    }


def server_exceptions(log: Path | None) -> dict[str, Counter[str]]:
    """Request path -> the final exception line of each 'Internal Server Error' traceback in the server log."""
    found: dict[str, Counter[str]] = {}
    path, last, marker = None, None, "Internal Server Error: "
    for line in [*(log.read_text(errors="replace").splitlines() if log and log.exists() else []), "<end>"]:
        if line.startswith((marker, "127.0.0.1 ", "[", "<end>")) and path is not None:  # the next log record
            found.setdefault(path, Counter())[(last or "unknown")[:300]] += 1
            path = last = None
        if line.startswith(marker):
            path = line.removeprefix(marker).split("?")[0]
        elif path and line[:1].strip() and not line.startswith(("Traceback", "The above", "During")):
            last = line  # a traceback's last unindented line names the exception that escaped
    return found


def fuzz_variant(manifest: Manifest, args: argparse.Namespace, examples: int) -> dict[str, Any]:
    from harness.posture import FAIL, PASS, expectation
    from harness.results import header
    from harness.server import redact, run_server

    started, operations, unfuzzed = time.monotonic(), {}, []
    meta: dict[str, Any] = {}
    with (
        run_server(manifest, database_url=args.database_url, extra_env=SERVER_ENV) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        (Path(tmp) / "schemathesis.toml").write_text("[cache]\nenabled = false\n")
        with ContractClient(manifest, server.base_url) as client:
            auth_name, template = manifest.auth_header
            credential = template.format_map(client.sign_up(User.new("fuzz")).credentials)
        described = requests.get(f"{server.base_url}/api/schema/?format=json", timeout=30).json().get("paths", {})
        for name, planned in plan(manifest).items():
            # An operation the variant's schema does not describe (e.g. allauth headless's own, non-DRF views)
            # has nothing to generate inputs from: it is listed as not fuzzed rather than silently dropped.
            ops = [op for op in planned if op.method.lower() in described.get(op.path, {})]
            unfuzzed += [op.name for op in planned if op not in ops]
            if not ops:
                continue
            report = Path(tmp) / f"{name}.ndjson"
            argv = command(server.base_url, ops, examples, report, args.seed, args.workers)
            env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
            if name == "shared":
                argv += ["-H", f"{auth_name}: {credential}"]
            elif name == "fresh":
                fresh = [manifest.variant, str(args.backends_dir), server.base_url]
                env |= {"SCHEMATHESIS_HOOKS": "harness.fuzz", FRESH_ENV: json.dumps(fresh)}
            print(f"  {name} pass: {', '.join(op.name for op in ops)} …", end=" ", flush=True)
            pass_started = time.monotonic()
            done = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
            print(f"{time.monotonic() - pass_started:.0f} s", flush=True)
            if done.returncode not in (0, 1) or not report.exists():
                raise RuntimeError(f"schemathesis exited {done.returncode}:\n{(done.stdout + done.stderr)[-3000:]}")
            found, meta = tally(report, ops, name)
            operations |= found
        exceptions = {path: dict(found) for path, found in server_exceptions(server.log_path).items()}
    finding = FAIL if sum(e["server_errors"] + e["no_response"] for e in operations.values()) else PASS
    expected, reason = expectation(manifest, CASE)
    endpoints = manifest.data.get("posture", {}).get(CASE, {}).get("endpoints", [])
    head = {"schemathesis": meta.get("schemathesis"), "max_examples": examples, "seed": meta.get("seed", args.seed)}
    return {
        "header": header(SCHEMA, **head, database=redact(args.database_url or "sqlite"), profile="test"),
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


def summary(results: dict[str, dict[str, Any]]) -> str:
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


def verdict(result: dict[str, Any]) -> str | None:
    """Why this variant fails the run, or None."""
    if "error" in result:
        return f"{result['variant']}: the fuzz run failed: {result['error'][:300]}"
    posture, ops = result["posture"], result["operations"].values()
    if posture["expected"] == "fail" and not posture.get("endpoints"):
        return None  # declared for the whole variant
    where = sorted({failing for e in ops for failing in e["failing"]} - set(posture.get("endpoints") or []))
    where += [f"{e['method']} {e['path']} ({e['no_response']}× no answer)" for e in ops if e["no_response"]]
    return f"{result['variant']}: undeclared server errors: {'; '.join(where)}" if where else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--variants", nargs="+", help="variants to fuzz (default: every discovered variant)")
    parser.add_argument("--max-examples", type=int, help=f"inputs per operation (default {FULL_EXAMPLES})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EXAMPLES} inputs per operation")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "results" / "fuzz", help="where <variant>.json goes")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="sqlite:// or postgres://")
    parser.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4)), help="schemathesis seed")
    parser.add_argument("--workers", type=int, default=1, help="schemathesis workers (default 1: a shared machine)")
    parser.add_argument("--backends-dir", type=Path, default=BACKENDS_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    examples = args.max_examples or (QUICK_EXAMPLES if args.quick else FULL_EXAMPLES)
    known = discover(args.backends_dir)
    unknown = sorted(set(args.variants or []) - set(known))
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(known)}")
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    for variant in args.variants or list(known):
        print(f"{variant}: fuzzing with {examples} inputs per operation (seed {args.seed})", flush=True)
        try:
            result = fuzz_variant(known[variant], args, examples)
        except Exception as exc:  # one variant that cannot run must not hide the others' results
            result = {"variant": variant, "error": f"{type(exc).__name__}: {exc}"}
        results[variant] = result
        (args.out / f"{variant}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        posture = result.get("posture", {})
        declared = " (declared in the manifest)" if posture.get("expected") == "fail" else ""
        print(f"{variant}: {posture.get('finding', 'error')}{declared} -> {args.out / f'{variant}.json'}")
    print(summary(results))
    failures = [reason for result in results.values() if (reason := verdict(result))]
    for reason in failures:
        print(f"FAIL {reason}", file=sys.stderr)
    return 1 if failures else 0


def _register_fresh_credentials(variant: str, backends_dir: str, base_url: str) -> None:
    """Schemathesis hooks (the fresh pass imports this module): each input gets a brand-new account's credential,
    and the cookies the operation's manifest binding names, so a revoking operation never starves the rest."""
    import schemathesis

    manifest = load(variant, Path(backends_dir))
    ops = {(op.method, op.path): op for op in map(manifest.operation, manifest.data["operations"])}
    header, template = manifest.auth_header

    @schemathesis.auth(refresh_interval=None)  # no caching: get() runs for every input
    class FreshCredential:
        def get(self, case: Any, context: Any) -> dict[str, str]:
            with ContractClient(manifest, base_url) as client:
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
