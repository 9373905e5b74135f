"""What each benchmark scenario measures, on which settings profile, and what its throughput is compared to.

One table shared by the runner (which server profile to start, which manifest operations a scenario
needs, which Locust user class to run) and the report (what a figure means). `production` keeps Django's
PBKDF2 hasher; `bench` swaps in MD5 and is a benchmark-only profile that must never be used in production:
it exists to show what a library costs per request once password hashing no longer dominates.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    user_class: str
    profile: str  # the settings profile of the server it runs against
    needs: tuple[str, ...]  # manifest operations it performs
    compare_to: str | None  # "hash_limit", another scenario's name, or None
    what: str


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("register", "RegisterUser", "production", ("register",), "hash_limit",
                 "new accounts per second (one password hash each, with the production hasher)"),
        Scenario("login", "LoginUser", "production", ("login",), "hash_limit",
                 "logins of distinct seeded accounts with the production hasher: bound by password hashing"),
        Scenario("login_fast", "LoginFastUser", "bench", ("login",), "baseline_drf",
                 "the same logins on the benchmark-only MD5 profile (never for production): the library's own cost"),
        Scenario("me", "MeUser", "bench", ("login", "me"), "baseline_drf",
                 "authenticated GET of the current user; each simulated user logged in once with its own account"),
        Scenario("refresh", "RefreshUser", "bench", ("login", "refresh"), "baseline_drf",
                 "JWT refresh: a new access token from the refresh token (JWT variants only)"),
        Scenario("logout_login", "LogoutLoginUser", "bench", ("login", "logout"), None,
                 "log out then log in again, in a loop (two requests per cycle; MD5 profile)"),
        Scenario("mixed", "MixedUser", "bench", ("login", "me", "update_me", "logout"), None,
                 "a session-like mix: mostly `me`, some profile updates, refreshes and logout/login cycles"),
        Scenario("baseline_drf", "BaselineDrfUser", "bench", (), None,
                 "a DRF APIView with no authentication loading one user by id: the ceiling `me` compares to"),
        Scenario("baseline_plain", "BaselinePlainUser", "bench", (), None,
                 "a plain Django view answering a tiny JSON: the cost of gunicorn, WSGI and middleware alone"),
    )
}  # fmt: skip

# The order profiles are served in: the production server first, so the bench server's state never leaks into it.
PROFILES = ("production", "bench")
