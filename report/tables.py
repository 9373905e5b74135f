"""What every shaping module shares: a table of cells, where a page links from, and how a value reads.

A `Table` is data (head and rows of Markdown cell text); the `table` macro of `templates/_macros.j2` lays it
out. `Page` knows where the page being rendered sits, so a cell links to a test or a record correctly from
`report/COMPARISON.md` and from `report/variants/<variant>.md` alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    head: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: Any) -> None:
        self.rows.append([str(cell) for cell in cells])


@dataclass(frozen=True)
class Page:
    """Links from one rendered page: `root` leads to the repository, `data` to `report/data/`."""

    root: str = "../"
    data: str = "data/"

    def test(self, nodeid: str, text: str) -> str:
        """`text` linked to the test file of a node id (the record's `test`)."""
        path = nodeid.split("::")[0]
        return f"[{text}]({self.root}{path})" if path else text

    def source(self, name: str, pointer: str = "", label: str | None = None) -> str:
        """A link to a record of `report/data/` (to the JSON pointer of the figure inside it, when given)."""
        anchor = f"#{pointer}" if pointer else ""
        return f"[{label or f'`{name}.json`'}]({self.data}{name}.json{anchor})"

    def cited(self, text: str, name: str, pointer: str) -> str:
        """`text` (a figure, an id) linked to the place in its record it comes from."""
        return self.source(name, pointer, label=text)


MAIN = Page()
VARIANT_PAGE = Page(root="../../", data="../data/")


def code(name: str) -> str:
    return f"`{name}`"


def columns(*first: str, names: list[str]) -> list[str]:
    """A table head: the given first columns, then one column per variant."""
    return [*first, *(code(n) for n in names)]


def value(observed: Any) -> str:
    """A cell value as a reader says it: yes/no for booleans, the text or number otherwise."""
    return {True: "yes", False: "no"}.get(observed, str(observed)) if isinstance(observed, bool) else str(observed)


def first_line(text: str | None, limit: int = 300) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0][:limit] if lines else ""


def cell_text(text: str | None, limit: int = 160) -> str:
    """An error as one table-safe line: its last non-empty line (a traceback's exception, a log's last word)."""
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return first_line(lines[-1] if lines else "", limit).replace("|", "\\|")
