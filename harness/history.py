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
) -> dict[str, Any]:
    """Install `lines` into the release's own venv, check a server starts, run the suite; the record and outcome.

    `label` names the record (`<package>-<version>`, or `uv.lock` for a variant's settings on today's releases);
    `override` is what the record's header says departs from the variant's own pins; `extra` is environment the
    server gets besides (REQUIRED_ENV)."""
    work = WORK_DIR / variant
    work.mkdir(parents=True, exist_ok=True)
    requirements = work / f"{label}.txt"
    requirements.write_text("\n".join(lines) + "\n")
    record = per_variant(PATHS.history / variant, label)
    env = {**os.environ, REQUIREMENTS_ENV: str(requirements), OVERRIDES_ENV: override, **(extra or {})}
    (manifest,) = select_variants([variant])
    saved = dict(os.environ)
    os.environ.update({REQUIREMENTS_ENV: str(requirements), **(extra or {})})  # the build and the trial start read it
    from harness.server import ServerError, run_server  # only here: it needs the backends group's cryptography

    try:
        interpreter(manifest)
        with run_server(manifest):
            pass
    except EnvironmentFailed as exc:
        _failed(record, variant, override, f"cannot install {override} with uv.lock's backends group: {exc}")
        return {"label": label, "record": str(record), "outcome": "not installable"}
    except ServerError as exc:
        _failed(record, variant, override, f"installed, but the server does not start: {exc}")
        return {"label": label, "record": str(record), "outcome": "does not start"}
    finally:
        os.environ.clear()
        os.environ.update(saved)
    command = [sys.executable, "-m", "pytest", "shared_tests", f"--variant={variant}", f"--results-json={record}",
               "-q", "-p", "no:cacheprovider", *pytest_args]  # fmt: skip
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    return {"label": label, "record": str(record), "outcome": (done.stdout.strip().splitlines() or [""])[-1]}


def served_packages(variant: str) -> list[str]:
    """The libraries of RELEASES the variant's server reports in its health (AUTHCMP_PACKAGES), started once."""
    from harness.server import run_server  # only here: it needs the backends group's cryptography

    (manifest,) = select_variants([variant])
    with run_server(manifest) as server:
        return [name for name in RELEASES if name in server.health.get("versions", {})]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_variant_option(parser, "run against earlier releases")
    parser.add_argument("--package", action="append", default=[], help="only these libraries (repeatable)")
    args, pytest_args = parser.parse_known_args(argv)
    for manifest in select_variants(args.variants):
        locked = locked_requirements()
        if manifest.data.get("environment"):
            # A variant with pins of its own (the tutorial's): its settings as they are, on today's releases.
            added = (
                "uv.lock's backends group + the apps and middleware its releases require (backends/common/releases.py)"
            )
            runs = [("uv.lock", locked, "uv.lock's backends group", {}),
                    ("uv.lock-required", locked, added, {REQUIRED_ENV: "1"})]  # fmt: skip
        else:
            pairs = packages_of(args.package or served_packages(manifest.variant))
            runs = [(f"{p}-{v}", with_release(locked, p, v), f"{p}=={v}", {}) for p, v in pairs]
        for label, lines, override, extra in runs:
            result = run_release(manifest.variant, label, lines, override, pytest_args, extra)
            if result["outcome"] == "not installable" and "==" in override:  # retry with only the direct pins locked
                package, version = override.split("==")
                lines = with_release(direct_requirements(), package, version)
                result = run_release(
                    manifest.variant, label, lines, f"{override} transitive-dependencies-resolved-anew", pytest_args
                )
            print(f"{manifest.variant} {override}: {result['outcome']} -> {result['record']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
