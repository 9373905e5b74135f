"""A few commands at once, each with its output in a file: the tests session's suites on CI's two cores.

The contract suites spend most of their time waiting for a server's answer, a password hash or a short lifetime to
pass. Two pytest processes, each with its own variants, share nothing: every server binds a free port of its own,
Redis keys carry a prefix per run (harness/services.py), every PostgreSQL run creates a database of its own and the
connection-kill fault ends only that database's connections. A timing statistic the neighbour makes noisier comes out
inconclusive (a skip), never a different verdict. Each command's output is printed whole when it ends (in the order
they end), with its exit code and time, so a CI log reads like the sequential run's; an interrupted run stops every
command, waits for each to end, and prints what each had written.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# How many at once: CI's machine has two cores, and a third suite would only queue behind them.
AT_ONCE = 2


@dataclass(frozen=True)
class Job:
    """One command: what to call it in the log, the command, and environment over the caller's."""

    label: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)


def split(names: Sequence[str], parts: int = AT_ONCE) -> list[list[str]]:
    """`names` dealt round-robin into at most `parts` non-empty lists (order within each kept)."""
    dealt = [list(names[start::parts]) for start in range(parts)]
    return [part for part in dealt if part]


def run(jobs: Sequence[Job], echo: Callable[[str], None] = print, at_once: int = AT_ONCE) -> list[str]:
    """Run the jobs `at_once` at a time, in the order given; print each one's output when it ends; the labels of
    those that exited non-zero."""
    folder = Path(tempfile.mkdtemp(prefix="authcmp-concurrent-"))
    pending, failed = list(enumerate(jobs)), []
    running: list[tuple[Job, Path, subprocess.Popen[bytes], float]] = []
    echo(f"{len(jobs)} jobs, {at_once} at a time: " + "; ".join(job.label for job in jobs))
    try:
        while pending or running:
            while pending and len(running) < at_once:
                number, job = pending.pop(0)
                log = folder / f"{number}.log"
                with log.open("wb") as out:
                    env = {**os.environ, **job.env}
                    process = subprocess.Popen(job.command, stdout=out, stderr=subprocess.STDOUT, env=env)
                running.append((job, log, process, time.monotonic()))
            for entry in [entry for entry in running if entry[2].poll() is not None]:
                job, log, process, began = entry
                running.remove(entry)
                echo(f"--- {job.label}: exit {process.returncode} after {time.monotonic() - began:.0f} s ---")
                echo(log.read_text(errors="replace"))
                if process.returncode != 0:
                    failed.append(job.label)
            time.sleep(0.5)
        return failed
    finally:
        for job, log, process, _ in running:  # interrupted: stop each the way Ctrl-C does, so pytest stops its servers
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            echo(f"--- {job.label}: stopped (exit {process.returncode}); what it wrote ---")
            echo(log.read_text(errors="replace"))
        shutil.rmtree(folder, ignore_errors=True)
