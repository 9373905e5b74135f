"""Render the report: `python -m report [--data report/data] [--out report]`, from the published records only.

Writes `COMPARISON.md`, `variants/<variant>.md`, `report.html` and `charts/` under `--out`, and removes the
charts and variant pages the data no longer has. `python -m report.export` puts a run's records in `--data`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from report import DATA_DIR, HERE
from report.data import load
from report.render import render, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m report", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the records to render (default report/data)")
    parser.add_argument("--out", type=Path, default=HERE, help="where the pages go (default report/)")
    args = parser.parse_args(argv)
    data = load(args.data)
    written = write(render(data), args.out)
    records = ", ".join(data.present)
    print(f"wrote {len(written)} files under {args.out} ({len(data.columns)} variants; records: {records})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
