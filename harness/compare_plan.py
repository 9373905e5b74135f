"""`nox -s compare`'s plan: its phases with rough minutes, the progress line, its Django 6.1 jobs, its suite and fuzz
parts, its benchmark options, what its first and its final report carry over and its `--only` selection; with the
variant groups and the quick selections the tests session shares.

Pure functions (the noxfile imports this module, so it imports nothing outside the standard library and the
standard-library-only harness modules). The minutes are policy, from runs on the 2-core reference machine: they only
feed the "about N min left" lines; nothing waits for or is cut at them. The quick ones are one whole `nox -s compare`
(SQLite, 2026-12-01, snapshot of 1ab250a, nothing else running, 51 min for 32 variants, 16 of them measured: compat 2
with its venv, suite 19 (the measured halves 17 each, two at a time, then the observation-only ones 2.4), the first
report at 21 min, fuzz 4, benchmarks 25, report 1; `--only knox`, 3 variants: 6 min, the first report at 2; a slow day:
the production hash took 0.27-0.29 s against 0.22-0.24 s in the published runs); the
publish-grade ones come from the published runs' parts, never run as one compare.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from harness.concurrent import AT_ONCE, split
from harness.parts import part_path
from harness.results import per_variant

if TYPE_CHECKING:
    from harness.manifest import Manifest

COMPAT_MINUTES_PER_VARIANT = {"quick": 0.2, "full": 3}  # the core modules / the whole suite on Django 6.1
# A measured variant's whole suite (its timing cases dominate); an observation-only one runs only its claimed cells.
SUITE_MINUTES_PER_VARIANT = {"measured": 2.15, "observing": 0.3}
# The security run's soak (issue #16: "the 5-minute soak"), on each measured variant when publishing; with it the
# observation-only variants (which exist to flip one matrix cell) keep the suite's own 10 s; the quick run soaks 3 s.
PUBLISH_SOAK_SECONDS = 300
# Fewer timing rounds and a 3-second soak in the tests session's suites and in compare's quick run (the README's first
# command): a timing case costs 3 production logins (PBKDF2) per round, and an interval too wide to decide is
# recorded as inconclusive, never as a pass. `--publish` and `security` keep the suite's 30 rounds.
QUICK_SUITE = ("--timing-rounds=12", "--soak-seconds=3")
QUICK_FUZZ_SEED = "20261129"  # `nox -s tests`' fuzz and compare's quick one; a 5xx it finds is a finding to declare
# The core contract's four modules (by file: a name match would also take capability and posture cases such as
# test_login_timing_...): what the quick compare runs on Django 6.1, `tests` on the variants of their own venv and
# `history_smoke` on earlier releases.
SMOKE = "test_registration.py or test_login.py or test_current_user.py or test_logout.py"
FUZZ_MINUTES_PER_VARIANT = {"quick": 0.5, "full": 3}  # 25 / 1,000 inputs per operation (knox: 40 s / 92 s)
BENCH_QUICK_MINUTES_PER_VARIANT = 1.6
# `-- --publish`: the runner's defaults plus the open-loop steps and the cost curves to 10^6 accounts and 1,000
# credentials per account (an estimate: the curves' 21 measured points dominate; seeding 10^6 takes 2-5 min).
BENCH_PUBLISH_MINUTES_PER_VARIANT = 50
PUBLISH_OPTIONS = ("--open-loop", "--curves")
# 7 min for the 16 measured variants: `--publish` only. It is no quick figure (its server-side seed, logins and cProfile
# rounds cost the same in any run), so the quick run carries the committed profile over, dated in "What ran".
PROFILE_MINUTES_PER_VARIANT = 0.45
# `benchmarks.work` beside the publish-grade curves: seeding 10^6 accounts (under a minute), 1,000 logins per variant;
# allauth headless's logins slow down as its sessions pile up (measured: 7 variants in 22 min, 16 of them headless's).
WORK_MINUTES_PER_VARIANT = 4
REPORT_MINUTES = 1
# What compare's run does not measure is carried over from the committed data (`report.export --base report/data
# --carry ...`), so its report has every section, each record dated in "What ran": the release-history records come
# from their own sessions; the studies and the work count too unless publishing, which measures them in its own run
# (and leaves out a studies-only run lying in results/, which the report would otherwise cite before its own).
CARRIED = ("upgrade", "upgrade_bench")
# The first report, rendered as soon as the suite has run (issue #18: a first command that answers soon): this run's
# contract, matrix and Django 6.1 records; everything its later phases measure comes from the committed data until
# the final report replaces it, each record dated in "What ran".
OWN_BEFORE_FIRST_REPORT = ("contract", "matrix", "compat")
FIRST_REPORT_NOTE = (
    "the first report is ready in report/: this run's suite, matrix and posture, the fuzz and the benchmarks carried "
    "over from the committed data (its opening names them) until the final report"
)
# `report.export`'s records that compare's run can carry over (report/export.py: SINGLE_INPUTS and SET_INPUTS).
EXPORTED = ("contract", "matrix", "bench", "profile", "study", "study_2", "study_3", "work", "fuzz", "compat",
            "upgrade", "upgrade_bench")  # fmt: skip
STUDIES = ("study", "study_2", "study_3")  # superseded where the run draws its own curves or open-loop steps


def phases(variants: int, measured: int, quick: bool) -> list[tuple[str, float]]:
    """compare's phases in order, each with its estimated minutes (the suite and fuzz run AT_ONCE parts at a time)."""
    bench_minutes = BENCH_QUICK_MINUTES_PER_VARIANT if quick else BENCH_PUBLISH_MINUTES_PER_VARIANT
    soak_minutes = 0 if quick else PUBLISH_SOAK_SECONDS / 60 * measured
    grade = "quick" if quick else "full"
    observing = SUITE_MINUTES_PER_VARIANT["observing"] * (variants - measured)
    compat = COMPAT_MINUTES_PER_VARIANT[grade] * measured + (0 if quick else observing)  # quick: the measured' core
    suite = SUITE_MINUTES_PER_VARIANT["measured"] * measured + soak_minutes + observing
    return [
        ("Django 6.1 compat", compat / AT_ONCE),
        ("contract suite, matrix and posture", suite / AT_ONCE),
        ("first report: this run's suite, the rest carried over", REPORT_MINUTES),
        (f"{grade} fuzz", FUZZ_MINUTES_PER_VARIANT[grade] * measured / AT_ONCE),
        ("benchmarks", bench_minutes * measured),
        ("me profile", 0 if quick else PROFILE_MINUTES_PER_VARIANT * measured),
        ("counted work along the cost curves", 0 if quick else WORK_MINUTES_PER_VARIANT * measured),
        ("report", REPORT_MINUTES),
    ]


