"""Amend a run with figures measured again later: `python -m benchmarks.amend BASE PATCH --reason TEXT`.

A full run takes over an hour. When some of its figures turn out to measure the wrong thing (a rate limit
answering 429 instead of a login), only those are measured again, with `benchmarks.run --variant …
--scenarios … --out <elsewhere>`. This writes the later run's measured figures for the (variant, scenario)
pairs it has into the earlier run's `summary.json`, keeps each replaced figure under the variant's
`superseded` with the reason, takes the later run's hash timing for those variants, recomputes their ratios,
and records the amendment (run id, command, commit, time, reason) in the header; the report prints both
(`report/bench.py`).
BASE and PATCH are run folders or their `summary.json`; BASE's first version is kept as `summary.original.json`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from benchmarks.run import add_ratios
from harness.results import Schema, read_record, summary_in, write_record


def _summary_path(path: Path) -> Path:
    return summary_in(path) if path.is_dir() else path


def amend(base: dict[str, Any], patch: dict[str, Any], reason: str) -> dict[str, Any]:
    """`base` with `patch`'s measured figures in place of its own; the replaced ones kept under `superseded`."""
    run_id = patch["header"]["run_id"]
    replaced: dict[str, list[str]] = {}
    for variant, entry in patch["variants"].items():
        target = base["variants"].get(variant)
        if target is None:
            raise ValueError(f"{variant} is not in the run being amended; it has {', '.join(base['variants'])}")
        for name, result in entry["scenarios"].items():
            if result.get("status") != "measured":
                continue
            if name in target["scenarios"]:
                old = {**target["scenarios"][name], "reason": reason, "replaced_by_run": run_id}
                target.setdefault("superseded", {})[name] = old
            target["scenarios"][name] = {**result, "run_id": run_id}
            replaced.setdefault(variant, []).append(name)
        if entry.get("hash_limit") and variant in replaced:
            target["hash_limit"] = entry["hash_limit"]  # the ratios must use the timing next to the new runs
        add_ratios(target, base.get("hash_limit"))
    if not replaced:
        raise ValueError(f"run {run_id} measured nothing that could replace a figure")
    head = patch["header"]
    note = {"run_id": run_id, "generated": head["generated"], "git_commit": head["git_commit"],
            "command": head.get("command"), "ip_rate_limits": head.get("ip_rate_limits"), "replaced": replaced,
            "reason": reason}  # fmt: skip
    base["header"].setdefault("amendments", []).append(note)
    return base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.amend", description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path, help="the run to amend (folder or summary.json)")
    parser.add_argument("patch", type=Path, help="the run whose measured figures replace the base's")
    parser.add_argument("--reason", required=True, help="why the figures were measured again (shown in the report)")
    args = parser.parse_args(argv)
    base_path, patch_path = _summary_path(args.base), _summary_path(args.patch)
    original = base_path.with_name("summary.original.json")
    if not original.exists():
        shutil.copyfile(base_path, original)
    try:
        summary = amend(read_record(base_path, Schema.BENCH), read_record(patch_path, Schema.BENCH), args.reason)
    except ValueError as exc:
        sys.exit(f"not amended: {exc}")
    write_record(base_path, summary)
    print(f"amended {base_path}: {summary['header']['amendments'][-1]['replaced']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
