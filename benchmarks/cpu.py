"""Where the CPU went during a benchmark run, read from Linux's /proc: the load generator, the server, the database.

A figure only says what a library costs if the load generator had headroom: a Locust process near a full core
sends requests late, and the figure is then the generator's, not the server's. The runner samples, a few times a
second while Locust runs, the CPU seconds of three process trees: Locust (the process it started, with any
`--processes` children), gunicorn (its master and workers, found by the port it binds) and the PostgreSQL server
(the postmaster and its backends; none on SQLite, which runs inside the workers). A tree's CPU is the sum over its
live processes of their own and their reaped children's time (`utime + stime + cutime + cstime`), so a
short-lived child (a PostgreSQL backend per connection) is still counted once its parent reaps it. The use over
the measurement window is the difference between the samples that bracket Locust's own window marks.

The database server is placed too (`place_database`): where the runner pins the served variant, a local
PostgreSQL is pinned with it (its postmaster and backends; new backends inherit the affinity) and put back as it
was afterwards, so Locust keeps a core of its own; the header records which CPUs it had and why.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SAMPLE_SECONDS = 0.25


@dataclass(frozen=True)
class Process:
    pid: int
    ppid: int
    comm: str
    own: float  # CPU seconds of the process itself
    reaped: float  # CPU seconds of its children it has waited for


def read_processes(proc: Path = PROC) -> dict[int, Process]:
    """Every process /proc shows now; one that exits while being read is left out."""
    found: dict[int, Process] = {}
    for entry in proc.iterdir() if proc.exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        # The name is in parentheses and may hold spaces or parentheses itself: fields restart after the last ")".
        comm = text[text.index("(") + 1 : text.rindex(")")]
        rest = text[text.rindex(")") + 2 :].split()
        utime, stime, cutime, cstime = (int(value) for value in rest[11:15])
        found[int(entry.name)] = Process(int(entry.name), int(rest[1]), comm, (utime + stime) / TICKS,
                                         (cutime + cstime) / TICKS)  # fmt: skip
    return found


def tree(processes: dict[int, Process], roots: Sequence[int]) -> set[int]:
    """The roots still alive and every descendant of theirs."""
    children: dict[int, list[int]] = {}
    for process in processes.values():
        children.setdefault(process.ppid, []).append(process.pid)
    found, todo = set(), [root for root in roots if root in processes]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, ()))
    return found


def cmdline(pid: int, proc: Path = PROC) -> str:
    try:
        return (proc / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def gunicorn_roots(port: int, processes: dict[int, Process] | None = None) -> list[int]:
    """The gunicorn master serving 127.0.0.1:`port` (its workers share its command line, so: the one whose
    parent does not)."""
    processes = read_processes() if processes is None else processes
    bind = f"127.0.0.1:{port}"
    serving = {pid for pid in processes if "gunicorn" in (line := cmdline(pid)) and bind in line}
    return sorted(pid for pid in serving if processes[pid].ppid not in serving)


def postgres_roots(processes: dict[int, Process] | None = None) -> list[int]:
    """Every PostgreSQL postmaster on this machine (a `postgres` process whose parent is not one)."""
    processes = read_processes() if processes is None else processes
    named = {pid for pid, process in processes.items() if process.comm.startswith("postgres")}
    return sorted(pid for pid in named if processes[pid].ppid not in named)


@dataclass
class Sampler:
    """Samples the CPU seconds of named process trees in a thread while a run goes on (`with sampler.running()`)."""

    groups: dict[str, list[int]]  # name -> root pids
    # Where the sampling thread runs: Locust's CPUs, so the scans (a few ms each) do not take the server's CPU.
    cpus: Sequence[int] | None = None
    samples: list[tuple[float, dict[str, tuple[float, dict[int, float]]]]] = field(default_factory=list)

    def sample(self) -> None:
        processes = read_processes()
        taken: dict[str, tuple[float, dict[int, float]]] = {}
        for name, roots in self.groups.items():
            members = tree(processes, roots)
            own = {pid: processes[pid].own for pid in members}
            taken[name] = (sum(processes[pid].own + processes[pid].reaped for pid in members), own)
        self.samples.append((time.time(), taken))

    @contextlib.contextmanager
    def running(self) -> Iterator[Sampler]:
        stop = threading.Event()

        def loop() -> None:
            if self.cpus and hasattr(os, "sched_setaffinity"):
                with contextlib.suppress(OSError):
                    os.sched_setaffinity(threading.get_native_id(), set(self.cpus))  # this thread only
            while not stop.wait(SAMPLE_SECONDS):
                self.sample()

        self.sample()
        thread = threading.Thread(target=loop, name="cpu-sampler", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()
            self.sample()

    def window(self, start: float, end: float) -> dict[str, Any] | None:
        """Each group's CPU over [start, end] (epoch seconds): from the last sample at or before `start` to the
        first at or after `end`. `cores` is CPU seconds per second (1.0 = one core busy); `busiest_process` is the
        share of one core the busiest single process of the group used. None without two bracketing samples."""
        before = [s for s in self.samples if s[0] <= start]
        after = [s for s in self.samples if s[0] >= end]
        if not before or not after or after[0][0] <= before[-1][0]:
            return None
        t0, first = before[-1]
        used: dict[str, Any] = {"seconds": round(after[0][0] - t0, 3)}
        for name in self.groups:
            # A group gone by the first sample after `end` (Locust exits when its run ends; on a loaded machine the
            # sample can come after that) is read at its last sample alive, so its CPU is not lost with it.
            alive = [s for s in self.samples if s[0] > t0 and s[1].get(name, (0.0, {}))[1]]
            t1, last = next((s for s in alive if s[0] >= end), alive[-1] if alive else after[0])
            seconds = t1 - t0
            total0, own0 = first.get(name, (0.0, {}))
            total1, own1 = last.get(name, (0.0, {}))
            busiest = max((own1[pid] - own0.get(pid, 0.0) for pid in own1), default=0.0)
            used[name] = {"cpu_seconds": round(total1 - total0, 3), "cores": round((total1 - total0) / seconds, 3),
                          "busiest_process": round(busiest / seconds, 3), "processes": len(own1)}  # fmt: skip
        return used


def is_local_postgres(database_url: str | None) -> bool:
    if not database_url or not database_url.startswith(("postgres://", "postgresql://")):
        return False
    return (urlsplit(database_url).hostname or "localhost") in ("localhost", "127.0.0.1", "::1")


@contextlib.contextmanager
def place_database(database_url: str | None, server_cpus: Sequence[int], pin: bool) -> Iterator[dict[str, Any]]:
    """Pin a local PostgreSQL server to the served variant's CPUs for the run, then put each process's affinity
    back; yields what the header records (kind, placement, CPUs, postmasters)."""
    if not (database_url or "").startswith(("postgres://", "postgresql://")):
        yield {"kind": "sqlite", "placement": "inside the gunicorn workers (SQLite is a library, not a server)"}
        return
    record: dict[str, Any] = {"kind": "postgresql", "postmasters": []}
    if not is_local_postgres(database_url):
        yield {**record, "placement": "remote: not on this machine, not pinned, its CPU not counted"}
        return
    processes = read_processes()
    roots = postgres_roots(processes)
    record["postmasters"] = roots
    if not roots:
        yield {**record, "placement": "not found in /proc (another container?): not pinned, its CPU not counted"}
        return
    if not pin:
        yield {**record, "placement": "not pinned: it may use any CPU, Locust's too", "cpus": _affinity(roots[0])}
        return
    saved: dict[int, set[int]] = {}
    for pid in tree(processes, roots):
        with contextlib.suppress(OSError):  # gone, or not ours to move (PermissionError): checked below
            saved[pid] = os.sched_getaffinity(pid)
            os.sched_setaffinity(pid, set(server_cpus))
    if not any(pid in saved for pid in roots) or _affinity(roots[0]) != sorted(server_cpus):
        _restore(saved)
        yield {**record, "placement": "not pinned: no permission to set its CPU affinity", "cpus": _affinity(roots[0])}
        return
    # A runner stopped by SIGTERM (a timeout, nox interrupted) still reaches `finally` and puts the server back;
    # SIGKILL cannot be caught: `taskset -pac <cpus> <postmaster pid>` then restores it by hand.
    previous = (
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        if threading.current_thread() is threading.main_thread()
        else None
    )
    try:
        was = {str(pid): sorted(saved[pid]) for pid in roots if pid in saved}  # each postmaster's CPUs before
        yield {**record, "placement": "pinned with the served variant", "cpus": sorted(server_cpus),
               "restored_after_run": True, "was": was}  # fmt: skip
    finally:
        _restore(saved)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _affinity(pid: int) -> list[int] | None:
    try:
        return sorted(os.sched_getaffinity(pid))
    except OSError:
        return None


def _restore(saved: dict[int, set[int]]) -> None:
    for pid, cpus in saved.items():
        with contextlib.suppress(OSError):
            os.sched_setaffinity(pid, cpus)


def watch_for(base_url: str, database_url: str | None) -> dict[str, list[int]]:
    """The process trees a run against `base_url` watches besides Locust: the gunicorn serving it (when it runs
    here) and a local PostgreSQL server."""
    port = urlsplit(base_url).port
    host = urlsplit(base_url).hostname
    groups: dict[str, list[int]] = {}
    if port and host in ("127.0.0.1", "localhost"):
        groups["server"] = gunicorn_roots(port)
    if is_local_postgres(database_url):
        groups["database"] = postgres_roots()
    return groups
