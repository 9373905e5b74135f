"""What a schemathesis run found, read from its NDJSON report and from the server's log (`harness.fuzz` runs it).

Per operation: inputs sent, answers by status, 5xx, inputs with no answer, and the first failing examples;
per request path: the exception each 'Internal Server Error' traceback in the server log ended with.
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from harness.manifest import Operation

OTHER = "(other methods)"  # requests to a fuzzed path with a method no contract operation binds there
EXAMPLES_KEPT = 3  # failing examples recorded per operation; the count says how many there were


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
