"""`time_hasher`: how long one password hash takes with the settings' hasher, on this process's CPUs.

The benchmarks derive the hash limit (the most logins per second a server can answer, whatever the library)
from it, so it is timed with the hasher the server itself would use: the one these settings select, which
the runner picks with the production profile. Only the encoding is timed, not Django's start-up. The
command prints one JSON line: the algorithm, its iterations (null for a hasher without), the fastest
sample in seconds (other work on the machine only slows a hash, so the minimum is the hasher's own cost),
the median and every sample.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from django.contrib.auth.hashers import get_hasher
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backends.common.management.commands.seed_users import DEFAULT_PASSWORD


class Command(BaseCommand):
    help = "Time N encodings of a password with the configured hasher; print one JSON line."
    # Timing a hash needs neither the database nor the project's checks; skipping them keeps the call short.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--samples", type=int, default=7, help="encodings to time (default 7)")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="the password to hash")

    def handle(self, *args: Any, samples: int, password: str, **options: Any) -> None:
        if samples < 1:
            raise CommandError("--samples must be at least 1")
        hasher = get_hasher()
        timings = []
        for _ in range(samples):
            start = time.perf_counter()
            hasher.encode(password, hasher.salt())
            timings.append(time.perf_counter() - start)
        self.stdout.write(
            json.dumps(
                {
                    "algorithm": hasher.algorithm,
                    "iterations": getattr(hasher, "iterations", None),
                    "seconds": min(timings),
                    "median_seconds": statistics.median(timings),
                    "samples": timings,
                }
            )
        )
