"""Posture cases about what a failed attempt costs and reveals, and about the quality of opaque tokens.

Hash counts come from the test profile's counting hasher (backends/common/hashers.py): exact, whatever the
machine's load. Times come from a server with the production hasher and are decided as statistics: a paired
bootstrap confidence interval of the ratio of medians, a fixed seed so the verdict is reproducible from the
samples, and three outcomes: `pass` when the whole interval lies inside the tolerance, `fail` when it lies
wholly outside, `inconclusive` otherwise (recorded, never a pass, never a red test; see harness.posture).
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from harness.cases import ASVS, Case

CASES: dict[str, Case] = {
    # Cost of failure: counted hashes (test profile) and times (production hasher).
    "failed_login_costs_no_more_hashes_than_success": Case(
        "a wrong password or an unknown user costs no more password hashes than a successful login", f"{ASVS} V15.2.2"
    ),
    "unknown_user_costs_as_many_hashes_as_wrong_password": Case(
        "an unknown user costs as many password hashes as a wrong password", f"{ASVS} V6.3.8"
    ),
    "failed_login_takes_no_longer_than_success": Case(
        "production hasher: median failed login / median successful login <= 1.05 (95 % CI)", f"{ASVS} V15.2.2"
    ),
    "login_timing_does_not_reveal_users": Case(
        "production hasher: median login time, unknown user / wrong password within 0.95-1.05 (95 % CI)",
        f"{ASVS} V6.3.8",
    ),
    "password_reset_timing_does_not_reveal_users": Case(
        "median reset request time, unknown / known email within 0.95-1.05 (95 % CI)", f"{ASVS} V6.3.8"
    ),
    # Opaque tokens: 50 issued by logins, examined together.
    "opaque_tokens_never_repeat": Case(
        "50 tokens from logins hold no duplicate", f"{ASVS} V7.2.3", credential_kind="opaque"
    ),
    "opaque_tokens_share_nothing_but_a_declared_prefix": Case(
        "no prefix or position is the same across 50 tokens, beyond a prefix the manifest declares",
        f"{ASVS} V7.2.3",
        credential_kind="opaque",
    ),
    "opaque_tokens_not_ordered_by_issue_time": Case(
        "tokens issued in order do not sort in order and embed no timestamp", f"{ASVS} V7.2.3", credential_kind="opaque"
    ),
    "opaque_tokens_unrelated_to_the_user": Case(
        "tokens neither contain the account's name nor sort by its id", f"{ASVS} V7.2.3", credential_kind="opaque"
    ),
}

# An answer that refuses for too many attempts rather than judging the credentials: its time measures the
# limiter, not the login, so timing cases leave it out (and count it). 429 is DRF's Throttled and allauth
# headless's per-IP limits; allauth's per-account budget of failed logins answers 400 with the adapter's
# "too_many_login_attempts" message, "Too many failed login attempts. Try again later." (allauth/account/adapter.py).
RATE_LIMIT_STATUS = 429
RATE_LIMIT_MARKERS = ("too many", "throttled")

TOLERANCE = 0.05  # a timing difference within 5 % is too small to tell users apart over a network
RESAMPLES, CONFIDENCE, SEED = 2000, 0.95, 20250501


def rate_limited(status: int, text: str) -> bool:
    return status == RATE_LIMIT_STATUS or any(marker in text.lower() for marker in RATE_LIMIT_MARKERS)


@dataclass(frozen=True)
class Interval:
    """The ratio of two medians and its bootstrap confidence interval."""

    ratio: float
    low: float
    high: float
    pairs: int

    def __str__(self) -> str:
        return f"{self.ratio:.3f} [{self.low:.3f}, {self.high:.3f}] ({CONFIDENCE:.0%} CI, {self.pairs} pairs)"


def ratio_of_medians(pairs: Sequence[tuple[float, float]]) -> Interval:
    """median(first) / median(second) over interleaved pairs, with a paired bootstrap interval: a pair is
    resampled whole, so load drift that hit both of its requests stays shared. The seed is fixed, so the same
    samples always give the same interval."""
    if len(pairs) < 2:
        return Interval(float("nan"), float("-inf"), float("inf"), len(pairs))
    rng = random.Random(SEED)
    ratio = statistics.median(a for a, _ in pairs) / statistics.median(b for _, b in pairs)
    ratios = []
    for _ in range(RESAMPLES):
        sample = rng.choices(pairs, k=len(pairs))
        ratios.append(statistics.median(a for a, _ in sample) / statistics.median(b for _, b in sample))
    ratios.sort()
    tail = (1 - CONFIDENCE) / 2
    low, high = ratios[int(tail * RESAMPLES)], ratios[min(RESAMPLES - 1, int((1 - tail) * RESAMPLES))]
    return Interval(ratio, low, high, len(pairs))


def within_tolerance(interval: Interval) -> str:
    """`pass` when the whole interval lies within 1 ± TOLERANCE, `fail` when wholly outside, else `inconclusive`."""
    if interval.low >= 1 - TOLERANCE and interval.high <= 1 + TOLERANCE:
        return "pass"
    if interval.high < 1 - TOLERANCE or interval.low > 1 + TOLERANCE:
        return "fail"
    return "inconclusive"


def at_most_tolerance(interval: Interval) -> str:
    """`pass` when the whole interval lies at or below 1 + TOLERANCE, `fail` when wholly above, else `inconclusive`."""
    if interval.high <= 1 + TOLERANCE:
        return "pass"
    if interval.low > 1 + TOLERANCE:
        return "fail"
    return "inconclusive"


def summary(label: str, times: Sequence[float]) -> str:
    """Median and range of one sample, in milliseconds: enough to re-check a verdict from the evidence."""
    if not times:
        return f"{label}: no samples"
    ms = sorted(t * 1000 for t in times)
    return f"{label}: n={len(ms)} median {statistics.median(ms):.1f} ms (min {ms[0]:.1f}, max {ms[-1]:.1f})"
