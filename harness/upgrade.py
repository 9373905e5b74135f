"""What an upgrade changes, cell by cell: one variant's contract record against another's (issue #17 item 4).

`python -m harness.upgrade --from RECORD:VARIANT --to RECORD:VARIANT [--out PATH]` reads two contract records
(`results/contract.json`, a `results/history/...` record, the tutorial's run) and writes the step between them:
the contract and posture cases whose outcome changes, the capability cells whose observation changes, the
posture findings that change, and the settings that stop (or start) being read. The report renders it; nothing
here runs a server. A record that holds an `error` (a release that could not be installed) yields a step that
says so instead of a diff.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from harness.results import PATHS, Schema, header, read_record, write_record


def _side(spec: str) -> tuple[Path, str]:
    path, _, variant = spec.rpartition(":")
    if not path or not variant:
        raise argparse.ArgumentTypeError(f"expected RECORD:VARIANT, got {spec!r}")
    return Path(path), variant


def _entry(path: Path, variant: str) -> dict[str, Any]:
    record = read_record(path, Schema.CONTRACT)
    if record.get("error"):
        return {"error": record["error"]}
    try:
        return record["variants"][variant]
    except KeyError:
        raise SystemExit(f"{path} holds no variant {variant!r}; it holds {', '.join(record['variants'])}") from None


def _changed(before: dict[str, Any], after: dict[str, Any], value: str) -> list[dict[str, Any]]:
    """Keys present on either side whose `value` differs (a key missing on one side counts as None there)."""
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = (before.get(key) or {}).get(value), (after.get(key) or {}).get(value)
        if old != new:
            rows.append({"id": key, "before": old, "after": new})
    return rows


def step(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The differences between two variant entries of contract records."""
    if "error" in old or "error" in new:
        return {"error": old.get("error") or new.get("error")}
    old_reads, new_reads = old.get("settings_reads") or {}, new.get("settings_reads") or {}
    return {
        "versions": {
            "before": (old.get("health") or {}).get("versions"),
            "after": (new.get("health") or {}).get("versions"),
        },
        "tests": _changed(old.get("tests", {}), new.get("tests", {}), "outcome"),
        "capabilities": _changed(old.get("capabilities", {}), new.get("capabilities", {}), "observed"),
        "posture": _changed(old.get("posture", {}), new.get("posture", {}), "finding"),
        "settings_no_longer_read": sorted(set(new_reads.get("unread", ())) - set(old_reads.get("unread", ()))),
        "settings_now_read": sorted(set(old_reads.get("unread", ())) - set(new_reads.get("unread", ()))),
        # Old settings served on today's releases with what those require (backends/common/releases.py `require`).
        **({"added_for_today": added} if (added := (new.get("health") or {}).get("added_for_today")) else {}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="before", type=_side, required=True, metavar="RECORD:VARIANT")
    parser.add_argument("--to", dest="after", type=_side, required=True, metavar="RECORD:VARIANT")
    parser.add_argument("--out", type=Path, help="default results/upgrade/<from>__<to>.json")
    args = parser.parse_args(argv)
    (old_path, old_variant), (new_path, new_variant) = args.before, args.after
    record = {
        "header": header(Schema.UPGRADE),
        "from": {"record": str(old_path), "variant": old_variant},
        "to": {"record": str(new_path), "variant": new_variant},
        "step": step(_entry(old_path, old_variant), _entry(new_path, new_variant)),
    }
    out = args.out or PATHS.upgrade / f"{old_variant}__{new_variant}.json"
    print(write_record(out, record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
