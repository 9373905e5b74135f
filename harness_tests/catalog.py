"""The table of harness_tests/README.md: every capability and posture case, and what shows it can fail.

`python -m harness_tests.catalog` prints the README; test_catalog_is_current.py fails while the committed
README differs, so a new case cannot arrive without its line. Every case is in the flip sweep
(test_every_claim_can_fail.py); a self-test that names the case id besides is listed as a demonstration
on a broken fake variant or a flipped declaration of its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

from harness.capabilities import CAPABILITIES
from harness.manifest import REPO_ROOT
from harness.posture import CASES

HERE = Path(__file__).parent
README = HERE / "README.md"
SWEEP = "[flipped claim](test_every_claim_can_fail.py)"
# A case judged outside the pytest suite (by `python -m harness.fuzz`) is shown by the fuzz self-test instead.
OUTSIDE_SUITE = {
    "fuzzing_finds_no_server_error": "[test_fuzzing_finds_the_fake_login_that_crashes_on_non_ascii](test_fuzz.py)"
}

INTRO = """# Self-tests of the harness: can each verdict come out otherwise?

A capability cell or a posture finding is evidence only if it would have come out differently had the library
behaved differently. Every test here runs the real suite (`pytest shared_tests` in a subprocess) against a
variant built to break one thing, or against manifests whose claims are flipped, and requires the suite to
fail exactly where it should.

- **Fake variants** (`fake_backends/`): `broken` (djoser whose logout revokes nothing, whose logout URL is
  gone, whose login crashes on non-ASCII), `cookie_logout` (a logout that ignores the cookie transport),
  `forgeable` (a JWT authentication that verifies nothing and fetches `jku`/`x5u`), `lenient` (a profile
  update that lets `is_staff` through), `weak` (a login that skips the hash for unknown users, one that
  hashes twice on failure, tokens with an undeclared prefix).
- **The flip sweep** (`test_every_claim_can_fail.py`, `flip.py`): every capability claim and every posture
  expectation of three variants (cookie-carried HS256 JWTs, RS256 JWTs, opaque tokens) replaced by a value the
  observation cannot equal; every test that judged one must fail with that mismatch. This shows each verdict is
  compared with its declaration (a test that passes anyway cannot fail); a fake variant or a declaration test
  named beside it shows the observation itself turning.
- **Declarations** (`test_declarations_can_fail.py`): a served operation the manifest forgets, a posture n/a
  that starts applying, a JWT case pinned by `credential_kind`, a declared server error that no longer happens.
- **Rendering** (`test_report_honesty.py`): skips, areas, cross-mode notes and the matrix readings.
- **Hardened modes** (`test_hardening_can_fail.py`, `test_manifests.py`): a ⚙ counts as flipped only when the
  default and the flipping variant observed different values (a silent, failed or missing flip is counted
  unverified); a hardened variant without Redis is skipped with the reason, and fails where services are
  required (CI); a run deletes its own cache keys and no others; every default ⚙ names where it is flipped.
- **Soak** (`test_soak_can_fail.py`): where sign-up is confirmed by mail, a verification mail that never comes (a
  copy of djoser's manifest whose link matches no mail) fails the soak while every answer stays below 500.

Regenerate the table below with `python -m harness_tests.catalog > harness_tests/README.md`.
"""


def suite_test_names(pattern: str = "test_*.py") -> set[str]:
    """Names of the test functions in the shared_tests modules matching `pattern` (read, never imported)."""
    return {
        node.name
        for path in (REPO_ROOT / "shared_tests").glob(pattern)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef)
    }


def demonstrations() -> dict[str, list[str]]:
    """Case or capability id -> the self-tests whose source names it (besides the sweep)."""
    found: dict[str, list[str]] = {}
    ids = set(CAPABILITIES) | set(CASES)
    for path in sorted(HERE.glob("test_*.py")):
        if path.name == "test_every_claim_can_fail.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                named = {text for sub in ast.walk(node) for text in _strings(sub) for i in ids if i in text}
                for text in named:
                    for identifier in (i for i in ids if i in text):
                        found.setdefault(identifier, []).append(f"[{node.name}]({path.name})")
    return {key: sorted(set(value)) for key, value in found.items()}


def _strings(node: ast.AST) -> list[str]:
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []


def shown_by(identifier: str, shown: dict[str, list[str]]) -> list[str]:
    first = [OUTSIDE_SUITE[identifier]] if identifier in OUTSIDE_SUITE else [SWEEP]
    return [*first, *shown.get(identifier, [])]


def render() -> str:
    shown = demonstrations()
    unshown = [i for i in (*CAPABILITIES, *CASES) if i not in shown and i not in OUTSIDE_SUITE]
    total = len(CAPABILITIES) + len(CASES)
    alone = f"Of the {total} below, {len(unshown)} are shown able to fail by the flipped claim alone so far."
    lines = [INTRO, alone, ""]
    lines += ["## Capabilities", "", "| capability | shown able to fail by |", "|---|---|"]
    lines += [f"| `{cap}` | {', '.join(shown_by(cap, shown))} |" for cap in CAPABILITIES]
    lines += ["", f"## Posture cases ({len(CASES)})", "", "| case | reference | shown able to fail by |"]
    lines += ["|---|---|---|"]
    lines += [f"| `{case}` | {spec.reference} | {', '.join(shown_by(case, shown))} |" for case, spec in CASES.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
