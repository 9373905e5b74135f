"""The benchmark scenarios, each declared once: what it measures, how, and what its figure is held against.

One table read by the runner (which server profile to start, which manifest operations a scenario needs,
which Locust user class to run, which scenarios the scale study repeats), the charts (which throughput
chart a scenario's bar goes in) and the report (what a figure means, what bounds it, the project's target
for it). Adding a scenario is one entry here plus its Locust user class in `benchmarks/locustfile.py`.
`production` keeps Django's PBKDF2 hasher; `bench` swaps in MD5 and is a benchmark-only profile that must
never be used in production: it exists to show what a library costs per request once hashing no longer dominates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.manifest import Manifest

# The password every seeded account shares (the seed_users command's default; the runner passes it to both).
ACCOUNT_PREFIX = "bench"
ACCOUNT_PASSWORD = "Bench-only-Passw0rd!"
# Request names starting with this are set-up (a user's first login), left out of every figure.
SETUP_PREFIX = "setup: "
# A set-up entry the locustfile fires when the measurement window opens (after the warm-up) and closes.
WINDOW_MARK = SETUP_PREFIX + "measurement window"


@dataclass(frozen=True)
class Scenario:
    name: str
    user_class: str  # the Locust user class in benchmarks/locustfile.py
    profile: str  # the settings profile of the server it runs against
    needs: tuple[str, ...]  # manifest operations it performs
    compare_to: str | None  # what bounds it: "hash_limit", another scenario's name, or None
    what: str
    chart: str | None  # the throughput chart its bar goes in (CHARTS); every scenario is in the latency chart
    # Its figure only means something on its own profile (hashing dominates it, or is meant not to): a deployment
    # measured with --host on another profile skips it.
    profile_bound: bool = False
    target: float | None = None  # the project's target, stated never asserted: ratio to `compare_to` at least this
    scale: bool = False  # measured at every point of the scale study (`--scale`)
    open_loop: bool = False  # latency at constant arrival rates below its capacity (`--open-loop`)
    curve: bool = False  # measured at every point of the cost curves (`--curves`)
    # Each request leaves a live credential behind (a login with no logout): where a library keeps one per login,
    # running it adds to the credentials per account that a cost curve's point is about.
    issues_credentials: bool = False
    # The operations one iteration sends after the user's set-up (login where `needs` has one and the cycle
    # does not start with it): what the cost curves' work probe counts per request (benchmarks/work.py).
    cycle: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.curve and not self.cycle:  # the work probe counts a curve scenario's cycle: it must name one
            raise ValueError(f"scenario {self.name!r} is on the cost curves but names no cycle")

    def lacking(self, manifest: Manifest) -> list[str]:
        """The operations it needs that the variant does not offer: where any, the scenario is skipped."""
        return [op for op in self.needs if not manifest.has_operation(op)]

    def record(self) -> dict[str, Any]:
        """What a run's summary says about the scenario (its `scenarios` section)."""
        keys = ("name", "user_class", "profile", "needs", "compare_to", "what", "open_loop", "curve")
        return {key: getattr(self, key) for key in keys}


HASH_CHART, FAST_CHART = "production", "fast"

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("register", "RegisterUser", "production", ("register",), "hash_limit",
                 "new accounts per second (one password hash each, with the production hasher)",
                 HASH_CHART, profile_bound=True),
        Scenario("login", "LoginUser", "production", ("login",), "hash_limit",
                 "logins of distinct seeded accounts with the production hasher: bound by password hashing",
                 HASH_CHART, profile_bound=True, target=0.9, issues_credentials=True),
        Scenario("login_fast", "LoginFastUser", "bench", ("login",), "baseline_drf",
                 "the same logins on the benchmark-only MD5 profile (never for production): the library's own cost",
                 FAST_CHART, profile_bound=True, scale=True, open_loop=True, curve=True, issues_credentials=True,
                 cycle=("login",)),
        Scenario("me", "MeUser", "bench", ("login", "me"), "baseline_drf",
                 "authenticated GET of the current user; each simulated user logged in once with its own account",
                 FAST_CHART, target=0.85, scale=True, open_loop=True, curve=True, cycle=("me",)),
        Scenario("refresh", "RefreshUser", "bench", ("login", "refresh"), "baseline_drf",
                 "JWT refresh: a new access token from the refresh token (JWT variants only)", FAST_CHART,
                 open_loop=True),
        Scenario("logout_login", "LogoutLoginUser", "bench", ("login", "logout"), None,
                 "log out then log in again, in a loop (two requests per cycle; MD5 profile)", FAST_CHART,
                 curve=True, cycle=("logout", "login")),
        Scenario("mixed", "MixedUser", "bench", ("login", "me", "update_me", "logout"), None,
                 "a session-like mix: mostly `me`, some profile updates, refreshes and logout/login cycles",
                 FAST_CHART),
        Scenario("baseline_drf", "BaselineDrfUser", "bench", (), None,
                 "a DRF APIView with no authentication loading one user by id: the ceiling `me` compares to",
                 FAST_CHART),
        # A hundredfold faster than the rest: its bar would flatten the fast chart, so only latency shows it.
        Scenario("baseline_plain", "BaselinePlainUser", "bench", (), None,
                 "a plain Django view answering a tiny JSON: the cost of gunicorn, WSGI and middleware alone", None),
    )
}  # fmt: skip

# The order profiles are served in: the production server first, so the bench server's state never leaks into it.
PROFILES = ("production", "bench")


def in_chart(chart: str) -> tuple[str, ...]:
    """The scenarios whose throughput bars a chart draws, in the table's order."""
    return tuple(name for name, scenario in SCENARIOS.items() if scenario.chart == chart)


def targets() -> dict[str, Scenario]:
    """The scenarios the project states a target for."""
    return {name: scenario for name, scenario in SCENARIOS.items() if scenario.target is not None}


def _credentials_last(names: list[str]) -> tuple[str, ...]:
    """`names` with those that leave credentials behind last: at a point about credentials per account (the cost
    curves' credentials axis, the scale study's `many_tokens`), `login_fast` adds hundreds of logins per account in
    one run, and `me` measured after it would be measured at that many credentials, not at the point's."""
    return tuple(sorted(names, key=lambda name: SCENARIOS[name].issues_credentials))


def scale_scenarios() -> tuple[str, ...]:
    return _credentials_last([name for name, scenario in SCENARIOS.items() if scenario.scale])


def open_loop_scenarios() -> tuple[str, ...]:
    return tuple(name for name, scenario in SCENARIOS.items() if scenario.open_loop)


def curve_scenarios() -> tuple[str, ...]:
    return _credentials_last([name for name, scenario in SCENARIOS.items() if scenario.curve])
