"""The measurement window opens only after every simulated user's set-up login has finished.

A `me` run logs each user in once first ("setup: login", left out of the figures). Where that login is slow, the
set-ups used to spill into the measured window and take the server's workers from the requests being measured
(seen on allauth headless with 169 sessions per account: `me` fell from about 300 to 40 req/s). Here the set-up
logins are slow for a plain reason, the production hasher (PBKDF2, about 0.3 s each on two workers for 16 users),
and the window must still see none of them: Locust's stats reset when the window opens, so a set-up that ended
after it would be counted in the run's stats. Red without the wait in `benchmarks/window.py`.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

if not importlib.util.find_spec("locust"):
    pytest.skip("the benchmarks need the `bench` dependency group (locust, matplotlib)", allow_module_level=True)

from benchmarks import measure, prepare
from benchmarks.scenarios import ACCOUNT_PASSWORD, ACCOUNT_PREFIX, SETUP_PREFIX
from harness.manifest import BACKENDS_DIR, load
from harness.server import run_server

VARIANT, USERS = "knox-token", 16


def test_no_set_up_login_ends_inside_the_measured_window(tmp_path: Path) -> None:
    manifest = load(VARIANT)
    with run_server(manifest, profile="production", workdir=tmp_path / "server", workers=2) as server:
        info = prepare.seed(manifest, server, "production", USERS)
        options = {"users": USERS, "spawn_rate": USERS, "warmup": 1.0, "duration": 2.0, "variant": VARIANT,
                   "seeded_users": info["count"], "first_pk": info.get("first_pk") or 1,
                   "account_prefix": ACCOUNT_PREFIX, "account_password": ACCOUNT_PASSWORD,
                   "backends_dir": BACKENDS_DIR}  # fmt: skip
        result = measure.run_locust("MeUser", server.base_url, tmp_path / "run" / "me", options, None)
    entries = json.loads((tmp_path / "run" / "me.json").read_text())
    set_up = [e for e in entries if e["name"] == SETUP_PREFIX + "login"]
    assert sum(e["num_requests"] for e in set_up) == 0, "set-up logins ended inside the measured window"
    assert result["requests"] > 0 and result["failures"] == 0
