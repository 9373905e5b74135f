"""Shaping upgrade steps (harness/upgrade.py records, schema authcmp.upgrade/1) into tables, oldest step first.

One step is what changes between two runs of the suite: the tutorial's 2021 stack to today's allauth_restauth,
or an earlier release of a library to the locked one (results/history/). Each changed capability cell, posture
finding and contract case becomes a row; a step whose older side could not be installed says so with its error.
`section` returns the Markdown of the whole section; `pages` one page per library (`report/upgrades/<library>.md`),
its steps oldest release first. A step's library is the package its older side's history record replaced
(`results/history/<variant>/<package>-<version>.json`), else the older side's backend (the 2021 tutorial).
What a step costs comes from `upgrade_bench.json` (benchmarks/releases.py: one benchmark run per release): each side
is the run whose variant serves exactly the versions that side's contract run reported, so a figure is never
attributed to a release it was not measured on; where none matches, the step says its cost was not measured.
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any

from report.scale import BASELINE, drift, measured, rps_change
from report.tables import MAIN, VARIANT_PAGE, Page, Table, code, value

COST_SCENARIOS = ("me", "login_fast")  # issue #17: the cost change of each step in these two
FRAMEWORK = ("django", "djangorestframework")  # what the no-authentication baseline itself runs


def _label(side: dict[str, Any], same_variant: bool) -> str:
    """The variant, and the record it was read from when both sides are one variant (a release of it, say)."""
    name = code(side["variant"])
    return f"{name} ({code(Path(side['record']).stem)})" if same_variant and side.get("record") else name


def changes(record: dict[str, Any], case_limit: int | None = None) -> Table:
    """One step's changed cells: kind, id, before, after; past `case_limit` changed posture or contract cases, one
    row counts the rest and links the library's page, which lists them all (capabilities are always listed)."""
    table = Table(["what", "id", "before", "after"])
    found = record["step"]
    for kind, rows in (("capability", found["capabilities"]), ("posture", found["posture"]), ("case", found["tests"])):
        shown = rows if kind == "capability" or case_limit is None else rows[:case_limit]
        for row in shown:
            before = "–" if row["before"] is None else value(row["before"])
            after = "–" if row["after"] is None else value(row["after"])
            table.add(kind, code(row["id"].split("::")[-1]), before, after)
        if len(shown) < len(rows):
            page = f"upgrades/{library_of(record)[0]}.md"
            what = {"posture": "posture findings", "case": "cases"}[kind]
            table.add(kind, f"{len(rows) - len(shown)} more changed {what}: [the library's page]({page})", "", "")
    for name in found["settings_no_longer_read"]:
        table.add("setting", code(name), "read", "never read")
    for name in found["settings_now_read"]:
        table.add("setting", code(name), "never read", "read")
    return table


def _markdown(table: Table) -> str:
    lines = ["| " + " | ".join(table.head) + " |", "|" + "---|" * len(table.head)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in table.rows])


def versions_line(found: dict[str, Any]) -> str:
    """The versions a step changes, and what was added to old settings so today's releases start them."""
    before, after = (found.get("versions") or {}).get("before") or {}, (found.get("versions") or {}).get("after") or {}
    moved = [f"{name} {before.get(name, '–')} → {version}" for name, version in after.items()
             if before.get(name) != version]  # fmt: skip
    text = ("Versions: " + ", ".join(moved) + ".") if moved else ""
    if found.get("added_for_today"):
        text += (" Served with what today's releases require added to the old settings: "
                 + ", ".join(code(name) for name in found["added_for_today"]) + ".")  # fmt: skip
    return text.strip()


