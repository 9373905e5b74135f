"""Shaping for the self-contained HTML report: inline Markdown of cells to HTML, the heatmap, the need filter.

The heatmap has one row per capability and one column per measured variant, each default beside its hardened
mode; a cell's class says how to read it (the safe or unsafe side of a security reading, yes, no, n/a, a
value). The need filter gets every variant's observed values as JSON embedded in the page, so the page needs
no server and no network: its script (`templates/report.js`) keeps the variants that meet every chosen need.
"""

from __future__ import annotations

import html as stdlib_html
import json
import re
from typing import Any

from markupsafe import Markup

from report.data import Data
from report.matrix import FAIL, PASS, reading
from report.tables import value

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def inline(text: Any) -> Markup:
    """The Markdown of a cell or line (code, bold, links) as HTML; everything else escaped."""
    escaped = stdlib_html.escape(str(text), quote=False)
    escaped = _LINK.sub(lambda m: f'<a href="{stdlib_html.escape(m.group(2))}">{m.group(1)}</a>', escaped)
    escaped = _CODE.sub(r"<code>\1</code>", escaped)
    return Markup(_BOLD.sub(r"<strong>\1</strong>", escaped))


def order(data: Data) -> list[str]:
    """The heatmap's columns: each default variant followed by its hardened mode."""
    out = []
    for name in data.defaults:
        out.append(name)
        hardened = data.hardened_of(name)
        if hardened:
            out.append(hardened)
    return out + [n for n in data.columns if n not in out]


def _css(data: Data, capability: str, observed: Any) -> str:
    if observed is None:
        return "none"
    if observed == "n/a":
        return "na"
    if capability in data.registry["readings"]:
        return {PASS: "safe", FAIL: "unsafe"}[reading(data, capability, observed)]
    return {True: "yes", False: "no"}.get(observed, "value") if isinstance(observed, bool) else "value"


def heatmap(data: Data) -> dict[str, Any]:
    names = order(data)
    rows = []
    for capability in data.registry["capabilities"]:
        cid = capability["id"]
        cells = []
        for name in names:
            entry = data.cell(name, cid)
            observed = entry["observed"] if entry else None
            title = f"{name} · {cid}: " + (value(observed) if entry else "not observed")
            if entry and entry.get("note"):
                title += f" — {entry['note']}"
            text = "" if observed is None else value(observed)
            cells.append({"css": _css(data, cid, observed), "text": text, "title": title[:400]})
        rows.append({"id": cid, "area": capability["area"], "meaning": capability["meaning"], "cells": cells})
    return {"names": names, "rows": rows, "hardened": {n for n in names if data.variant(n).get("hardens")}}


def needs(data: Data) -> dict[str, Any]:
    """What the filter offers (each capability's observed values, each posture case's findings) and what each
    variant observed: the same needs `python -m report.choose` answers."""
    observed: dict[str, dict[str, str]] = {}
    for name in data.columns:
        cells = {
            c["id"]: value(e["observed"]) for c in data.registry["capabilities"] if (e := data.cell(name, c["id"]))
        }
        observed[name] = {**cells, **{case: entry["finding"] for case, entry in data.posture(name).items()}}
    ids = [c["id"] for c in data.registry["capabilities"]], [c["id"] for c in data.registry["posture_cases"]]
    options = [{i: sorted({seen[i] for seen in observed.values() if i in seen}) for i in group} for group in ids]
    return {"observed": observed, "capabilities": options[0], "cases": options[1]}


def context(data: Data) -> dict[str, Any]:
    found = needs(data)
    payload = json.dumps(found["observed"], sort_keys=True, ensure_ascii=False).replace("</", "<\\/")
    return {"heatmap": heatmap(data), "options": found["capabilities"], "case_options": found["cases"],
            "payload": Markup(payload)}  # fmt: skip