def phase_line(plan: list[tuple[str, float]], number: int, elapsed_minutes: float, note: str = "") -> str:
    """E.g. 'phase 5/8 benchmarks — 25 min elapsed, about 27 min left'."""
    left = sum(minutes for _, minutes in plan[number - 1 :])
    name = plan[number - 1][0] + (f" ({note})" if note else "")
    return f"phase {number}/{len(plan)} {name} — {elapsed_minutes:.0f} min elapsed, about {left:.0f} min left"


def suite_parts(measured: list[str], observing: list[str], folder: Path, publish: bool,
                extra: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:  # fmt: skip
    """The contract suite as (label, python args) parts to run AT_ONCE at a time, each writing its contract and
    matrix records into `folder` for `python -m harness.parts` to join: the measured variants in halves (with the
    5-minute soak when publishing), the observation-only ones in halves after them; QUICK_SUITE unless publishing."""
    measured_options = (f"--soak-seconds={PUBLISH_SOAK_SECONDS:g}",) if publish else QUICK_SUITE
    observing_options = () if publish else QUICK_SUITE
    groups = [*((f"measured-{n}", part, measured_options) for n, part in enumerate(split(measured), 1)),
              *((f"observing-{n}", part, observing_options) for n, part in enumerate(split(observing), 1))]  # fmt: skip
    return [(label, ["-m", "pytest", "shared_tests", *(f"--variant={v}" for v in part), *options, *extra,
                     f"--results-json={part_path(folder, label, 'contract')}",
                     f"--matrix-json={part_path(folder, label, 'matrix')}"])
            for label, part, options in groups]  # fmt: skip


def compat_runs(variants: list[str], folder: Path, smoke: str | None) -> list[tuple[str, list[str]]]:
    """The Django-compat suites, one job per variant writing its own record into `folder` (as `compat(<variant>)`
    does): the whole suite, or only the cases `-k smoke` selects (compare's quick run)."""
    selection = ("-k", smoke) if smoke else ()
    return [(variant, ["-m", "pytest", "shared_tests", f"--variant={variant}", *selection,
                       f"--results-json={per_variant(folder, variant)}"]) for variant in variants]  # fmt: skip


def fuzz_parts(measured: list[str], out: Path, publish: bool) -> list[tuple[str, list[str]]]:
    """harness.fuzz over the measured variants in halves: 1,000 inputs per operation from a fresh seed when
    publishing, else 25 from QUICK_FUZZ_SEED (a quick run decides the same way every time)."""
    size = () if publish else ("--quick", "--seed", QUICK_FUZZ_SEED)
    return [(", ".join(part), ["-m", "harness.fuzz", *size, "--out", str(out), "--variant", *part])
            for part in split(measured)]  # fmt: skip


def bench_options(posargs: list[str], contract: Path) -> tuple[list[str], bool]:
    """compare's runner options and whether they are publish-grade: quick figures (labelled so in the report)
    unless `--publish` is given, which runs the runner's full defaults with PUBLISH_OPTIONS; every other
    argument goes to the runner as it is. The smoke cases come from `contract`, the record compare's suite has just
    written (the runner would otherwise run them again for each variant)."""
    rest = [arg for arg in posargs if arg != "--publish"]
    smoke = ["--smoke-record", str(contract)]
    if "--publish" in posargs:
        return [*PUBLISH_OPTIONS, *smoke, *rest], True
    return [*([] if "--quick" in rest else ["--quick"]), *smoke, *rest], False


def export_args(publish: bool, bench_options: list[str]) -> list[str]:
    """`report.export`'s arguments at the end of compare: this run's records, and the rest carried over. A run that
    draws its own cost curves or open-loop steps (--publish, or --curves/--open-loop given to the runner) carries no
    studies-only run and leaves one lying in results/ out: the report would cite it before the run's own figures."""
    own_studies = publish or bool({"--curves", "--open-loop"} & set(bench_options))
    carried = [*CARRIED, *(() if publish else ("work", "profile")), *(() if own_studies else STUDIES)]
    return ["--base", "report/data", "--carry", *carried, *(("--without", *STUDIES) if own_studies else ())]


def first_report_args() -> list[str]:
    """`report.export`'s arguments for the first report, right after the suite: every record but this run's suite and
    Django 6.1 ones carried over from the committed data (the fuzz set without results/'s records: compare empties
    that folder first, so no earlier run's fuzz joins)."""
    return ["--base", "report/data", "--carry", *(name for name in EXPORTED if name not in OWN_BEFORE_FIRST_REPORT)]


def only(posargs: list[str], backends: dict[str, str]) -> tuple[list[str], list[str]]:
    """compare's `--only BACKEND ...` (e.g. `--only knox djoser`: the libraries one is choosing between, with their
    hardened and observation-only modes): of `backends` (variant -> its backend, in order) the variants it keeps, and
    the other arguments. Without it, every variant. A name that is no backend, or `--only` spelled otherwise or given
    twice, raises ValueError (it would otherwise reach the benchmark runner after the suites had run)."""
    spelled = [arg for arg in posargs if arg.startswith("--only")]
    if not spelled:
        return list(backends), posargs
    known = sorted(set(backends.values()))
    start = posargs.index("--only") + 1 if spelled == ["--only"] else 0
    end = next((i for i in range(start, len(posargs)) if posargs[i].startswith("--")), len(posargs))
    chosen = posargs[start:end] if start else []
    unknown = [name for name in chosen if name not in known]
    if unknown or not chosen:
        wrong = ", ".join(unknown) or (" ".join(spelled) if start == 0 else "none given")
        raise ValueError(f"--only BACKEND ... takes backends: {', '.join(known)}; not {wrong}")
    return [v for v, backend in backends.items() if backend in chosen], posargs[: start - 1] + posargs[end:]


class Groups(NamedTuple):
    """The variants by kind, each in discovery order."""

    # `tests` runs the defaults on SQLite and the hardened (with the observation-only) modes on a PostgreSQL
    # DATABASE_URL; without one, all on SQLite.
    defaults: list[str]
    hardened: list[str]  # hardened and observation-only modes
    measured: list[str]  # benchmarked: every variant but the observation-only ones
    observing: list[str]  # `observes`: a ⚙ flipped to the side no one deploys; they run in the suites only
    own_environment: list[str]  # `[environment]`: `tests` runs their smoke cases, `compare` their whole suite


def groups(manifests: dict[str, Manifest]) -> Groups:
    """The discovered variants sorted into the kinds the sessions run differently."""
    return Groups(
        defaults=[name for name, m in manifests.items() if not m.hardens and not m.observes],
        hardened=[name for name, m in manifests.items() if m.hardens or m.observes],
        measured=[name for name, m in manifests.items() if not m.observes],
        observing=[name for name, m in manifests.items() if m.observes],
        own_environment=[name for name, m in manifests.items() if m.data.get("environment")],
    )


def postgres_url() -> str | None:
    """DATABASE_URL when it names a PostgreSQL database (the sessions' suites then run there too), else None."""
    return url if (url := os.environ.get("DATABASE_URL", "")).startswith("postgres") else None
