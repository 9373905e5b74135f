"""Render every page from `report/data/`: the comparison, one page per variant, the HTML report, the charts.

`render(data, out)` returns {path relative to `out`: bytes} and writes nothing; `write` puts them on disk.
The same data gives the same bytes (the render test compares against the committed files). Layout is in
`templates/`; this module only hands the shaped data to them.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from report import (
    TEMPLATES_DIR,
    bench,
    cards,
    charts,
    contract,
    html,
    matrix,
    profile,
    provenance,
    scale,
    security,
    trust,
    upgrade,
)
from report.data import RECORDS, Data
from report.tables import MAIN, VARIANT_PAGE

COMPARISON = "COMPARISON.md"
HTML = "report.html"


def slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
    )  # fmt: skip
    env.filters["slug"] = slug
    env.filters["inline"] = html.inline
    env.globals["source"] = MAIN.source
    return env


def _contents(body: str) -> list[tuple[str, str]]:
    """(title, anchor) of each second-level heading of the rendered body, for the table of contents."""
    return [(title, slug(title)) for title in re.findall(r"^## (.+)$", body, flags=re.M)]


UPGRADE_CASES = 12  # changed cases a step lists in the comparison; its library's page lists them all


def context(data: Data, drawn: list[charts.Chart]) -> dict[str, Any]:
    names = data.columns
    cells = [n for n, v in (data.matrix or {}).get("variants", {}).items() if not v.get("observes")]
    flip_rows, flip_counts = matrix.flip_table(data)
    return {
        "data": data, "head": data.contract["header"], "names": names, "records": RECORDS,
        "versions": contract.versions(data, names), "security_packages": contract.security_packages(data),
        "provenance": provenance.table(data), "elsewhere": provenance.elsewhere(data),
        "outcomes": contract.outcomes(data, names),
        "exceptions": contract.exceptions(data, names), "compat": contract.compat(data), "glue": contract.glue(data),
        "matrix": matrix.capability_table(data, cells) if data.matrix else None,
        "notes": matrix.notes(data, cells), "flips": flip_rows, "flip_counts": flip_counts,
        "residual": matrix.residual_tables(data), "posture": security.posture_table(data, names),
        "readings": security.readings_table(data, names), "timing": security.timing(data, names),
        "declared": security.declared(data, names), "robustness": security.robustness(data, names),
        "fuzz": security.fuzz(data, names), "cards": cards.cards(data), "charts": drawn,
        "bench": bench.section(data.bench, data.registry) if data.bench else None,
        "scale": scale.scale(data.bench) if data.bench else None,
        "trust": trust.section(data.bench, data.studies, data.registry, data.work) if data.bench else None,
        "cost": scale.cost(data.bench, data.registry),
        "profile": profile.section(data.profile, data.bench, data.registry) if data.profile else None,
        "upgrades": upgrade.section(list(data.upgrade["records"].values()), UPGRADE_CASES, _costs(data))
        if data.upgrade else None,
    }  # fmt: skip


def _costs(data: Data) -> dict[str, Any] | None:
    """The benchmark runs per release that upgrade steps join; None when none are published (the section says so)."""
    return data.upgrade_bench["records"] if data.upgrade_bench else None


def variant_context(data: Data, name: str) -> dict[str, Any]:
    entry = data.variant(name)
    default = entry.get("hardens") or name
    glue = data.registry["glue"].get(entry.get("backend", ""), None)
    bench_entry = ((data.bench or {}).get("variants") or {}).get(name)
    profile_entry = ((data.profile or {}).get("variants") or {}).get(name)
    return {
        "name": name, "entry": entry, "head": data.contract["header"], "page": VARIANT_PAGE,
        "card": cards.card(data, default, VARIANT_PAGE) if default in data.defaults else None,
        "default": default, "hardened": data.hardened_of(name),
        "matrix": matrix.capability_table(data, [name], VARIANT_PAGE) if data.matrix else None,
        "notes": matrix.notes(data, [name]), "posture": security.posture_table(data, [name], VARIANT_PAGE),
        "declared": security.declared(data, [name]),
        "residual": [f"`{r['id']}`: {r['what']} — {r['why']}" for r in matrix.residual(data, name)],
        "outcomes": contract.outcomes(data, [name]), "exceptions": contract.exceptions(data, [name]),
        "throughput": bench.by_scenario({**data.bench, "variants": {name: bench_entry}}, bench.throughput_cell)
        if data.bench and bench_entry else None,
        "latency": bench.by_scenario({**data.bench, "variants": {name: bench_entry}}, bench.latency_cell)
        if data.bench and bench_entry else None,
        "profile": profile_entry, "glue": glue, "source": VARIANT_PAGE.source,
    }  # fmt: skip


def render(data: Data) -> dict[str, bytes]:
    """Every output file, by its path under the report folder."""
    env = environment()
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="authcmp-charts-") as folder:
        drawn = charts.draw_all(data, Path(folder))
        for chart in drawn:
            files[f"charts/{chart.name}"] = (Path(folder) / chart.name).read_bytes()
    shaped = context(data, drawn)
    body = env.get_template("body.md.j2").render(shaped)
    page = env.get_template("comparison.md.j2").render(shaped, body=body, contents=_contents(body))
    files[COMPARISON] = page.encode()
    for name in (n for n in data.columns if n in data.registry["variants"]):  # a page needs the manifest's facts
        text = env.get_template("variant.md.j2").render(variant_context(data, name))
        files[f"variants/{name}.md"] = text.encode()
    files[HTML] = env.get_template("report.html.j2").render(shaped, **html.context(data)).encode()
    for library, text in upgrade.pages(list(data.upgrade["records"].values()) if data.upgrade else [],
                                       _costs(data)).items():  # fmt: skip
        files[f"upgrades/{library}.md"] = text.encode()
    return files


def write(files: dict[str, bytes], out: Path) -> list[Path]:
    """Write every file, and remove the charts, variant and upgrade pages this render no longer makes."""
    for folder in ("charts", "variants", "upgrades"):
        for old in (out / folder).glob("*"):
            if f"{folder}/{old.name}" not in files:
                old.unlink()
    written = []
    for relative, content in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written


def bench_markdown(summary: dict[str, Any], registry: dict[str, Any], charts_dir: Path) -> str:
    """The benchmark section alone, its charts written as PNG into `charts_dir` and linked as `charts/<name>`."""
    drawn = []
    for name, (draw, title) in charts.BENCH_CHARTS.items():
        fig = draw(summary, registry)
        if fig is not None:
            charts.save(fig, charts_dir / name)
            drawn.append(f"![{title}](charts/{name})")
    shaped = {
        "bench": bench.section(summary, registry), "scale": scale.scale(summary), "cost": scale.cost(summary, registry),
        "trust": trust.section(summary, registry=registry), "profile": None, "source": MAIN.source,
    }  # fmt: skip
    return environment().get_template("bench.md.j2").render(shaped) + "\n".join(drawn) + "\n"
