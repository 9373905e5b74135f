"""Release history: the contract suite against earlier releases of a variant's libraries, one venv per release.

`python -m harness.history --variant NAME` (the noxfile's `history(<variant>)` session; never part of `tests`)
takes the locked backends group (`uv export` of uv.lock), replaces one library's pin with an earlier release from
`RELEASES`, and runs the whole suite against a server installed from exactly that list (harness/environment.py,
through `AUTHCMP_SERVER_REQUIREMENTS`), on the suite's own Python. Each release writes its contract record, with
`settings_reads` (which settings that release no longer reads) and AUTHCMP_OVERRIDES naming the replaced pin, to
`results/history/<variant>/<package>-<version>.json`. A release that cannot be installed or started writes a record
with the exact error instead of being dropped. A variant with pins of its own (`[environment]`, the tutorial's
2021 stack) is run the other way: its settings as they are on uv.lock's releases (`uv.lock.json`), the upgrade a
reader makes by raising the pins alone (`uv.lock.json`; today's allauth refuses to start them), then the same
with the apps and middleware today's releases require added (`uv.lock-required.json`, `require` in
backends/common/releases.py): what those settings then do, e.g. the tutorial's `REST_USE_JWT` never read.
Otherwise the settings stay today's: a setting an older release names
differently shows up as never read in its record, and its cells as what that release does without it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from harness.environment import REQUIREMENTS_ENV, EnvironmentFailed, interpreter
from harness.manifest import REPO_ROOT, add_variant_option, select_variants
from harness.results import OVERRIDES_ENV, PATHS, Schema, header, per_variant, write_record

# The earlier lines of each library (issue #17): the previous major or minor releases, newest patch of each.
RELEASES: dict[str, tuple[str, ...]] = {
    "dj-rest-auth": ("7.0.1", "6.0.0"),
    "django-allauth": ("64.2.1", "0.63.6"),
    "djoser": ("2.2.3",),
    "django-rest-knox": ("5.0.2", "4.2.0"),
    "djangorestframework-simplejwt": ("5.4.0", "5.3.1"),
}
WORK_DIR = REPO_ROOT / "var" / "history"
# `--smoke`: the variant each library's newest earlier release is tried on (in the tests session).
SMOKE_VARIANTS = {
    "dj-rest-auth": "allauth_restauth-jwt",
    "django-allauth": "allauth_restauth-jwt",
    "djangorestframework-simplejwt": "allauth_restauth-jwt",
    "djoser": "djoser-token",
    "django-rest-knox": "knox-token",
}
REQUIRED_ENV = "AUTHCMP_ADD_REQUIRED"  # read by backends/common/releases.py `require` in the server's settings


def locked_requirements() -> list[str]:
    """The backends group exactly as uv.lock pins it, one `name==version` line each (markers kept)."""
    done = subprocess.run(
        ["uv", "export", "--frozen", "--no-hashes", "--no-header", "--no-default-groups", "--group", "backends",
         "--format", "requirements.txt"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [line for line in done.stdout.splitlines() if line and not line.lstrip().startswith("#")]


def direct_requirements() -> list[str]:
    """The backends group's direct pins only (pyproject.toml), for uv to resolve the rest anew: the fallback when a
    release's own bounds exclude a transitive version uv.lock holds (djoser 2.2 needs social-auth-app-django < 6)."""
    with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
        return list(tomllib.load(handle)["dependency-groups"]["backends"])


def with_release(lines: list[str], package: str, version: str) -> list[str]:
    """`lines` with `package` pinned to `version` instead (refused if the lock does not pin it)."""
    pattern = re.compile(rf"^{re.escape(package)}==\S+", re.IGNORECASE)
    if not any(pattern.match(line) for line in lines):
        raise ValueError(f"uv.lock's backends group does not pin {package}")
    return [pattern.sub(f"{package}=={version}", line) for line in lines]


def packages_of(variant_packages: list[str]) -> list[tuple[str, str]]:
    """The (package, release) pairs to run for a variant whose health names `variant_packages`."""
    return [(name, version) for name in variant_packages for version in RELEASES.get(name, ())]


@contextmanager
def release_environment(variant: str, label: str, lines: list[str], extra: dict[str, str] | None = None,
                        work_dir: Path = WORK_DIR) -> Iterator[Path]:  # fmt: skip
    """`lines` written to `<work_dir>/<variant>/<label>.txt` and the venv they describe built (or reused); inside,
    REQUIREMENTS_ENV (and `extra`) point a server's start at it, and the requirements file is yielded. Raises
    EnvironmentFailed with uv's words when uv cannot install the lines. The process environment is restored on the
    way out. The one way a release's venv is made: the suite's history here, the benchmarks' in benchmarks.releases."""
    work = work_dir / variant
    work.mkdir(parents=True, exist_ok=True)
    requirements = work / f"{label}.txt"
    requirements.write_text("\n".join(lines) + "\n")
    (manifest,) = select_variants([variant])
    saved = dict(os.environ)
    os.environ.update({REQUIREMENTS_ENV: str(requirements), **(extra or {})})  # the build and a server's start read it
    try:
        interpreter(manifest)
        yield requirements
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _failed(record: Path, variant: str, override: str, error: str) -> None:
    head = {**header(Schema.CONTRACT), "overrides": [override]}
    write_record(record, {"header": head, "variant": variant, "error": error})


