"""What the Locust users send and what they count as success, checked without a server.

Every scenario's declared `cycle` (what the cost curves' work probe counts, benchmarks/work.py) is what its user class
sends per iteration, and its set-up is the one login the probe sends first: the class runs with its `perform`
recording the operations instead of sending them (our own method, not a library). And a sign-up that hands out no
credential, where the suite has verified that the variant's sign-up hands out none (mandatory verification), counts
as an account created, while a login without its access credential still fails: there the class answers through a
stand-in for Locust's HTTP client that returns the operation's declared success status with an empty JSON body.
Each runs in a child process because Locust must patch `ssl` before anything imports it. `test_a_wrong_cycle_is_caught`
and the login case keep the demonstrations that both checks can fail.
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
from harness.capabilities import declared
from harness.manifest import discover

VARIANT = "knox-token"  # binds login, me and logout (every operation a curve scenario needs)
ITERATIONS = 3


def _user(user_class: str, variant: str) -> Any:
    """An instance of the locustfile's `user_class` driving `variant` (in the child process: Locust imported)."""
    from locust.env import Environment

    from benchmarks import locustfile

    cls: Any = getattr(locustfile, user_class)
    options = argparse.Namespace(variant=variant, backends_dir=str(locustfile.BACKENDS_DIR), account_prefix="bench",
                                 account_password="x", seeded_users=10, first_pk=1, account_offset=0,
                                 arrival_rate=0.0, num_users=1)  # fmt: skip
    environment = Environment(user_classes=[cls])
    cls.host = "http://127.0.0.1:9"  # nothing listens there, and nothing here sends
    environment.parsed_options = options
    return cls(environment)


def sent(user_class: str) -> tuple[list[str], list[str]]:
    """(set-up operations, operations of ITERATIONS task iterations) that `user_class` performs."""
    from harness.client import Received

    user = _user(user_class, VARIANT)
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


def judged(user_class: str, variant: str) -> str:
    """ "success", or the failure reason, of one task of `user_class` whose request is answered with its operation's
    declared success status and the body `{}` (no credential in it)."""
    user = _user(user_class, variant)
    verdicts: list[str] = []

    class Reply:
        text = "{}"

        def __init__(self, status: int) -> None:
            self.status_code = status

        def __enter__(self) -> Reply:
            return self

        def __exit__(self, *_exc: object) -> None:
            return None

        def success(self) -> None:
            verdicts.append("success")

        def failure(self, reason: str) -> None:
            verdicts.append(reason)

    class Client:
        cookiejar: list[Any] = []

        def request(self, method: str, path: str, *, name: str, **_kwargs: Any) -> Reply:
            return Reply(sorted(user.manifest.operation(name).status)[0])  # a `perform` names it by its operation

    user.on_start()
    user.client = Client()
    user.tasks[0](user)
    return verdicts[-1]


def _in_child(call: str) -> Any:
    """`call` (an expression on this module) evaluated in a child process that imports Locust first."""
    code = f"import locust, json; from benchmarks import test_locust_users as t; print(json.dumps(t.{call}))"
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sent(user_class: str) -> tuple[list[str], list[str]]:
    set_up, operations = _in_child(f"sent({user_class!r})")
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


# Measured variants whose sign-up the suite verified hands out no credential (`registration_returns_credential` false).
SIGN_UP_WITHOUT_CREDENTIAL = [name for name, manifest in discover().items() if not manifest.observes
                              and declared(manifest, "registration_returns_credential")["claim"] is False]  # fmt: skip


@pytest.mark.parametrize("variant", SIGN_UP_WITHOUT_CREDENTIAL)
def test_sign_up_without_credential_counts_as_an_account(variant: str) -> None:
    """Red before the fix for the four allauth hardened modes, whose sign-ups inherit where the default mode's sign-up
    puts a credential: a quick compare counted 16 of 16 sign-ups failed for three of them ("register: no access
    credential at body:key"; the session mode's pending flow carries a session token where its access is declared)."""
    assert _in_child(f"judged('RegisterUser', {variant!r})") == "success"


@pytest.mark.parametrize("variant", SIGN_UP_WITHOUT_CREDENTIAL)
def test_login_without_access_credential_still_fails(variant: str) -> None:
    assert "no access credential" in _in_child(f"judged('LoginUser', {variant!r})")


def test_sign_up_of_a_variant_that_claims_a_credential_must_hand_one_out() -> None:
    """knox-token claims registration_returns_credential: a sign-up answered without its token is counted failed."""
    assert "no access credential" in _in_child("judged('RegisterUser', 'knox-token')")
