"""What an upgrade costs: `me` and `login_fast` against each earlier release of a library (issue #17 item 4).

`python -m benchmarks.releases [--package P ...] [--no-tutorial] [benchmarks.run options]` runs the benchmark runner
once per release that `harness.history` judges: uv.lock's backends group with one library's pin replaced
(`harness.history.RELEASES`, on the variant of `SMOKE_VARIANTS`), served from a venv of its own through
`AUTHCMP_SERVER_REQUIREMENTS`. Today's releases are served the same way (the locked lines, a venv of their own), so
both sides of a step are installed and started alike, and measured one after the other. The 2021 tutorial's
variants run from their own environment beside today's allauth_restauth modes. Each run's summary is copied to
`results/upgrade-bench/<variant>__<label>.json`; `--today-again LABEL` measures today's releases once more, after
the others, so a step's newer side is two runs a stretch of time apart, which the report pools. `report.export
--upgrade-bench` publishes the folder, and the report joins a step's two sides to the summaries whose variant and
versions match (report/upgrade.py). A release that cannot be installed with uv.lock's other pins is tried with only
the direct pins locked, as the history does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from harness.environment import REQUIREMENTS_ENV, EnvironmentFailed
from harness.history import (
    RELEASES,
    REQUIRED_ENV,
    SMOKE_VARIANTS,
    direct_requirements,
    locked_requirements,
    release_environment,
    with_release,
)
from harness.manifest import REPO_ROOT, display_path
from harness.results import LATEST, OVERRIDES_ENV, PATHS, summary_in

# The figures an upgrade step reports, and the no-authentication baseline that measures the machine's drift.
MEASURED = ("me", "login_fast", "baseline_drf")
RUN_DEFAULTS = ("--duration", "10", "--warmup", "3", "--repeat", "3")
# The tutorial's variants, each beside the today's mode its upgrade step ends on.
TUTORIAL = {"tutorial_2021-jwt": "allauth_restauth-jwt", "tutorial_2021-token": "allauth_restauth-token"}
WORK_DIR = REPO_ROOT / "var" / "upgrade-bench"


@dataclass(frozen=True)
class Trial:
    """One server to measure: a variant, the label of what serves it, and its requirements (None: its own)."""

    variant: str
    label: str
    lines: tuple[str, ...] | None = None
    fallback: tuple[str, ...] | None = None  # the release with only the direct pins locked
    add_required: bool = False  # old settings on today's releases, with what those require (REQUIRED_ENV)
    override: str = ""  # what departs from uv.lock, for the summary's header (`package==version`)


def plan(packages: list[str], tutorial: bool) -> list[Trial]:
    """Today's releases first for each variant, then its earlier releases; the tutorial's pairs last."""
    locked, direct = locked_requirements(), direct_requirements()
    chosen = {package: variant for package, variant in SMOKE_VARIANTS.items() if not packages or package in packages}
    trials = []
    for variant in dict.fromkeys(chosen.values()):
        trials.append(Trial(variant, "uv.lock", tuple(locked)))
        for package in (p for p, v in chosen.items() if v == variant):
            for version in RELEASES[package]:
                lines = with_release(locked, package, version)
                fallback = with_release(direct, package, version)
                override = f"{package}=={version}"
                trials.append(Trial(variant, f"{package}-{version}", tuple(lines), tuple(fallback), override=override))
    if tutorial:
        for old, today in TUTORIAL.items():
            trials.append(Trial(old, "tutorial"))
            if all(trial.variant != today or trial.label != "uv.lock" for trial in trials):
                trials.append(Trial(today, "uv.lock", tuple(locked)))
        # The tutorial's JWT settings on today's releases (the step the history records as uv.lock-required): the
        # runner's smoke cases decide whether there is anything to measure (a token key where JWTs were asked for).
        trials.append(Trial("tutorial_2021-jwt", "uv.lock-required", tuple(locked), add_required=True))
    return trials


def _requirements(trial: Trial) -> tuple[Path, bool] | None:
    """The requirements file that serves the trial (the locked lines if they install, else the fallback) and whether
    it is the fallback; None if neither installs."""
    for lines in (trial.lines, trial.fallback):
        if lines is None:
            break
        try:
            with release_environment(trial.variant, trial.label, list(lines), work_dir=WORK_DIR) as path:
                return path, lines is trial.fallback
        except EnvironmentFailed as exc:
            print(f"{trial.variant} {trial.label}: not installable this way ({str(exc).strip()[-300:]})", flush=True)
    return None


def measure(trial: Trial, run_options: list[str]) -> int:
    """Run benchmarks.run for the trial and copy its summary to results/upgrade-bench/; the runner's exit code."""
    out = WORK_DIR / trial.variant / trial.label
    target = PATHS.upgrade_bench / f"{trial.variant}__{trial.label}.json"
    # An earlier invocation's summary must never stand in for this one's, should this run end before writing its own.
    target.unlink(missing_ok=True)
    (out / LATEST).unlink(missing_ok=True)
    env = dict(os.environ)
    env.pop(REQUIREMENTS_ENV, None)
    # The summary's header names what departs from the variant's own pins (harness.results `overrides`).
    env[OVERRIDES_ENV] = trial.override
    if trial.add_required:
        env[REQUIRED_ENV] = "1"
        env[OVERRIDES_ENV] = f"{REQUIRED_ENV}=1"
    if trial.lines is not None:
        found = _requirements(trial)
        if found is None:
            print(f"{trial.variant} {trial.label}: skipped, no way to install it", flush=True)
            return 1
        requirements, fell_back = found
        env[REQUIREMENTS_ENV] = str(requirements)
        if fell_back:
            env[OVERRIDES_ENV] += " transitive-dependencies-resolved-anew"
    command = [sys.executable, "-m", "benchmarks.run", "--variant", trial.variant, "--scenarios", *MEASURED,
               *RUN_DEFAULTS, *run_options, "--out", str(out)]  # fmt: skip
    print(f"== {trial.variant} served by {trial.label}: {' '.join(command[1:])}", flush=True)
    done = subprocess.run(command, cwd=REPO_ROOT, env=env)
    summary = summary_in(out / LATEST)
    if summary.exists():
        PATHS.upgrade_bench.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(summary, target)
        print(f"{trial.variant} {trial.label}: exit {done.returncode} -> {display_path(target)}", flush=True)
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--package", action="append", default=[], choices=sorted(RELEASES),
                        help="only these libraries' releases (repeatable; default all)")  # fmt: skip
    parser.add_argument("--no-tutorial", action="store_true", help="leave out the 2021 tutorial's variants")
    parser.add_argument("--list", action="store_true", help="print the plan and stop")
    parser.add_argument("--today-again", metavar="LABEL",
                        help="only today's releases, once more, under LABEL (e.g. uv.lock-after): measured before and "
                             "after the earlier releases, the report pools both runs of each")  # fmt: skip
    args, run_options = parser.parse_known_args(argv)
    trials = plan(args.package, not args.no_tutorial)
    if args.today_again:
        trials = [replace(t, label=args.today_again) for t in trials if t.label == "uv.lock" and not t.add_required]
    for number, trial in enumerate(trials, 1):
        print(f"{number:2}. {trial.variant} served by {trial.label}", flush=True)
    if args.list:
        return 0
    failed = [f"{t.variant} {t.label}" for t in trials if measure(t, run_options) != 0]
    if failed:
        print(f"not measured, or measured with errors: {'; '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
