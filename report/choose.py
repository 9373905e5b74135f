"""Ask by needs: `python -m report.choose --need ID[=VALUE] ...`, on the published data, no server needed.

A need names a capability of the matrix (`--need credential_hashed_at_rest`, meaning `yes`; a value for the
others: `--need credential_kind=jwt`) or a posture case (`--need jwt_none_alg_refused`, meaning `pass`). It
prints the variants (default and hardened modes) whose observations meet every need; the near misses, fewest
gaps first, each gap with the verified settings that would close it (a ⚙ whose flip to that value was
observed, or the variant's hardened mode, observed to meet it); and, per need, the libraries that no observed
configuration gets there. An unknown need or value is refused with the valid ones listed.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report import DATA_DIR
from report.data import Data, load
from report.matrix import OBSERVED, PASS, flips
from report.tables import value


class NeedError(ValueError):
    """A need the data cannot answer: an unknown id or value; the message lists the valid ones."""


@dataclass(frozen=True)
class Need:
    id: str
    want: Any
    kind: str  # "capability" or "posture"

    def __str__(self) -> str:
        return f"{self.id} = {value(self.want)}"


@dataclass
class Gap:
    need: Need
    observed: str
    closers: list[str] = field(default_factory=list)


@dataclass
class Answer:
    needs: list[Need]
    satisfying: list[str]
    near: list[tuple[str, list[Gap]]]
    unclosed: list[tuple[Need, list[str]]]


def _values(data: Data, capability: str) -> list[Any]:
    seen = [entry["observed"] for name in data.contract["variants"] if (entry := data.cell(name, capability))]
    distinct = {(type(v).__name__, v): v for v in seen}  # True and 1 are equal in Python; not as observations
    return [distinct[key] for key in sorted(distinct, key=lambda key: (key[0], str(key[1])))]


def _parse_value(text: str, allowed: list[Any]) -> Any:
    words = {"yes": True, "true": True, "no": False, "false": False}
    for candidate in allowed:
        word = words.get(text.lower())
        if value(candidate) == text or str(candidate) == text or (isinstance(candidate, bool) and word is candidate):
            return candidate
    raise NeedError


def parse(data: Data, specs: list[str]) -> list[Need]:
    capabilities = [c["id"] for c in data.registry["capabilities"]]
    cases = [c["id"] for c in data.registry["posture_cases"]]
    needs = []
    for spec in specs:
        key, _, text = spec.partition("=")
        key, text = key.strip(), text.strip()
        if key in capabilities:
            allowed = _values(data, key)
            default = True if any(isinstance(v, bool) for v in allowed) else None
            if not text and default is None:
                raise NeedError(f"{key} is not a yes/no cell: say which value, --need {key}=VALUE, "
                                f"one of: {', '.join(value(v) for v in allowed)}")  # fmt: skip
            try:
                want = _parse_value(text, allowed) if text else default
            except NeedError:
                raise NeedError(f"{key}={text}: no variant observed that value; "
                                f"observed values: {', '.join(value(v) for v in allowed)}") from None  # fmt: skip
            needs.append(Need(key, want, "capability"))
        elif key in cases:
            findings = ("pass", "fail", "n/a")
            if text and text not in findings:
                raise NeedError(f"{key}={text}: a posture case's value is one of {', '.join(findings)}")
            needs.append(Need(key, text or PASS, "posture"))
        else:
            listed = "\n".join(f"  {c}" + _listed(data, c) for c in capabilities)
            posture = "\n".join(f"  {c}" for c in cases)
            raise NeedError(f"unknown need {key!r}. Capabilities (yes/no unless a value is listed):\n{listed}\n"
                            f"Posture cases (pass unless =fail or =n/a):\n{posture}")  # fmt: skip
    return needs


def _listed(data: Data, capability: str) -> str:
    allowed = _values(data, capability)
    return "" if set(allowed) <= {True, False, "n/a"} else f"=VALUE, one of: {', '.join(value(v) for v in allowed)}"


def observed(data: Data, name: str, need: Need) -> Any:
    if need.kind == "posture":
        return (data.posture(name).get(need.id) or {}).get("finding")
    return (data.cell(name, need.id) or {}).get("observed")


def meets(data: Data, name: str, need: Need) -> bool:
    found = observed(data, name, need)
    return type(found) is type(need.want) and found == need.want


def satisfying(data: Data, needs: list[Need]) -> list[str]:
    return [name for name in data.columns if all(meets(data, name, need) for need in needs)]


def closers(data: Data, name: str, need: Need) -> list[str]:
    """The verified ways to close one gap of a variant: observed ⚙ flips to the wanted value, its hardened mode."""
    default = data.variant(name).get("hardens") or name
    ways = [f"set `{f.setting}` (flip observed in `{f.target}`)" for f in flips(data.matrix)
            if f.variant == default and f.capability == need.id and f.verdict == OBSERVED
            and type(f.flipped) is type(need.want) and f.flipped == need.want]  # fmt: skip
    hardened = data.hardened_of(name)
    if hardened and meets(data, hardened, need):
        ways.append(f"use its hardened mode `{hardened}` (observed)")
    return ways


def _note(data: Data, name: str, need: Need) -> str:
    entry = data.cell(name, need.id) if need.kind == "capability" else data.posture(name).get(need.id)
    seen = observed(data, name, need)
    note = (entry or {}).get("note") or (entry or {}).get("reason") or ""
    return ("not observed" if seen is None else value(seen)) + (f" ({note[:160]})" if note else "")


def answer(data: Data, needs: list[Need]) -> Answer:
    near = []
    for name in data.columns:
        gaps = [Gap(need, _note(data, name, need), closers(data, name, need)) for need in needs
                if not meets(data, name, need)]  # fmt: skip
        if gaps:
            near.append((name, gaps))
    near.sort(key=lambda item: (len(item[1]), sum(not gap.closers for gap in item[1])))
    unclosed = []
    backends = sorted({data.variant(n).get("backend", n) for n in data.columns})
    for need in needs:
        stuck = [b for b in backends if not any(
            meets(data, n, need) or closers(data, n, need)
            for n in data.contract["variants"] if data.variant(n).get("backend", n) == b)]  # fmt: skip
        if stuck:
            unclosed.append((need, stuck))
    return Answer(needs, satisfying(data, needs), near, unclosed)


def text(found: Answer) -> str:
    lines = ["Needs: " + "; ".join(str(n) for n in found.needs), "", "Meet every need:"]
    lines += [f"  {name}" for name in found.satisfying] or ["  none"]
    lines += ["", "Near misses (fewest gaps first):"]
    for name, gaps in found.near:
        lines.append(f"  {name}: {len(gaps)} gap{'s' if len(gaps) > 1 else ''}")
        for gap in gaps:
            ways = "; or ".join(gap.closers) or "no verified setting closes it"
            lines.append(f"    - {gap.need.id}: observed {gap.observed}; {ways}")
    lines += ["", "What no observed configuration closes:"]
    lines += [f"  {need}: {', '.join(stuck)}" for need, stuck in found.unclosed] or ["  nothing"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m report.choose", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--need", action="append", default=[], metavar="ID[=VALUE]", help="a need; repeat it")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the published records (default report/data)")
    args = parser.parse_args(argv)
    if not args.need:
        parser.error("name at least one --need (an unknown one lists them all)")
    data = load(args.data)
    try:
        needs = parse(data, args.need)
    except NeedError as exc:
        print(f"python -m report.choose: {exc}", file=sys.stderr)
        return 2
    head = data.contract["header"]
    where = os.path.relpath(args.data)
    print(f"From {where}: the run of commit {head['git_commit']} on {head['database']}, {head['generated']}.\n")
    print(text(answer(data, needs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
