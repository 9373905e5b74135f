"""One suite record from parts run side by side: `python -m harness.parts FOLDER --contract OUT --matrix OUT`.

`nox -s compare` and `nox -s security` run the contract suite in parts, two at a time (harness/concurrent.py says
why that changes no verdict), each part writing its own contract (and matrix) record; this joins them into the one
record of each kind the report publishes. Parts join only when they ran the same thing — the same schema, commit,
database, profile, base URL, overrides, harness Python, machine and selected cases (`-k`/`-m`) — and each variant is
in exactly one part: anything else is refused with the reason, never merged silently. The joined header is the last
part's to end, with `parts` naming each part's file, end time and variants.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from harness.manifest import display_path
from harness.results import Schema, read_record, write_record

# What must agree between parts for their union to be one run; `generated` differs by construction.
SAME = ("schema", "git_commit", "database", "profile", "base_url", "overrides", "harness_python", "machine",
        "selection")  # fmt: skip
KINDS = {"contract": Schema.CONTRACT, "matrix": Schema.MATRIX}


class PartsError(ValueError):
    """Parts that are not one run's: the message says which part and what differs."""


def join(parts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The union of the parts' variants under one header (`parts` maps each part's name to its record)."""
    if not parts:
        raise PartsError("no parts to join")
    names = list(parts)
    first = parts[names[0]]["header"]
    variants: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for name in names:
        head = parts[name]["header"]
        differ = [key for key in SAME if head.get(key) != first.get(key)]
        if differ:
            raise PartsError(
                f"{name} is not the same run as {names[0]}: "
                + "; ".join(f"{key} {head.get(key)!r} vs {first.get(key)!r}" for key in differ)
            )
        for variant, entry in parts[name]["variants"].items():
            if variant in owner:
                raise PartsError(f"variant {variant} is in two parts: {owner[variant]} and {name}")
            owner[variant] = name
            variants[variant] = entry
    last = max(names, key=lambda name: parts[name]["header"]["generated"])
    listed = [{"part": name, "generated": parts[name]["header"]["generated"],
               "variants": sorted(parts[name]["variants"])} for name in names]  # fmt: skip
    # In name order, as one run over every variant lists them: how the parts were dealt must not reorder the report.
    return {"header": {**parts[last]["header"], "parts": listed}, "variants": dict(sorted(variants.items()))}


def part_path(folder: Path, label: str, kind: str) -> Path:
    """Where part `label` writes its record of `kind` (contract or matrix)."""
    return folder / f"{label}.{kind}.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.parts", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path, help="the parts' records, <label>.contract.json and <label>.matrix.json")
    parser.add_argument("--labels", nargs="+", required=True, help="every part that ran: each must have its record")
    for kind in KINDS:
        parser.add_argument(f"--{kind}", type=Path, help=f"write the joined {kind} record here")
    args = parser.parse_args(argv)
    for kind, schema in KINDS.items():
        out = getattr(args, kind)
        if out is None:
            continue
        files = [part_path(args.folder, label, kind) for label in args.labels]
        if missing := [display_path(path) for path in files if not path.exists()]:
            # A part that ended without its record (a crash, an interrupt): joining the rest would publish a run
            # with variants silently missing.
            print(f"no joined {kind} record: missing part(s) {', '.join(missing)}", file=sys.stderr)
            return 2
        try:
            # Each part by its label: the record names what ran, not where this machine kept the files.
            joined = join({label: read_record(path, schema) for label, path in zip(args.labels, files, strict=True)})
        except (PartsError, ValueError, KeyError) as exc:
            print(f"cannot join the {kind} parts: {exc}", file=sys.stderr)
            return 2
        write_record(out, joined)
        print(f"{display_path(out)}: {len(joined['variants'])} variants from {len(files)} parts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