def run_release(
    variant: str,
    label: str,
    lines: list[str],
    override: str,
    pytest_args: list[str],
    extra: dict[str, str] | None = None,
    smoke: bool = False,
) -> dict[str, Any]:
    """Install `lines` into the release's own venv, check a server starts, run the suite; the record and outcome.

    `label` names the record (`<package>-<version>`, or `uv.lock` for a variant's settings on today's releases);
    `override` is what the record's header says departs from the variant's own pins; `extra` is environment the
    server gets besides (REQUIRED_ENV); a `smoke` run's record goes to its own folder (results/history-smoke/)."""
    record = per_variant((PATHS.history_smoke if smoke else PATHS.history) / variant, label)
    (manifest,) = select_variants([variant])
    from harness.server import ServerError, run_server  # only here: it needs the backends group's cryptography

    try:
        with release_environment(variant, label, lines, extra) as requirements, run_server(manifest):
            pass
    except EnvironmentFailed as exc:
        _failed(record, variant, override, f"cannot install {override} with uv.lock's backends group: {exc}")
        return {"label": label, "record": str(record), "outcome": "not installable"}
    except (ServerError, OSError, subprocess.SubprocessError) as exc:
        _failed(record, variant, override, f"installed, but the server does not start: {exc}")
        return {"label": label, "record": str(record), "outcome": "does not start"}
    env = {**os.environ, REQUIREMENTS_ENV: str(requirements), OVERRIDES_ENV: override, **(extra or {})}
    command = [sys.executable, "-m", "pytest", "shared_tests", f"--variant={variant}", f"--results-json={record}",
               "-q", "-p", "no:cacheprovider", *pytest_args]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    outcome = (done.stdout.strip().splitlines() or [""])[-1]
    return {"label": label, "record": str(record), "outcome": outcome, "returncode": done.returncode}


def served_packages(variant: str) -> list[str]:
    """The libraries of RELEASES the variant's server reports in its health (AUTHCMP_PACKAGES), started once."""
    from harness.server import run_server  # only here: it needs the backends group's cryptography

    (manifest,) = select_variants([variant])
    with run_server(manifest) as server:
        return [name for name in RELEASES if name in server.health.get("versions", {})]


def run_with_fallback(variant: str, package: str, version: str, locked: list[str], pytest_args: list[str],
                      smoke: bool = False) -> dict[str, Any]:  # fmt: skip
    """One earlier release on uv.lock's other pins; if those exclude it, again with only the direct pins locked."""
    label, override = f"{package}-{version}", f"{package}=={version}"
    result = run_release(variant, label, with_release(locked, package, version), override, pytest_args, smoke=smoke)
    if result["outcome"] == "not installable":
        lines = with_release(direct_requirements(), package, version)
        override += " transitive-dependencies-resolved-anew"
        result = run_release(variant, label, lines, override, pytest_args, smoke=smoke)
    return {**result, "override": override}


def _said(variant: str, override: str, result: dict[str, Any]) -> None:
    print(f"{variant} {override}: {result['outcome']} -> {result['record']}", flush=True)


def smoke(pytest_args: list[str]) -> int:
    """The newest earlier release of each library on the variant in SMOKE_VARIANTS, the cases pytest selects only;
    1 unless each installs, starts and passes every selected case (the tests session's `history_smoke`)."""
    locked, failed = locked_requirements(), []
    for package, variant in SMOKE_VARIANTS.items():
        result = run_with_fallback(variant, package, RELEASES[package][0], locked, pytest_args, smoke=True)
        _said(variant, result["override"], result)
        if result.get("returncode") != 0:  # pytest's 0: every selected case passed (or is a declared deviation)
            failed.append(f"{variant} {result['override']}: {result['outcome']}")
    if failed:
        print(f"history smoke failed for: {'; '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_variant_option(parser, "run against earlier releases")
    parser.add_argument("--package", action="append", default=[], help="only these libraries (repeatable)")
    parser.add_argument("--smoke", action="store_true", help="one earlier release per library (SMOKE_VARIANTS)")
    args, pytest_args = parser.parse_known_args(argv)
    if args.smoke:
        return smoke(pytest_args)
    for manifest in select_variants(args.variants):
        locked = locked_requirements()
        if manifest.data.get("environment"):
            # A variant with pins of its own (the tutorial's): its settings as they are, on today's releases.
            added = (
                "uv.lock's backends group + the apps and middleware its releases require (backends/common/releases.py)"
            )
            runs = [("uv.lock", locked, "uv.lock's backends group", {}),
                    ("uv.lock-required", locked, added, {REQUIRED_ENV: "1"})]  # fmt: skip
            for label, lines, override, extra in runs:
                result = run_release(manifest.variant, label, lines, override, pytest_args, extra)
                _said(manifest.variant, override, result)
            continue
        for package, version in packages_of(args.package or served_packages(manifest.variant)):
            result = run_with_fallback(manifest.variant, package, version, locked, pytest_args)
            _said(manifest.variant, result["override"], result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
