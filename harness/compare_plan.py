"""`nox -s compare`'s plan: its phases with rough minutes, the progress line, and its benchmark options.

Pure functions (the noxfile imports this module, so it imports nothing outside the standard library). The minutes
are policy, from the published runs on the 2-core reference machine: they only feed the "about N min left" lines;
nothing waits for or is cut at them.
"""

from __future__ import annotations

COMPAT_MINUTES_PER_VARIANT = 2
SUITE_MINUTES_PER_VARIANT = 2
FUZZ_MINUTES_PER_VARIANT = 1
BENCH_QUICK_MINUTES_PER_VARIANT = 2
# `-- --publish`: the runner's defaults plus the open-loop steps and the cost curves to 10^6 accounts and 1,000
# credentials per account (an estimate: the curves' 21 measured points dominate; seeding 10^6 takes 2-5 min).
BENCH_PUBLISH_MINUTES_PER_VARIANT = 50
PUBLISH_OPTIONS = ("--open-loop", "--curves")
PROFILE_MINUTES = 3
REPORT_MINUTES = 1


def phases(variants: int, quick: bool) -> list[tuple[str, float]]:
    """compare's phases in order, each with its estimated minutes."""
    bench_minutes = BENCH_QUICK_MINUTES_PER_VARIANT if quick else BENCH_PUBLISH_MINUTES_PER_VARIANT
    return [
        ("Django 6.1 compat", COMPAT_MINUTES_PER_VARIANT * variants),
        ("contract suite, matrix and posture", SUITE_MINUTES_PER_VARIANT * variants),
        ("quick fuzz", FUZZ_MINUTES_PER_VARIANT * variants),
        ("benchmarks", bench_minutes * variants),
        ("me profile", PROFILE_MINUTES),
        ("report", REPORT_MINUTES),
    ]


def phase_line(plan: list[tuple[str, float]], number: int, elapsed_minutes: float, note: str = "") -> str:
    """E.g. 'phase 4/6 benchmarks — 12 min elapsed, about 80 min left'."""
    left = sum(minutes for _, minutes in plan[number - 1 :])
    name = plan[number - 1][0] + (f" ({note})" if note else "")
    return f"phase {number}/{len(plan)} {name} — {elapsed_minutes:.0f} min elapsed, about {left:.0f} min left"


def bench_options(posargs: list[str]) -> tuple[list[str], bool]:
    """compare's runner options and whether they are publish-grade: quick figures (labelled so in the report)
    unless `--publish` is given, which runs the runner's full defaults with PUBLISH_OPTIONS; every other
    argument goes to the runner as it is."""
    rest = [arg for arg in posargs if arg != "--publish"]
    if "--publish" in posargs:
        return [*PUBLISH_OPTIONS, *rest], True
    return (rest if "--quick" in rest else ["--quick", *rest]), False