def measured_runs(costs: dict[str, Any], variant: str, versions: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """The benchmark runs (key in upgrade_bench.json, the variant's entry) that served `variant` with every version
    in `versions` (a step side's, from its contract run's health): today's releases may be measured more than once
    (before and after the earlier releases), and a step then pools them."""
    found = []
    for key, summary in sorted(costs.items()):
        entry = summary.get("variants", {}).get(variant)
        served = next((h.get("versions") for h in (entry or {}).get("health", {}).values() if h.get("versions")), None)
        if served and versions and all(served.get(name) == version for name, version in versions.items()):
            found.append((key, entry))
    return found


def _pooled(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """One side of a step from every run that served it: each scenario's runs together, their median the figure."""
    scenarios = {}
    for scenario in (*COST_SCENARIOS, BASELINE):
        figures = [figure for entry in entries if (figure := measured(entry, scenario))]
        runs = [run for figure in figures for run in figure.get("runs") or [{"rps": figure["rps"]}]]
        if runs:
            rates = [run["rps"] for run in runs]
            scenarios[scenario] = {"status": "measured", "rps": statistics.median(rates), "runs": runs}
    return {"scenarios": scenarios, "queries": entries[0].get("queries") or {}}


def _served_nothing(costs: dict[str, Any], variant: str) -> list[str]:
    """Runs of `variant` that stopped before serving it (a refusal by the smoke cases, an error): their statuses."""
    found = []
    for key, summary in sorted(costs.items()):
        entry = summary.get("variants", {}).get(variant) or {}
        if entry and entry.get("status") != "measured" and not any(h.get("versions") for h in entry["health"].values()):
            found.append(f"`{key}`: {entry['status'].strip().splitlines()[0]}")
    return found


def cost(record: dict[str, Any], costs: dict[str, Any], page: Page = MAIN) -> list[str]:
    """What the step costs in `me` and `login_fast`: requests per second on each side, the change judged against the
    machine's drift (the same no-authentication baseline on both servers), and SQL statements per operation."""
    found = record["step"].get("versions") or {}
    old = measured_runs(costs, record["from"]["variant"], found.get("before"))
    new = measured_runs(costs, record["to"]["variant"], found.get("after"))
    if not old or not new:
        missing = record["from"]["variant"] if not old else record["to"]["variant"]
        nothing = _served_nothing(costs, missing)
        why = f"; runs of `{missing}` that served nothing: {'; '.join(nothing)}" if nothing else ""
        return [f"Cost: not measured (no benchmark run in `upgrade_bench.json` served these versions{why})."]
    for side in (old, new):
        if not any(entry.get("status") == "measured" for _, entry in side):
            return [f"Cost: not measured ({side[0][1]['status'].strip().splitlines()[0]})."]
    old, new = (
        [(k, e) for k, e in old if e["status"] == "measured"],
        [(k, e) for k, e in new if e["status"] == "measured"],
    )
    before, after = _pooled([entry for _, entry in old]), _pooled([entry for _, entry in new])
    moved = drift(before, after)
    table = Table(["scenario", "before req/s", "after req/s", "change", "statements before → after"])
    statements = {"me": "me", "login_fast": "login"}
    for scenario in (*COST_SCENARIOS, BASELINE):
        b, a = measured(before, scenario), measured(after, scenario)
        if not b or not a:
            table.add(scenario, *(f"{r['rps']:.1f}" if r else "–" for r in (b, a)), "not measured", "")
            continue
        change = a["rps"] / b["rps"] - 1
        if scenario == BASELINE:
            # The baseline runs no library code; where the step also moves Django or DRF it runs other framework code
            # too, so its move is not the machine's alone (kept as the yardstick: it only makes fewer changes decided).
            moved_too = [f"{name} {found['before'][name]} → {found['after'][name]}" for name in FRAMEWORK
                         if (found.get("before") or {}).get(name) != (found.get("after") or {}).get(name)]  # fmt: skip
            why = f"{', '.join(moved_too)}: the framework moved too" if moved_too else "the machine's drift"
            shown = f"{change:+.0%} ({why})"
        else:  # without the baseline on both sides there is no yardstick for the machine's drift
            shown = rps_change(b, a, moved) if moved is not None else f"{change:+.0%} (inconclusive: no baseline)"
        operation = statements.get(scenario)
        counts = [(e.get("queries") or {}).get(operation, {}).get("total", "–") for e in (before, after)]
        table.add(scenario, f"{b['rps']:.1f}", f"{a['rps']:.1f}", shown, " → ".join(map(str, counts))
                  if operation else "")  # fmt: skip
    links = [
        ", ".join(page.cited(f"`{key}`", "upgrade_bench", f"/records/{key}") for key, _ in side) for side in (old, new)
    ]
    return [f"Cost (the median of all runs of each side; before: {links[0]}; after: {links[1]}):", "", _markdown(table)]


def section(records: list[dict[str, Any]], case_limit: int | None = None, costs: dict[str, Any] | None = None,
            page: Page = MAIN) -> str:  # fmt: skip
    """The upgrade section: one heading and table per step, in the order given (oldest first); with `costs`
    (upgrade_bench.json's records) each step's cost in `me` and `login_fast` below its table."""
    parts = ["## Upgrades: what changes, step by step", "", page_links(records), ""]
    if costs is None:
        parts += ["What each step costs in `me` and `login_fast`: not run in this data (no `upgrade_bench.json`; "
                  "`nox -s upgrade_bench`).", ""]  # fmt: skip
    for record in records:
        same = record["from"]["variant"] == record["to"]["variant"]
        parts += [f"### {_label(record['from'], same)} → {_label(record['to'], same)}", ""]
        if record["step"].get("error"):
            parts += [f"Could not be run: {record['step']['error'].strip().splitlines()[-1]}", ""]
            continue
        line = versions_line(record["step"])
        table = changes(record, case_limit)
        parts += [line, ""] if line else []
        parts += [_markdown(table) if table.rows else "No cell, case or setting changes.", ""]
        if costs is not None:
            parts += [*cost(record, costs, page), ""]
    return "\n".join(parts)


TUTORIAL = "tutorial_2021"


def library_of(record: dict[str, Any]) -> tuple[str, tuple[int, ...]]:
    """The library a step upgrades and the older release's numbers (for ordering); the tutorial's steps group as
    `tutorial_2021`."""
    stem = Path(record["from"].get("record") or "").stem
    match = re.fullmatch(r"(?P<package>[A-Za-z][\w.-]*?)-(?P<version>\d+(?:\.\d+)*)", stem)
    if match and "history" in Path(record["from"]["record"]).parts:
        return match["package"], tuple(int(part) for part in match["version"].split("."))
    return record["from"]["variant"].split("-")[0], ()


def pages(records: list[dict[str, Any]], costs: dict[str, Any] | None = None) -> dict[str, str]:
    """One Markdown page per library: each of its steps, oldest release first."""
    grouped: dict[str, list[tuple[tuple[int, ...], dict[str, Any]]]] = {}
    for record in records:
        library, numbers = library_of(record)
        grouped.setdefault(library, []).append((numbers, record))
    out = {}
    for library, steps in sorted(grouped.items()):
        title = (
            "the 2021 tutorial's stack to today"
            if library == TUTORIAL
            else f"{library}: earlier releases to the locked one"
        )
        ordered = [record for _, record in sorted(steps, key=lambda pair: pair[0])]
        # the section's steps, without its heading and page links
        body = section(ordered, costs=costs, page=VARIANT_PAGE).split("\n", 3)[3]
        back = "[Back to the comparison](../COMPARISON.md#upgrades-what-changes-step-by-step)"
        out[library] = f"# Upgrades of {title}\n\n{back}\n{body}"
    return out


def page_links(records: list[dict[str, Any]]) -> str:
    """One line linking each library's upgrade page."""
    libraries = sorted({library_of(record)[0] for record in records})
    return "Per library: " + ", ".join(f"[{name}](upgrades/{name}.md)" for name in libraries) + "."
