"""The measurement window of a Locust run (benchmarks/locustfile.py imports this module, which registers it).

The window opens `--warmup` seconds after every user is running and has finished its set-up login, and closes
`--measure` seconds later; a set-up entry marks both ends, so requests/s is completions in a fixed window over its
length. A slow set-up (a login whose cost grows with the sessions an account holds) would otherwise keep the
server's workers busy inside the window of the requests it prepares.
"""

from __future__ import annotations

import sys
from typing import Any

import gevent
from locust import events
from locust.env import Environment
from locust.runners import MasterRunner, WorkerRunner

from benchmarks.scenarios import WINDOW_MARK

# Set-up logins this process has finished (or given up on); the warm-up waits for them, at most this long.
_SET_UP = {"finished": 0}
SET_UP_WAIT_SECONDS = 180.0


def set_up_finished() -> None:
    """A user's set-up login ended (`ManifestUser.log_in_for_setup`), whatever its outcome."""
    _SET_UP["finished"] += 1


def _wait_for_set_up(environment: Environment) -> float:
    """Until every running user of a class that sets up has finished its set-up login, at most
    SET_UP_WAIT_SECONDS; the seconds waited. A master of distributed workers cannot see their users: no wait."""
    runner = environment.runner
    if isinstance(runner, MasterRunner) or not any(getattr(c, "sets_up", False) for c in environment.user_classes):
        return 0.0
    waited = 0.0
    while runner is not None and _SET_UP["finished"] < runner.user_count and waited < SET_UP_WAIT_SECONDS:
        gevent.sleep(0.05)
        waited += 0.05
    return waited


@events.init.add_listener
def _measurement_window(environment: Environment, **_kwargs: Any) -> None:
    """Reset the stats `--warmup` seconds after every user is running and has set up, and mark the window's ends.

    `--reset-stats` alone resets when spawning completes, before the users' first answers and while the
    server may still be busy with the previous run's queue; the figures start after a warm-up at full load.
    The mark is one set-up entry fired right after the reset and again when the run stops: its start time
    and last timestamp bound the window, so requests/s is completions in a fixed window over its length."""
    runner, options = environment.runner, environment.parsed_options
    if runner is None or options is None or isinstance(runner, WorkerRunner):
        return  # the master (or the local runner) started from the command line owns the reported stats

    def mark() -> None:
        environment.events.request.fire(
            request_type="MARK", name=WINDOW_MARK, response_time=0, response_length=0, exception=None, context={}
        )

    def reset_later() -> None:
        waited = _wait_for_set_up(environment)
        if waited >= 1:
            print(f"set-up logins took {waited:.1f} s; the warm-up starts now", file=sys.stderr)
        gevent.sleep(options.warmup)
        runner.stats.reset_all()
        mark()
        if options.measure:
            # Ending the run here rather than by --run-time: that timer is armed against the event loop's
            # clock, which start-up leaves stale, and cut quick runs about a second short.
            gevent.sleep(options.measure)
            runner.quit()

    environment.events.spawning_complete.add_listener(lambda user_count: gevent.spawn(reset_later))
    environment.events.test_stopping.add_listener(lambda environment: mark())
