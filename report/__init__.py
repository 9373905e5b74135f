"""The report package: every rendering of the comparison, from the records under `report/data/` only.

- `python -m report.export` copies the result records (`harness.results.PATHS`, git-ignored) into
  `report/data/`, with the registry of what they name (capabilities, posture cases, scenarios, variants), and
  checks each file against its JSON Schema in `report/schemas/`.
- `python -m report` renders `report/COMPARISON.md`, `report/variants/<variant>.md`, the self-contained
  `report/report.html` and the charts, from `report/data/` alone (the same data renders the same bytes).
- `python -m report.choose --need ID[=VALUE] ...` answers which variant meets a set of needs, on the same data.

Nothing here runs a server, a suite or a benchmark: the harness and the benchmarks write records, this package
reads them (data flows results -> report, never back). Layout lives in `report/templates/` (Jinja2); the
modules shape data into rows and cells.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
DATA_DIR = HERE / "data"
SCHEMAS_DIR = HERE / "schemas"
TEMPLATES_DIR = HERE / "templates"
