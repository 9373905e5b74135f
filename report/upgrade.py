"""Shaping upgrade steps (harness/upgrade.py records, schema authcmp.upgrade/1) into tables, oldest step first.

One step is what changes between two runs of the suite: the tutorial's 2021 stack to today's allauth_restauth,
or an earlier release of a library to the locked one (results/history/). Each changed capability cell, posture
finding and contract case becomes a row; a step whose older side could not be installed says so with its error.
`section` returns the Markdown of the whole section; the render pipeline may lay the same tables out instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from report.tables import Table, code, value


def _label(side: dict[str, Any], same_variant: bool) -> str:
    """The variant, and the record it was read from when both sides are one variant (a release of it, say)."""
    name = code(side["variant"])
    return f"{name} ({code(Path(side['record']).stem)})" if same_variant and side.get("record") else name


def changes(record: dict[str, Any]) -> Table:
    """One step's changed cells: kind, id, before, after."""
    table = Table(["what", "id", "before", "after"])
    found = record["step"]
    for kind, rows in (("capability", found["capabilities"]), ("posture", found["posture"]), ("case", found["tests"])):
        for row in rows:
            before = "–" if row["before"] is None else value(row["before"])
            after = "–" if row["after"] is None else value(row["after"])
            table.add(kind, code(row["id"].split("::")[-1]), before, after)
    for name in found["settings_no_longer_read"]:
        table.add("setting", code(name), "read", "never read")
    for name in found["settings_now_read"]:
        table.add("setting", code(name), "never read", "read")
    return table


def _markdown(table: Table) -> str:
    lines = ["| " + " | ".join(table.head) + " |", "|" + "---|" * len(table.head)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in table.rows])


def section(records: list[dict[str, Any]]) -> str:
    """The upgrade section: one heading and table per step, in the order given (oldest first)."""
    parts = ["## Upgrades: what changes, step by step", ""]
    for record in records:
        same = record["from"]["variant"] == record["to"]["variant"]
        parts += [f"### {_label(record['from'], same)} → {_label(record['to'], same)}", ""]
        if record["step"].get("error"):
            parts += [f"Could not be run: {record['step']['error'].strip().splitlines()[-1]}", ""]
            continue
        table = changes(record)
        parts += [_markdown(table) if table.rows else "No cell, case or setting changes.", ""]
    return "\n".join(parts)
