"""Render `report/COMPARISON.md` from result records; it only reads files, it never runs anything.

`python -m harness.report --contract results/contract.json --out report/COMPARISON.md`
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from harness.capabilities import CAPABILITIES
from harness.manifest import REPO_ROOT
from harness.posture import CASES, derived

OPERATIONS = ("register", "login", "me", "update_me", "logout", "bad_input")
GOOD = {"passed"}
DECLARED = {"xfailed"}


def _cell(outcomes: Counter[str]) -> str:
    total = sum(outcomes.values())
    if not total:
        return "–"
    good = sum(outcomes[o] for o in GOOD)
    declared = sum(outcomes[o] for o in DECLARED)
    if good + declared == total:
        return f"✅ {good}/{total}" + (f" (+{declared} declared)" if declared else "")
    return f"❌ {good}/{total}"


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
    rows = ["| operation | " + " | ".join(f"`{n}`" for n in names) + " |", "|---|" + "---|" * len(names)]
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for name, entry in variants.items():
        for test in entry["tests"].values():
            counts[test["operation"] or "other"][name][test["outcome"]] += 1
    for operation in [*OPERATIONS, *sorted(set(counts) - set(OPERATIONS))]:
        if operation in counts:
            rows.append(f"| {operation} | " + " | ".join(_cell(counts[operation][n]) for n in names) + " |")
    return rows


def _exceptions(variants: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, entry in variants.items():
        for key, test in entry["tests"].items():
            if test["outcome"] not in GOOD:
                lines.append(f"- `{name}` **{test['outcome']}** `{key}`: {test['message'].splitlines()[0][:300]}")
    return lines or ["- none: every variant passed every case without a declared deviation"]


def _compat_section(contract: dict[str, Any], compat_dir: Path | None) -> list[str]:
    """One row per variant run on the newer Django: its outcome counts and every case whose outcome differs."""
    files = sorted(compat_dir.glob("*.json")) if compat_dir and compat_dir.is_dir() else []
    if not files:
        return ["Not run here: the compat sessions need a Python >= 3.12 (`nox -s compat`)."]
    rows = ["| variant | Django | Python | outcome | differs from the main run |", "|---|---|---|---|---|"]
    for path in files:
        for name, entry in json.loads(path.read_text())["variants"].items():
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


def _matrix_cell(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "not observed"
    path = entry["test"].split("::")[0]
    mark = "✅" if entry["observed"] == entry["declared"] else f"❌ declared {_value(entry['declared'])}, observed"
    setting = f" ⚙ `{entry['setting']}`" if entry.get("setting") else ""
    return f"[{mark} {_value(entry['observed'])}](../{path}){setting}"


def _matrix_section(matrix: dict[str, Any] | None) -> list[str]:
    if not matrix:
        return ["Not run: `nox -s compare` writes `results/matrix.json`."]
    variants = matrix["variants"]
    names = list(variants)
    rows = [
        "Every cell is a variant's claim that a test observed over HTTP: ✅ the observation matched the claim,",
        "❌ it did not (both shown). ⚙ names the library setting that changes the cell. Cells link to their test.",
        "",
        "| capability | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    area = None
    for capability, (section, meaning) in CAPABILITIES.items():
        if section != area:
            area = section
            rows.append(f"| **{area}** |" + " |" * len(names))
        cells = [_matrix_cell(variants[n]["capabilities"].get(capability)) for n in names]
        rows.append(f"| `{capability}`: {meaning} | " + " | ".join(cells) + " |")
    notes = [
        f"- `{capability}` on `{name}`: {entry['note']}"
        for capability in CAPABILITIES
        for name in names
        if (entry := variants[name]["capabilities"].get(capability)) and entry.get("note")
    ]
    return [*rows, "", "Notes behind the cells:", "", *notes]


def _posture_cell(entry: dict[str, Any] | None) -> str:
    if not entry:
        return "not run"
    finding, path = entry["finding"], entry.get("test", "").split("::")[0]
    if finding == "n/a":
        text = "n/a"
    elif finding != entry.get("expected", "pass"):
        text = f"❌ {finding} (expected {entry.get('expected')})"
    else:
        text = "✅ pass" if finding == "pass" else "⚠️ fail (declared)"
    return f"[{text}](../{path})" if path else text


def _posture_section(variants: dict[str, Any], matrix: dict[str, Any] | None) -> list[str]:
    names = list(variants)
    if not any(entry.get("posture") for entry in variants.values()):
        return ["Not run: the battery runs with the contract suite (`-m posture` alone)."]
    rows = [
        "Each case is a finding per variant: ✅ pass; ⚠️ fail that the variant's manifest declares with a reason",
        "(listed below); ❌ a finding that differs from what the manifest expects; n/a where the case cannot apply.",
        "Cases marked † are derived from the capability matrix above.",
        "",
        "| case | reference | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    counts = {name: Counter() for name in names}
    for case_id, case in CASES.items():
        cells = []
        for name in names:
            if case.capability:
                observed = (matrix or {}).get("variants", {}).get(name, {}).get("capabilities", {}).get(case.capability)
                finding = derived(case, observed["observed"]) if observed else None
                entry = {"finding": finding, "expected": finding, "test": observed["test"]} if observed else None
            else:
                entry = variants[name].get("posture", {}).get(case_id)
            counts[name][entry["finding"] if entry else "not run"] += 1
            cells.append(_posture_cell(entry))
        mark = " †" if case.capability else ""
        rows.append(f"| `{case_id}`{mark}: {case.title} | {case.reference} | " + " | ".join(cells) + " |")
    totals = " | ".join(", ".join(f"{c[k]} {k}" for k in ("pass", "fail", "n/a") if c[k]) for c in counts.values())
    rows.append(f"| **total** | | {totals} |")
    declared = [
        f"- `{name}` `{case_id}`: {entry['reason']} — observed: {entry['evidence'][:200]}"
        for name in names
        for case_id, entry in variants[name].get("posture", {}).items()
        if entry["finding"] == "fail" and entry.get("reason")
    ]
    timing = [
        f"- `{name}`: {entry['evidence']}"
        for name in names
        if (entry := variants[name].get("posture", {}).get("login_timing_does_not_reveal_users"))
    ]
    return [
        *rows, "", "Login timing with the production hasher (unknown user / wrong password):", "", *timing,
        "", "Declared failures, with what was observed:", "", *declared,
    ]  # fmt: skip


ROBUSTNESS = (
    "concurrent_registration_creates_one_account",
    "concurrent_logins_issue_credentials_as_declared",
    "soak_has_no_server_errors_and_loses_no_account",
    "database_connections_killed_mid_load_recover",
)


def _robustness_section(contract: dict[str, Any]) -> list[str]:
    """The figures behind the robustness cases, as measured, per variant."""
    head = contract["header"]
    lines = [
        f"Measured on `{head['database']}` (the fault case needs PostgreSQL). Raw records: `results/contract.json`.",
        "",
    ]
    for case_id in ROBUSTNESS:
        lines += [f"**{CASES[case_id].title}** (`{case_id}`)", ""]
        for name, entry in contract["variants"].items():
            found = entry.get("posture", {}).get(case_id)
            lines.append(f"- `{name}`: " + (f"{found['finding']}: {found['evidence'][:400]}" if found else "not run"))
        lines.append("")
    return lines


def load_fuzz(fuzz_dir: Path | None) -> dict[str, Any]:
    """Fuzz records by variant (`python -m harness.fuzz` writes one JSON file per variant)."""
    files = sorted(fuzz_dir.glob("*.json")) if fuzz_dir and fuzz_dir.is_dir() else []
    return {(data := json.loads(path.read_text()))["variant"]: data for path in files}


def _fuzz_section(fuzz: dict[str, Any]) -> list[str]:
    if not fuzz:
        return ["Not run: `python -m harness.fuzz` (quick in `nox -s tests`, full in `nox -s security`).", ""]
    rows = [
        "| variant | operations | inputs | 5xx | finding | max examples | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, data in fuzz.items():
        operations = dict(data["operations"])
        inputs = sum(op["inputs"] for op in operations.values())
        errors = sum(op["server_errors"] for op in operations.values())
        finding = data["posture"]["finding"] + (" (declared)" if data["posture"].get("reason") else "")
        examples = data["header"].get("max_examples", "?")
        seconds = data["elapsed_seconds"]
        rows.append(f"| `{name}` | {len(operations)} | {inputs:,} | {errors} | {finding} | {examples} | {seconds} |")
    notes = [f"- `{n}`: {d['posture']['reason']}" for n, d in fuzz.items() if d["posture"].get("reason")]
    notes += [
        f"- `{n}`: not fuzzed, as its schema does not describe them: {', '.join(d['not_in_schema'])}"
        for n, d in fuzz.items()
        if d.get("not_in_schema")
    ]
    return [
        "schemathesis against each variant's drf-spectacular schema, `not_a_server_error` check; inputs count",
        "every generated request. Raw records: `results/fuzz/<variant>.json`.",
        "",
        *rows,
        "",
        *notes,
        "",
    ]


def glue_lines(backends_dir: Path = REPO_ROOT / "backends") -> dict[str, int]:
    """Hand-written code per backend outside settings and URLs: non-blank, non-comment Python lines."""
    counts = {}
    for folder in sorted(p for p in backends_dir.iterdir() if (p / "manifest.toml").exists()):
        total = 0
        for path in folder.rglob("*.py"):
            if (
                path.name.startswith("settings")
                or path.name in ("urls.py", "__init__.py")
                or "migrations" in path.parts
            ):
                continue
            total += sum(
                1 for line in path.read_text().splitlines() if line.strip() and not line.strip().startswith("#")
            )
        counts[folder.name] = total
    return counts


def render(
    contract: dict[str, Any],
    compat_dir: Path | None = None,
    matrix: dict[str, Any] | None = None,
    bench: list[str] | None = None,
    fuzz: dict[str, Any] | None = None,
) -> str:
    head, variants = contract["header"], contract["variants"]
    for name, data in (fuzz or {}).items():  # the fuzz finding joins the posture table of its variant
        if name in variants:
            variants[name].setdefault("posture", {})[data["posture"]["id"]] = {**data["posture"], "evidence": ""}
    machine = head["machine"]
    out = [
        "# Django REST authentication libraries compared",
        "",
        f"Generated {head['generated']} from commit `{head['git_commit']}` on {machine['cpu_count']} × "
        f"{machine['cpu_model']} ({machine['system']}); database `{head['database']}`, settings profile "
        f"`{head['profile']}`, harness Python {head['harness_python']}. Raw records: `results/`.",
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
        *_matrix_section(matrix),
        "",
        "## Security posture",
        "",
        *_posture_section(variants, matrix),
        "",
        *(bench or ["## Load benchmarks", "", "Not run: `nox -s compare` runs them (`benchmarks/README.md`).", ""]),
        "## Robustness figures",
        "",
        "### Fuzzing",
        "",
        *_fuzz_section(fuzz or {}),
        "### Races, soak and database fault",
        "",
        *_robustness_section(contract),
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contract", type=Path, required=True, help="contract results JSON")
    parser.add_argument("--matrix", type=Path, help="capability matrix JSON")
    parser.add_argument("--bench", type=Path, help="benchmark summary.json (charts go next to --out)")
    parser.add_argument("--fuzz", type=Path, help="folder of fuzz results JSON, one per variant")
    parser.add_argument("--compat", type=Path, help="folder of Django-compat results JSON, one per variant")
    parser.add_argument("--profile", type=Path, help="summary.json of python -m benchmarks.profile_me")
    parser.add_argument("--out", type=Path, required=True, help="Markdown file to write")
    args = parser.parse_args(argv)
    contract = json.loads(args.contract.read_text())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    matrix = json.loads(args.matrix.read_text()) if args.matrix and args.matrix.exists() else None
    bench = None
    summary = json.loads(args.bench.read_text()) if args.bench and args.bench.exists() else None
    if summary:
        from benchmarks.report import render_section  # needs matplotlib: only when there is a benchmark to show

        bench = render_section(summary, args.out.parent / "charts", "charts")
    if args.profile and args.profile.exists():
        from benchmarks.profile_render import render_section as profile_section

        profile = profile_section(json.loads(args.profile.read_text()), summary)
        bench = [*(bench or ["## Load benchmarks", ""]), "", *profile]
    args.out.write_text(render(contract, args.compat, matrix, bench, load_fuzz(args.fuzz)))
    print(f"wrote {args.out} ({len(contract['variants'])} variants)")


if __name__ == "__main__":
    main()
