"""Every scenario's declared `cycle` (what the cost curves' work probe counts, benchmarks/work.py) is what its Locust
user class actually sends per iteration, and its set-up is the one login the probe sends first.

Each user class runs with its `perform` recording the operations instead of sending them (our own method, not a
library: the probe and the locustfile are what is compared), in a child process because Locust must patch `ssl` before
anything imports it. No server: a user's task body is the evidence.
`test_a_wrong_cycle_is_caught` keeps the demonstration that the comparison can fail.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.scenarios import SCENARIOS

VARIANT = "knox-token"  # binds login, me and logout (every operation a curve scenario needs)
ITERATIONS = 3


def sent(user_class: str) -> tuple[list[str], list[str]]:
    """(set-up operations, operations of ITERATIONS task iterations) that `user_class` performs (Locust imported)."""
    from locust.env import Environment

    from benchmarks import locustfile
    from harness.client import Received

    cls: Any = getattr(locustfile, user_class)
    options = argparse.Namespace(variant=VARIANT, backends_dir=str(locustfile.BACKENDS_DIR), account_prefix="bench",
                                 account_password="x", seeded_users=10, first_pk=1, account_offset=0,
                                 arrival_rate=0.0, num_users=1)  # fmt: skip
    environment = Environment(user_classes=[cls])
    cls.host = "http://127.0.0.1:9"  # nothing listens there, and perform (below) sends nothing
    environment.parsed_options = options
    user = cls(environment)
    log: list[str] = []

    def perform(operation: str, **_kwargs: Any) -> Received:
        log.append(operation)
        return Received("{}", {})

    user.perform = perform
    user.on_start()
    set_up = list(log)
    log.clear()
    tasks = user.tasks
    assert len(tasks) == 1, f"{user_class} has {len(tasks)} tasks; a cycle describes one"
    for _ in range(ITERATIONS):
        tasks[0](user)
    return set_up, log


def _sent(user_class: str) -> tuple[list[str], list[str]]:
    code = f"import locust, json; from benchmarks.test_cycle import sent; print(json.dumps(sent({user_class!r})))"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    set_up, operations = json.loads(done.stdout.strip().splitlines()[-1])
    return set_up, operations


def _mismatch(name: str, cycle: tuple[str, ...]) -> str | None:
    """Why `cycle` is not what `name`'s user class sends, or None. The work probe (benchmarks.work.cycle_work) sends a
    login first unless the cycle starts with one, then the cycle: the user's set-up must be that login."""
    needs = SCENARIOS[name].needs
    set_up, sent = _sent(SCENARIOS[name].user_class)
    expected_set_up = ["login"] if "login" in needs and cycle[0] != "login" else []
    if set_up != expected_set_up:
        return f"{name}: the user sets up with {set_up}, the probe with {expected_set_up}"
    if sent != list(cycle) * ITERATIONS:
        return f"{name}: {ITERATIONS} iterations sent {sent}, the cycle {cycle} says {list(cycle) * ITERATIONS}"
    return None


@pytest.mark.parametrize("name", [n for n, s in SCENARIOS.items() if s.cycle])
def test_declared_cycle_is_what_the_locust_user_sends(name: str) -> None:
    assert _mismatch(name, SCENARIOS[name].cycle) is None


@pytest.mark.parametrize(("name", "wrong"), [("logout_login", ("login", "logout")), ("logout_login", ("logout",)),
                                             ("me", ("login", "me")), ("login_fast", ("me",))])  # fmt: skip
def test_a_wrong_cycle_is_caught(name: str, wrong: tuple[str, ...]) -> None:
    """The demonstration that the comparison can fail: cycles one step off what the task body sends."""
    assert _mismatch(name, wrong) is not None
