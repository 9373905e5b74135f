"""The `me` profile (`benchmarks/profile_me.py`) on one variant, and its grouping and rendering on hand-made data.

The end-to-end case profiles knox-token with a few requests in a temporary folder and checks what kind of
figures came out: both requests timed, the library's own code found in `me` and absent from the baseline,
DRF's authentication step measured. Never how large any figure is: that depends on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.profile_me import group_of
from harness.manifest import REPO_ROOT

VARIANT = "knox-token"


def test_profile_finds_the_library_in_me_and_not_in_the_baseline(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "benchmarks.profile_me", "--variant", VARIANT, "--requests", "50",
               "--out", str(tmp_path)]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    entry = json.loads((tmp_path / "summary.json").read_text())["variants"][VARIANT]
    assert entry["status"] == "profiled"
    me, base = entry["me"], entry["baseline_drf"]
    assert me["us_per_request"] > 0 and base["us_per_request"] > 0 and len(me["rounds_us"]) == 5
    assert me["groups_us"].get("knox", 0) > 0 and "knox" not in base["groups_us"]
    assert me["drf_authentication_profiled_us"] > 0
    sql = entry["sql"]
    assert set(sql) == {"login_first", "me", "login_100", "me_after_100"}
    assert sql["login_first"]["writes"] >= 1 and sql["me"]["total"] >= 1  # knox stores a token row per login
    assert entry["me_after_100_us_per_request"] > 0
    assert f"{VARIANT}: me " in done.stdout


def test_functions_are_grouped_by_package() -> None:
    site = "/venv/lib/python3.11/site-packages"
    assert group_of(f"{site}/django/db/models/query.py", "get") == "django.db"
    assert group_of(f"{site}/django/contrib/sessions/backends/db.py", "load") == "django.contrib.sessions"
    assert group_of(f"{site}/knox/auth.py", "authenticate_credentials") == "knox"
    assert group_of("~", "<method 'execute' of 'sqlite3.Cursor' objects>") == "sqlite3 (C)"
    assert group_of("~", "<built-in method _hashlib.openssl_sha512>") == "hashing (C)"
    assert group_of("/usr/lib/python3.11/json/decoder.py", "decode") == "stdlib: decoder"
    assert group_of(str(REPO_ROOT / "backends" / "knox" / "views.py"), "get") == "project: backends/knox"
