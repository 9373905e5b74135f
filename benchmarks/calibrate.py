"""The load generator's own limit, measured once per run before anything else (`calibrate`).

Locust, a Python process, sends a few thousand requests a second at most; a figure near that rate is the
generator's, not the server's. Once per run the runner serves the first variant on the bench profile and runs the
cheapest scenario, `baseline_plain` (a plain Django view, no database), watching the CPU of Locust and of the
server. The generator's maximum rate is what its busiest process would send at a full core: requests/s divided
by that process's share of a core, times the processes. When the generator itself was the bound (busier than
`rules.GENERATOR_BUSY`) and the machine leaves Locust more CPUs, the run is repeated with `--processes` doubled,
up to those CPUs, and the runs that follow use the processes the calibration settled on.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import cpu, prepare
from benchmarks.config import RunConfig
from benchmarks.measure import drain, run_locust, scenario_options
from benchmarks.progress import Progress
from benchmarks.scenarios import SCENARIOS
from harness.manifest import Manifest
from harness.server import ServerError, run_server

SCENARIO = "baseline_plain"  # the cheapest endpoint every variant serves


def calibrate(manifest: Manifest, args: RunConfig, run_dir: Path, progress: Progress,
              extra_env: dict[str, str] | None) -> dict[str, Any]:  # fmt: skip
    """The generator's maximum rate and the Locust processes the run uses; an error is recorded, not raised."""
    try:
        if args.host:
            return _calibrate(manifest, args.host, {"count": args.seed_users, "first_pk": args.first_pk}, args,
                              run_dir, progress, {})  # fmt: skip
        with (
            tempfile.TemporaryDirectory(prefix=f"authcmp-calibrate-{manifest.variant}-") as workdir,
            run_server(manifest, database_url=args.database_url, profile="bench", workers=args.workers,
                       workdir=Path(workdir), extra_env=extra_env, access_log=False) as server,
        ):  # fmt: skip
            info = prepare.seed(manifest, server, "bench", min(args.seed_users, 100))
            watch = cpu.watch_for(server.base_url, args.database_url)
            return _calibrate(manifest, server.base_url, info, args, run_dir, progress, watch)
    except (ServerError, subprocess.CalledProcessError, RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
        detail = exc.stderr if isinstance(exc, subprocess.CalledProcessError) else str(exc)
        return {"status": f"error: {str(detail).strip()[-1000:]}", "processes": args.locust_processes}


def _calibrate(manifest: Manifest, base_url: str, info: dict[str, Any], args: RunConfig, run_dir: Path,
               progress: Progress, watch: dict[str, list[int]]) -> dict[str, Any]:  # fmt: skip
    load_cpus = len(args.load_cpus) if args.load_cpus else len(args.server_cpus) or 1
    processes, tries = args.locust_processes, []
    while True:
        progress.note(f"calibrating the load generator: {SCENARIO} on {manifest.variant}, {processes} Locust process")
        options = {**scenario_options(manifest, info, args), "processes": processes}
        prefix = run_dir / "calibration" / f"{SCENARIO}-p{processes}"
        result = run_locust(SCENARIOS[SCENARIO].user_class, base_url, prefix, options, args.load_cpus, watch)
        drain(base_url, args.workers)
        tries.append(summarise(result, processes))
        if not result["generator_bound"] or processes >= load_cpus:
            break
        processes = min(processes * 2, load_cpus)
    chosen = tries[-1]
    progress.note(f"  generator: {chosen['rps']:,.0f} req/s with its busiest process at "
                  f"{chosen['generator_busiest_process'] or 0:.0%} of a core; max about "
                  f"{chosen['generator_max_rps'] or 0:,.0f} req/s")  # fmt: skip
    return {"status": "measured", "scenario": SCENARIO, "variant": manifest.variant, "processes": processes,
            "load_cpus": load_cpus, "generator_max_rps": chosen["generator_max_rps"],
            "generator_bound": chosen["generator_bound"], "tries": tries}  # fmt: skip


def summarise(result: dict[str, Any], processes: int) -> dict[str, Any]:
    """One calibration run: its rate, the CPU of each side, and the rate the generator would reach at a full core."""
    used = result.get("cpu") or {}
    generator, server = used.get("generator") or {}, used.get("server") or {}
    busiest = generator.get("busiest_process")
    return {
        "processes": processes, "rps": result["rps"], "failures": result["failures"], "files": result["files"],
        "generator_cores": generator.get("cores"), "generator_busiest_process": busiest,
        "server_cores": server.get("cores"), "generator_bound": result["generator_bound"],
        # Processes share the load about evenly: the busiest one at a full core would carry rps / busiest.
        "generator_max_rps": result["rps"] / busiest if busiest else None,
    }  # fmt: skip
