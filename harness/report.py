"""Render `report/COMPARISON.md` from result records; it only reads files, it never runs anything.

`python -m harness.report` reads every record where `harness.results.PATHS` puts it (each option overrides
one) and writes the report there too; a record that is missing is reported as not run. The security
sections (posture, fuzzing, robustness figures) are in `harness/report_security.py`.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from harness.capabilities import CAPABILITIES
from harness.manifest import display_path
from harness.report_hardening import flip_marks, flip_section, glue_lines, residual_section
from harness.report_security import fuzz_section, load_fuzz, posture_section, robustness_section, variant_columns
from harness.results import PATHS, FuzzRecord, Schema, read_record

# Contract operations, then the areas of cases that name none (harness/recorder.py `_area`).
OPERATIONS = ("register", "login", "me", "update_me", "logout", "bad_input")
ROWS = (*OPERATIONS, "contract", "capability", "posture", "robustness")
GOOD = {"passed"}
DECLARED = {"xfailed"}


def _cell(outcomes: Counter[str]) -> str:
    """✅/❌ with passes over the cases that ran; a skip is neither a pass nor a failure and is shown apart."""
    skipped = outcomes["skipped"]
    ran = sum(outcomes.values()) - skipped
    if not ran:
        return f"skipped {skipped}" if skipped else "–"
    good = sum(outcomes[o] for o in GOOD)
    declared = sum(outcomes[o] for o in DECLARED)
    mark = "✅" if good + declared == ran else "❌"
    return (
        f"{mark} {good}/{ran}"
        + (f" (+{declared} declared)" if declared and mark == "✅" else "")
        + (f", {skipped} skipped" if skipped else "")
    )


def _versions_table(variants: dict[str, Any]) -> list[str]:
    rows = [
        "| variant | library versions | Django | DRF | Python | hasher | database |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, entry in variants.items():
        health = entry.get("health") or {}
        versions = dict(health.get("versions", {}))
        django, drf = versions.pop("django", "?"), versions.pop("djangorestframework", "?")
        libs = ", ".join(f"{k} {v}" for k, v in versions.items()) or "unknown (no health endpoint)"
        hasher = health.get("hasher", {})
        hasher_text = f"{hasher.get('algorithm', '?')}" + (
            f" ×{hasher['iterations']:,}" if hasher.get("iterations") else ""
        )
        database = health.get("database", {})
        rows.append(
            f"| `{name}` | {libs} | {django} | {drf} | {health.get('python', '?')} | {hasher_text} "
            f"| {database.get('vendor', '?')} {database.get('version', '')} |"
        )
    return rows


def _contract_table(variants: dict[str, Any]) -> list[str]:
    names = list(variants)
    rows = variant_columns("operation", names=names)
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for name, entry in variants.items():
        for test in entry["tests"].values():
            # A case without a contract operation is counted in its area's row (capability, posture, robustness).
            counts[test["operation"] or test.get("area") or "other"][name][test["outcome"]] += 1
    for operation in [*ROWS, *sorted(set(counts) - set(ROWS))]:
        if operation in counts:
            rows.append(f"| {operation} | " + " | ".join(_cell(counts[operation][n]) for n in names) + " |")
    return rows


def _exceptions(variants: dict[str, Any]) -> list[str]:
    """Every case that did not simply pass, grouped as a reader weighs them: failures, declared, skipped."""
    lines: list[str] = []
    for outcome in ("failed", "xpassed", "xfailed", "skipped"):
        for name, entry in variants.items():
            for key, test in entry["tests"].items():
                if test["outcome"] == outcome:
                    lines.append(f"- `{name}` **{outcome}** `{key}`: {test['message'].splitlines()[0][:300]}")
    return lines or ["- none: every variant passed every case without a declared deviation"]


def _compat_section(contract: dict[str, Any], compat_dir: Path | None) -> list[str]:
    """One row per variant run on the newer Django: its outcome counts and every case whose outcome differs."""
    files = sorted(compat_dir.glob("*.json")) if compat_dir and compat_dir.is_dir() else []
    if not files:
        return ["Not run here: the compat sessions need a Python >= 3.12 (`nox -s compat`)."]
    rows = ["| variant | Django | Python | outcome | differs from the main run |", "|---|---|---|---|---|"]
    for path in files:
        for name, entry in read_record(path, Schema.CONTRACT)["variants"].items():
            health = entry.get("health") or {}
            outcomes = Counter(test["outcome"] for test in entry["tests"].values())
            main = contract["variants"].get(name, {}).get("tests", {})
            differs = [
                f"`{key}`: {main[key]['outcome']} → {test['outcome']}"
                for key, test in entry["tests"].items()
                if key in main and main[key]["outcome"] != test["outcome"]
            ]
            summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
            rows.append(
                f"| `{name}` | {health.get('versions', {}).get('django', '?')} | {health.get('python', '?')} "
                f"| {summary} | {'; '.join(differs) or 'nothing'} |"
            )
    return rows


def _value(value: Any) -> str:
    return {True: "yes", False: "no"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _matrix_cell(entry: dict[str, Any] | None, flip: str | None) -> str:
    if not entry:
        return "not observed"
    path = entry["test"].split("::")[0]
    mark = "✅" if entry["observed"] == entry["declared"] else f"❌ declared {_value(entry['declared'])}, observed"
    setting = f" ⚙ `{entry['setting']}`" + (f" {flip}" if flip else "") if entry.get("setting") else ""
    return f"[{mark} {_value(entry['observed'])}](../{path}){setting}"


def _columns(record: Any) -> Any:
    """A record without its observation-only variants, which show in the ⚙ section only."""
    if not record:
        return record
    return {**record, "variants": {n: v for n, v in record["variants"].items() if not v.get("observes")}}


def _matrix_section(matrix: dict[str, Any] | None, marks: dict[tuple[str, str], str]) -> list[str]:
    if not matrix:
        return [f"Not run: `nox -s compare` writes `{display_path(PATHS.matrix)}`."]
    variants = matrix["variants"]
    names = list(variants)
    rows = [
        "Every cell is a variant's claim that a test observed over HTTP: ✅ the observation matched the claim,",
        "❌ it did not (both shown). ⚙ names the library setting that changes the cell, and whether its flip was",
        "observed in the variant that sets it (next column: its `_hardened` mode; see the next section). Cells link",
        "to their test.",
        "",
        *variant_columns("capability", names=names),
    ]
    area = None
    for capability, (section, meaning) in CAPABILITIES.items():
        if section != area:
            area = section
            rows.append(f"| **{area}** |" + " |" * len(names))
        cells = [_matrix_cell(variants[n]["capabilities"].get(capability), marks.get((n, capability))) for n in names]
        rows.append(f"| `{capability}`: {meaning} | " + " | ".join(cells) + " |")
    notes = [
        f"- `{capability}` on `{name}`: {entry['note']}"
        for capability in CAPABILITIES
        for name in names
        if (entry := variants[name]["capabilities"].get(capability)) and entry.get("note")
    ]
    return [*rows, "", "Notes behind the cells:", "", *notes]


def render(
    contract: dict[str, Any],
    compat_dir: Path | None = None,
    matrix: dict[str, Any] | None = None,
    bench: list[str] | None = None,
    fuzz: dict[str, FuzzRecord] | None = None,
) -> str:
    # Flips are judged over every variant; observation-only configurations (`observes`) get no column of their own.
    marks, flip_lines = flip_marks(matrix), flip_section(matrix)
    contract, matrix = _columns(contract), _columns(matrix)
    head, variants = contract["header"], contract["variants"]
    for name, data in (fuzz or {}).items():  # the fuzz finding joins the posture table of its variant
        if name in variants and "posture" in data:
            variants[name].setdefault("posture", {})[data["posture"]["id"]] = {**data["posture"], "evidence": ""}
    machine = head["machine"]
    out = [
        "# Django REST authentication libraries compared",
        "",
        f"Generated {head['generated']} from commit `{head['git_commit']}` on {machine['cpu_count']} × "
        f"{machine['cpu_model']} ({machine['system']}); database `{head['database']}`, settings profile "
        f"`{head['profile']}`, harness Python {head['harness_python']}. Raw records: `{display_path(PATHS.root)}/`.",
        "",
        "## What ran",
        "",
        *_versions_table(variants),
        "",
        "## Core contract",
        "",
        "Each cell counts the contract cases of that operation the variant passed over real HTTP; a declared",
        "deviation is a strict expected failure with a reason in the variant's manifest. Cases live in",
        "[`shared_tests/`](../shared_tests/).",
        "",
        *_contract_table(variants),
        "",
        "## Capability matrix",
        "",
        *_matrix_section(matrix, marks),
        "",
        "## Configurations: every ⚙ observed",
        "",
        *flip_lines,
        "",
        "## Security posture",
        "",
        *posture_section(variants, matrix),
        "",
        "## Residual risk: what no setting fixes",
        "",
        *residual_section(contract, matrix),
        "",
        *(bench or ["## Load benchmarks", "", "Not run: `nox -s compare` runs them (`benchmarks/README.md`).", ""]),
        "## Robustness figures",
        "",
        "### Fuzzing",
        "",
        *fuzz_section(fuzz or {}),
        "### Races, soak and database fault",
        "",
        *robustness_section(contract),
        "## Failures and declared deviations",
        "",
        *_exceptions(variants),
        "",
        "## On the next Django",
        "",
        "The same suite on Django 6.1 (the main run above is on the 5.2 LTS), one record per variant:",
        "",
        *_compat_section(contract, compat_dir),
        "",
        "## Glue each backend needed",
        "",
        "Lines of hand-written Python outside settings and URL modules (non-blank, non-comment, docstrings included):",
        "",
        "| backend | lines |",
        "|---|---|",
        *[f"| `{name}` | {count} |" for name, count in glue_lines().items()],
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add(
        "--contract",
        type=Path,
        default=PATHS.contract,
        help=f"contract results JSON (default {display_path(PATHS.contract)})",
    )
    add(
        "--matrix",
        type=Path,
        default=PATHS.matrix,
        help=f"capability matrix JSON (default {display_path(PATHS.matrix)})",
    )
    add("--bench", type=Path, default=PATHS.bench_latest, help="benchmark summary.json (charts go next to --out)")
    add("--fuzz", type=Path, default=PATHS.fuzz, help="folder of fuzz results JSON, one per variant")
    add("--compat", type=Path, default=PATHS.compat, help="folder of Django-compat results JSON, one per variant")
    add("--profile", type=Path, default=PATHS.profile_summary, help="summary.json of python -m benchmarks.profile_me")
    add("--out", type=Path, default=PATHS.report, help=f"Markdown file to write (default {display_path(PATHS.report)})")
    args = parser.parse_args(argv)
    contract = read_record(args.contract, Schema.CONTRACT)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    matrix = read_record(args.matrix, Schema.MATRIX) if args.matrix.exists() else None
    bench = None
    summary = read_record(args.bench, Schema.BENCH) if args.bench.exists() else None
    if summary:
        from benchmarks.report import render_section  # needs matplotlib: only when there is a benchmark to show

        bench = render_section(summary, args.out.parent / "charts", "charts")
    if args.profile.exists():
        from benchmarks.profile_render import render_section as profile_section

        profile = profile_section(read_record(args.profile, Schema.PROFILE), summary)
        bench = [*(bench or ["## Load benchmarks", ""]), "", *profile]
    args.out.write_text(render(contract, args.compat, matrix, bench, load_fuzz(args.fuzz)))
    print(f"wrote {args.out} ({len(contract['variants'])} variants)")


if __name__ == "__main__":
    main()
