"""The fuzz harness runs, writes a result per operation, and reports a 5xx when a variant answers one.

Each run starts a real variant and a schemathesis subprocess (`python -m harness.fuzz --quick`, about half a
minute). The broken fake `broken-server_error` (harness_tests/fake_backends/broken) crashes its login on any
non-ASCII input, which the fuzzer must find and the harness must turn into a failed run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.fuzz import CASE, OTHER, declared_server_errors, verdict
from harness.manifest import REPO_ROOT, Manifest
from harness.results import Schema

pytest.importorskip("schemathesis", reason="the fuzz harness needs the `fuzz` dependency group (schemathesis)")

FAKES = Path(__file__).parent / "fake_backends"


def fuzz(out: Path, *args: str) -> tuple[int, str]:
    command = [sys.executable, "-m", "harness.fuzz", "--quick", "--seed", "1", "--out", str(out), *args]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    return done.returncode, done.stdout + done.stderr


def test_quick_fuzz_of_knox_records_every_operation(tmp_path: Path) -> None:
    code, output = fuzz(tmp_path, "--variant", "knox-token")
    result = json.loads((tmp_path / "knox-token.json").read_text())
    assert code == 0, output
    assert result["header"]["schema"] == Schema.FUZZ and result["header"]["max_examples"] == 25
    contract = {name for name in result["operations"] if not name.startswith(OTHER)}
    assert contract == {"register", "login", "me", "update_me", "logout", "logout_all"}
    for name, entry in result["operations"].items():
        assert entry["inputs"] > 0, (name, entry)
        assert isinstance(entry["server_errors"], int) and isinstance(entry["no_response"], int), (name, entry)
    assert result["posture"] == {"id": CASE, "finding": "pass", "expected": "pass", "reason": "", "endpoints": []}
    assert "| knox-token | update_me | PATCH /api/auth/user/ | shared |" in output


def test_fuzzing_finds_the_fake_login_that_crashes_on_non_ascii(tmp_path: Path) -> None:
    code, output = fuzz(tmp_path, f"--backends-dir={FAKES}", "--variant", "broken-server_error")
    result = json.loads((tmp_path / "broken-server_error.json").read_text())
    login = result["operations"]["login"]
    assert code == 1, output
    assert login["server_errors"] > 0, login
    assert login["examples"][0]["status"] == 500 and login["examples"][0]["url"] == "/auth/token/login/"
    assert login["failing"] == ["POST /auth/token/login/"], login
    crashes = result["server_exceptions"]["/auth/token/login/"]
    assert any("non-ASCII input crashes this login on purpose" in line for line in crashes), crashes
    assert result["posture"]["finding"] == "fail"
    assert "FAIL broken-server_error: undeclared server errors: POST /auth/token/login/" in output


def _result(expected: str, failing: list[str], endpoints: tuple[str, ...] = (), no_response: int = 0) -> dict:
    operation = {"method": "POST", "path": "/x/", "failing": failing, "no_response": no_response}
    posture = {"expected": expected, "endpoints": list(endpoints)}
    return {"variant": "v", "operations": {"x": operation}, "posture": posture}


def test_only_undeclared_server_errors_fail_the_run() -> None:
    assert verdict(_result("pass", [])) is None
    assert verdict(_result("pass", ["POST /x/"])) == "v: undeclared server errors: POST /x/"
    assert verdict(_result("pass", [], no_response=2)) == "v: undeclared server errors: POST /x/ (2× no answer)"
    assert verdict(_result("fail", ["POST /x/"])) == "v: undeclared server errors: POST /x/", "pinned or nothing"
    assert verdict(_result("fail", ["OPTIONS /x/"], ("OPTIONS /x/",))) is None, "declared for that endpoint"
    assert verdict(_result("fail", ["POST /x/", "OPTIONS /x/"], ("OPTIONS /x/",))) == (
        "v: undeclared server errors: POST /x/"
    ), "a 5xx beside the declared endpoint still fails"
    assert verdict({"variant": "v", "error": "ServerError: x"}) == "v: the fuzz run failed: ServerError: x"


def test_a_declaration_naming_databases_counts_only_on_them() -> None:
    """A driver's fault (allauth headless's session ids past 64 bits crash SQLite's driver, PostgreSQL says 400) is
    declared for SQLite alone: the fuzz run and the suite's replay expect it there and nowhere else."""
    manifest = Manifest(
        "v", "b", "m", FAKES, {"fuzz": {"server_errors": {"A /a": {}, "B /b": {"databases": ["sqlite"]}}}}
    )
    assert list(declared_server_errors(manifest, None)) == ["A /a", "B /b"]
    assert list(declared_server_errors(manifest, "sqlite:///x.sqlite3")) == ["A /a", "B /b"]
    assert list(declared_server_errors(manifest, "postgres://postgres@127.0.0.1:5432/test")) == ["A /a"]


def test_a_declaration_naming_modes_counts_only_in_them() -> None:
    """djoser's resend_activation 500 needs accounts left inactive, which only the hardened modes' activation does:
    the default modes answer the same recipe 400, so the declaration names the modes it holds in."""
    declared = {"fuzz": {"server_errors": {"A /a": {}, "B /b": {"modes": ["token_hardened"]}}}}
    hardened, default = (Manifest("v", "b", mode, FAKES, declared) for mode in ("token_hardened", "token"))
    assert list(declared_server_errors(hardened)) == ["A /a", "B /b"]
    assert list(declared_server_errors(default)) == ["A /a"]
