"""The runner's decision rules, each a pure function over recorded figures, so each has a test that can fail.

- **Generator headroom**: a run whose Locust process was busier than `GENERATOR_BUSY` of its core (or whose
  generator used more than that share of the cores it had) is `generator_bound`: its rate may be Locust's,
  not the server's, so the figure is not used for any ratio (`usable_for_ratio`).
- **Spread**: a figure's runs must lie within `SPREAD_BOUND` of their median; the runner judges the last
  `repeat` runs and adds runs (up to the bound in `benchmarks/config.py`) until they do, else marks it.
- **Open-loop steps**: a step whose achieved arrival rate falls more than `SHORT_STEP` below its target is
  `short` (the server, or the generator, could not keep the pace: its latencies are not at that load).
- **Growth class**: cost against accounts or credentials per account fitted by least squares as constant,
  logarithmic or linear in x (the log-log slope is reported too), so the report can name how a cost grows.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

GENERATOR_BUSY = 0.70  # share of one core above which a Locust process is the bottleneck candidate
SPREAD_BOUND = 0.05  # every judged run within 5 % of the median
SHORT_STEP = 0.10  # an open-loop step achieving less than 90 % of its target rate is marked
GROWTH_TOLERANCE = 0.10  # a fitted change over the whole range below 10 % of the smallest value is "constant"


def generator_bound(cpu: dict[str, Any] | None, load_cores: int) -> bool | None:
    """True when the generator was too busy for the run's rate to be the server's; None when not measured."""
    generator = (cpu or {}).get("generator")
    if not generator or not generator.get("processes"):
        return None
    share = generator["cores"] / max(load_cores, 1)
    return max(generator["busiest_process"], share) > GENERATOR_BUSY


def usable_for_ratio(*figures: dict[str, Any]) -> tuple[bool, str | None]:
    """A ratio may use these figures only if none was generator-bound; else the reason why not."""
    bound = [f.get("name", "a figure") for f in figures if f.get("generator_bound")]
    if bound:
        return False, f"generator-bound (Locust above {GENERATOR_BUSY:.0%} of its core): {', '.join(bound)}"
    return True, None


def spread(rates: Sequence[float], bound: float = SPREAD_BOUND) -> dict[str, Any]:
    """How far the runs lie from their median: the largest deviation in %, and whether it exceeds `bound`
    (None for fewer than two runs: a single run has no spread to judge)."""
    middle = statistics.median(rates) if rates else 0.0
    if len(rates) < 2 or not middle:
        return {"median": middle, "deviation_pct": None, "exceeded": None}
    deviation = max(abs(rate - middle) for rate in rates) / middle
    return {"median": middle, "deviation_pct": round(100 * deviation, 2), "exceeded": deviation > bound}


def next_step(rates: Sequence[float], repeat: int, max_runs: int, bound: float = SPREAD_BOUND) -> str:
    """After each run: "run" (fewer than `repeat` so far), "done" (the last `repeat` runs agree, or a single run
    is wanted), "repeat" (they do not and the bound allows another run), "exceeded" (they do not and it does not)."""
    if len(rates) < repeat:
        return "run"
    if repeat < 2 or not spread(rates[-repeat:], bound)["exceeded"]:
        return "done"
    return "repeat" if len(rates) < max_runs else "exceeded"


def short(target_rps: float, achieved_rps: float, tolerance: float = SHORT_STEP) -> bool:
    return achieved_rps < (1 - tolerance) * target_rps


def open_loop_users(rate: float, minimum: int, accounts: int, seconds_per_user: float = 1.0) -> int:
    """Users for a constant arrival `rate`: each sends one request every `seconds_per_user` (so an answer may take
    that long before the user falls behind), at least `minimum`, at most one per seeded account."""
    return max(1, min(accounts, max(minimum, math.ceil(rate * seconds_per_user))))


def _least_squares(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Intercept, slope and residual sum of squares of y = a + b x."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    intercept = my - slope * mx
    return intercept, slope, sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))


def growth(points: Sequence[tuple[float, float]], tolerance: float = GROWTH_TOLERANCE) -> dict[str, Any]:
    """The growth class of y over x (both > 0): "constant" when the better fit changes y by at most `tolerance`
    of its smallest value across the range; else "logarithmic" (y = a + b ln x) or "linear" (y = a + b x),
    whichever leaves the smaller squared residuals ("decreasing" when the fitted change is negative). Needs
    three points to tell logarithmic from linear; `loglog_slope` is d ln y / d ln x by least squares."""
    usable = sorted((x, y) for x, y in points if x > 0 and y and y > 0)
    if len(usable) < 2:
        return {"class": None, "reason": "fewer than two measured points", "points": len(usable)}
    xs, ys = [x for x, _ in usable], [y for _, y in usable]
    _, loglog, _ = _least_squares([math.log(x) for x in xs], [math.log(y) for y in ys])
    fits = {"logarithmic": _least_squares([math.log(x) for x in xs], ys), "linear": _least_squares(xs, ys)}
    best = min(fits, key=lambda name: fits[name][2]) if len(usable) >= 3 else "linear"
    a, b, _ = fits[best]
    low, high = (math.log(xs[0]), math.log(xs[-1])) if best == "logarithmic" else (xs[0], xs[-1])
    change = b * (high - low) / min(ys)
    if abs(change) <= tolerance:
        name = "constant"
    elif change < 0:
        name = "decreasing"
    else:
        name = best if len(usable) >= 3 else "grows (two points: logarithmic or linear not told apart)"
    return {"class": name, "fitted_change": round(change, 3), "loglog_slope": round(loglog, 3),
            "fit": {"model": best, "intercept": a, "slope": b}, "points": len(usable)}  # fmt: skip


def ends_agree(first: dict[str, float | None], last: dict[str, float | None],
               tolerance: float = GROWTH_TOLERANCE) -> tuple[bool, str]:  # fmt: skip
    """Whether an axis's end points leave nothing for its middle points to show: every scenario measured at both
    ends (milliseconds per request, None where not measured or generator-bound) changes by at most `tolerance` of
    the smaller end, the same line `growth` calls constant. With the reason either way."""
    changes = {}
    for name in first.keys() | last.keys():
        low, high = first.get(name), last.get(name)
        if not low or not high:
            return False, f"{name} not measured at both ends"
        changes[name] = (high - low) / min(low, high)
    text = ", ".join(f"{name} {change:+.0%}" for name, change in sorted(changes.items()))
    if not changes:
        return False, "nothing measured at the ends"
    agree = all(abs(change) <= tolerance for change in changes.values())
    return agree, f"ends {'within' if agree else 'beyond'} {tolerance:.0%}: {text}"


def baseline_agreement(variants: dict[str, dict[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """The same baseline endpoint measured under every variant: its medians must agree within `SPREAD_BOUND`
    (the server stack is the same; only the machine's state differs), else the run is marked `exceeded`."""
    agreement: dict[str, Any] = {}
    for name in names:
        rates = {variant: entry["scenarios"][name]["rps"] for variant, entry in variants.items()
                 if entry.get("scenarios", {}).get(name, {}).get("status") == "measured"}  # fmt: skip
        agreement[name] = {"rps_by_variant": rates, **spread(list(rates.values()))}
    return agreement
