"""The failure-cost and opaque-token cases can fail: weakened fakes of knox, a declared prefix knox lacks, and the
statistics and entropy estimate on made-up samples.

- `weak-early_return` answers an unknown user without hashing: the hash-count case must find fewer hashes for
  unknown users and the production-hasher timing case must not pass.
- `weak-double_hash` hashes twice on a failed login: the hash-count case must catch it.
- `weak-prefixed` issues tokens with a prefix its manifest does not declare; a copy of knox's manifest declaring a
  prefix knox's tokens lack fails too (the declaration is checked both ways).
"""

from __future__ import annotations

import random
import secrets
import shutil
from pathlib import Path

from harness.cases.failure import Interval, at_most_tolerance, ratio_of_medians, within_tolerance
from harness.manifest import BACKENDS_DIR
from shared_tests.observe import encoded_bits

FAKES = Path(__file__).parent / "fake_backends"
FAILURE = "shared_tests/test_posture_failure.py::"
OPAQUE = "shared_tests/test_posture_opaque_tokens.py::"


def _failed(results: dict, variant: str) -> list[str]:
    return sorted(key for key, test in results["variants"][variant]["tests"].items() if test["outcome"] == "failed")


def _finding(results: dict, variant: str, case: str) -> str:
    return results["variants"][variant]["posture"][case]["finding"]


def test_a_login_that_skips_the_hash_for_unknown_users_is_caught(suite) -> None:
    selection = "test_unknown_user_costs or test_failed_login_costs or test_login_timing"
    code, results, output = suite(f"--backends-dir={FAKES}", "--variant=weak-early_return", "-k", selection)
    assert code == 1, output
    assert FAILURE + "test_unknown_user_costs_as_many_hashes_as_wrong_password" in _failed(results, "weak-early_return")
    assert "success 1, wrong 1, unknown 0 password hash(es)" in output
    # Fewer hashes is no amplification: the one-sided case still passes.
    assert _finding(results, "weak-early_return", "failed_login_costs_no_more_hashes_than_success") == "pass"
    # Skipping a 0.3 s hash is far beyond any noise: the timing case fails (inconclusive would at least not pass).
    assert _finding(results, "weak-early_return", "login_timing_does_not_reveal_users") in ("fail", "inconclusive")


def test_a_login_that_hashes_twice_on_failure_is_caught(suite) -> None:
    selection = "test_unknown_user_costs or test_failed_login_costs"
    code, results, output = suite(f"--backends-dir={FAKES}", "--variant=weak-double_hash", "-k", selection)
    assert code == 1, output
    assert _failed(results, "weak-double_hash") == [FAILURE + "test_failed_login_costs_no_more_hashes_than_success"]
    assert "success 1, wrong 2, unknown 2 password hash(es)" in output


def test_an_undeclared_token_prefix_is_caught(suite) -> None:
    code, results, output = suite(f"--backends-dir={FAKES}", "--variant=weak-prefixed", "-k", "test_opaque_tokens")
    assert code == 1, output
    assert _failed(results, "weak-prefixed") == [OPAQUE + "test_opaque_tokens_share_nothing_but_a_declared_prefix"]
    assert "common prefix of 50 tokens 'weak_'" in output


def test_a_declared_prefix_the_tokens_lack_is_caught(suite, tmp_path: Path) -> None:
    backends = tmp_path / "backends"
    shutil.copytree(BACKENDS_DIR / "knox", backends / "knox")
    manifest = backends / "knox" / "manifest.toml"
    manifest.write_text(manifest.read_text() + '\n[variants.token.credential]\nprefix = "knox_"\n')
    code, results, output = suite(
        f"--backends-dir={backends}", "--variant=knox-token", "-k", "test_opaque_tokens_share"
    )
    assert code == 1, output
    assert _failed(results, "knox-token") == [OPAQUE + "test_opaque_tokens_share_nothing_but_a_declared_prefix"]
    assert "declared prefix 'knox_'" in output


def _pairs(ratio: float, noise: float, n: int = 30) -> list[tuple[float, float]]:
    rng = random.Random(7)
    return [
        (ratio * 0.3 * rng.uniform(1 - noise, 1 + noise), 0.3 * rng.uniform(1 - noise, 1 + noise)) for _ in range(n)
    ]


def test_a_timing_interval_decides_pass_fail_or_inconclusive() -> None:
    assert within_tolerance(ratio_of_medians(_pairs(1.0, 0.01))) == "pass"
    assert within_tolerance(ratio_of_medians(_pairs(0.5, 0.01))) == "fail"
    assert within_tolerance(ratio_of_medians(_pairs(1.0, 0.5))) == "inconclusive"
    assert at_most_tolerance(ratio_of_medians(_pairs(2.0, 0.01))) == "fail"
    assert at_most_tolerance(ratio_of_medians(_pairs(0.5, 0.01))) == "pass"
    # The seed is fixed: the same samples give the same interval.
    assert ratio_of_medians(_pairs(1.0, 0.3)) == ratio_of_medians(_pairs(1.0, 0.3))
    assert within_tolerance(Interval(1.0, 0.9, 1.1, 30)) == "inconclusive"


def test_entropy_is_estimated_from_the_observed_alphabet_not_the_length() -> None:
    assert encoded_bits([secrets.token_hex(20) for _ in range(50)])[0] == 160
    # 40 characters that look like hex but use two symbols carry 40 bits, not 160.
    binary = ["".join(secrets.choice("ab") for _ in range(40)) for _ in range(50)]
    assert encoded_bits(binary)[0] == 40
    # A fixed part carries nothing: 8 constant characters of 40 leave 32 * 4 bits.
    assert encoded_bits(["deadbeef" + secrets.token_hex(16) for _ in range(50)])[0] == 128
