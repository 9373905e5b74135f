"""Serve one variant by hand: `python -m harness.serve VARIANT [--port 8000]` (what `nox -s serve` runs).

The database is a persistent SQLite file under `var/<variant>/` (git-ignored), migrated on start, so
accounts survive restarts and a newcomer can repeat the seed's curl commands. Ctrl-C stops the server.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from harness.manifest import REPO_ROOT, load
from harness.server import run_server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="nox -s 'serve(VARIANT)' --", description=__doc__.splitlines()[0])
    parser.add_argument("variant")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", default="production", choices=("production", "test", "bench"))
    args = parser.parse_args(argv)
    # A plain `kill` must stop gunicorn too: turn SIGTERM into an exit that runs the cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    manifest = load(args.variant)
    workdir = REPO_ROOT / "var" / args.variant
    database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
    with run_server(
        manifest, database_url=database_url, profile=args.profile, port=args.port,
        workers=args.workers, workdir=workdir, fresh_database=False,
    ) as server:  # fmt: skip
        print(f"{args.variant} ({manifest.library}) serving at {server.base_url}/  [Ctrl-C stops]", flush=True)
        print(
            f"  database {workdir / 'db.sqlite3'}, mail in {server.mail_dir}, log {server.log_path}",
            flush=True,
        )
        for name in ("register", "login", "me", "logout"):
            op = manifest.operation(name)
            print(f"  {name:<9} {op.method:<6} {server.base_url}{op.path}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("stopping", flush=True)


if __name__ == "__main__":
    main()
