"""Locust scenarios for one variant, driven only by its manifest: no endpoint, header or body is named here.

`ManifestUser` builds every request from the manifest's `Operation` (method, path, body template filled
with the account's fields and the credentials captured so far, the auth header the manifest declares),
checks the declared success status and captures credentials with the manifest's locators, as the contract
client does. Each scenario is a small subclass. Users that need an account take distinct seeded accounts
(`seed_users`), so no scenario hammers one row. Set-up requests are named "setup: …" and left out of the
figures. Run it through `python -m benchmarks.run`, or by hand:
`locust -f benchmarks/locustfile.py --variant knox-token --host http://127.0.0.1:8000 MeUser`.
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Locust puts only this folder on sys.path; the repository root holds the harness and the manifests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gevent
from locust import FastHttpUser, constant_throughput, events, task
from locust.exception import StopUser

from benchmarks import window  # importing it registers the measurement window (benchmarks/window.py)
from benchmarks.scenarios import ACCOUNT_PASSWORD, ACCOUNT_PREFIX, SETUP_PREFIX
from harness.capabilities import declared
from harness.client import Received, build_request, captured, locate
from harness.manifest import BACKENDS_DIR, Manifest, load

REGISTER_PASSWORD = "Tr0ub4dor&3-bench-only"  # passes Django's four validators
Check = Callable[[Received], "str | None"]  # a reason to fail an answer whose status was right, or None
_accounts = itertools.count()  # per load-generator process; see ManifestUser.next_account


@functools.cache
def _manifest(variant: str, backends_dir: str) -> Manifest:
    return load(variant, Path(backends_dir))  # once per process: every simulated user drives the same manifest


@events.init_command_line_parser.add_listener
def _arguments(parser: Any) -> None:
    parser.add_argument("--variant", default=os.environ.get("AUTHCMP_VARIANT", ""), help="variant manifest to drive")
    parser.add_argument("--account-prefix", default=ACCOUNT_PREFIX, help="seeded usernames' prefix")
    parser.add_argument("--account-password", default=ACCOUNT_PASSWORD, help="seeded accounts' shared password")
    parser.add_argument("--seeded-users", type=int, default=1000, help="how many accounts seed_users created")
    parser.add_argument("--first-pk", type=int, default=1, help="primary key of the first seeded account")
    parser.add_argument("--warmup", type=float, default=0.0, help="seconds at full load before the stats reset")
    parser.add_argument("--measure", type=float, default=0.0, help="seconds measured after the warm-up, then quit")
    parser.add_argument("--backends-dir", default=str(BACKENDS_DIR), help="where the variants' manifests live")
    parser.add_argument("--account-offset", type=int, default=0, help="seeded accounts to leave before the first used")
    parser.add_argument(
        "--arrival-rate",
        type=float,
        default=0.0,
        help="open loop: requests/s over all users, each paced by constant_throughput (0: closed)",
    )


class ManifestUser(FastHttpUser):
    """Performs the variant's contract operations as its manifest binds them."""

    abstract = True
    _pace: Callable[[Any], float] | None = None

    def wait_time(self) -> float:
        """Closed loop (the default): the next request leaves as soon as the last one is answered. Open loop
        (`--arrival-rate R`): each of the N users starts one task every N/R seconds (Locust's constant_throughput),
        whatever the answers take, so the server sees R requests/s while it keeps up."""
        return self._pace(self) if self._pace else 0.0

    def on_start(self) -> None:
        options = self.environment.parsed_options
        if not options.variant:
            raise RuntimeError("no variant: pass --variant or set AUTHCMP_VARIANT")
        self.manifest = _manifest(options.variant, options.backends_dir)
        self.credentials: dict[str, str] = {}
        self.account: dict[str, str] = {}
        self.account_index = -1
        if options.arrival_rate:
            per_user = options.arrival_rate / (options.num_users or 1)
            self._pace = constant_throughput(per_user)
            # Users spawn together: a random phase within one interval spreads their requests over time.
            gevent.sleep(random.uniform(0, 1 / per_user))

    def next_account(self) -> dict[str, str]:
        """A seeded account no other simulated user of this run holds (while users <= seeded accounts).
        Processes of a distributed run start at different offsets: worker i begins at i * total users."""
        options = self.environment.parsed_options
        worker = max(getattr(self.environment.runner, "worker_index", 0), 0)
        used = max(options.seeded_users - options.account_offset, 1)
        self.account_index = options.account_offset + (worker * (options.num_users or 1) + next(_accounts)) % used
        username = f"{options.account_prefix}{self.account_index + 1:06d}"
        return {"username": username, "email": f"{username}@example.com", "password": options.account_password}

    def perform(
        self, operation: str, *, name: str | None = None, check: Check | None = None, needs_access: bool = True,
        **values: str,
    ) -> Received | None:  # fmt: skip
        """Send `operation`; on its declared success capture credentials and return the answer, else mark the
        request failed with the reason and return None. An operation that declares an access credential must hand
        one out unless `needs_access` is False; `check` may name one more reason to fail."""
        op = self.manifest.operation(operation)
        request = build_request(self.manifest, operation, {**self.account, **self.credentials, **values})
        with self.client.request(
            request.method, request.path, name=name or operation,
            data=request.body,  # type: ignore[arg-type]  # Locust's annotation omits bytes; they are sent as they are
            headers=request.headers_with_cookies(), catch_response=True,
        ) as reply:  # fmt: skip
            cookies = self._take_cookies()
            if reply.status_code not in op.status:
                text = " ".join((reply.text or "").split())[:200]
                reply.failure(f"{operation}: expected {op.status}, got {reply.status_code}: {text or '(empty)'}")
                return None
            read = Received(reply.text or "", cookies)
            got = captured(op, read)
            if needs_access and "access" in op.credentials and "access" not in got:
                reply.failure(f"{operation}: no access credential at {op.credentials['access']}")
                return None
            reason = check(read) if check else None
            if reason:
                reply.failure(f"{operation}: {reason}")
                return None
            self.credentials.update(got)
            # Explicitly: Locust counts any 4xx as failed unless told otherwise, and a manifest may declare one
            # as success (allauth headless answers a completed logout with 401).
            reply.success()
            return read

    def _take_cookies(self) -> dict[str, str]:
        """Cookies the last answer set; the jar is emptied so nothing is resent that the manifest did not declare."""
        jar = self.client.cookiejar
        cookies = {cookie.name: cookie.value or "" for cookie in jar}
        jar.clear()
        return cookies

    def log_in(self, account: dict[str, str], *, name: str = "login") -> bool:
        self.account, self.credentials = account, {}
        return self.perform("login", name=name) is not None

    def log_in_for_setup(self) -> None:
        """The first login of a user that then does something else (its class says `sets_up`); without it the user
        cannot go on. Counted when it ends, so the measurement window opens after every user's set-up."""
        try:
            logged_in = self.log_in(self.next_account(), name=SETUP_PREFIX + "login")
        finally:
            window.set_up_finished()
        if not logged_in:
            raise StopUser()


class RegisterUser(ManifestUser):
    def on_start(self) -> None:
        super().on_start()
        # The figure is accounts created; a credential is required only where the variant claims its sign-up hands one
        # out (registration_returns_credential, verified both ways by the suite). With mandatory verification (the
        # hardened allauth modes) sign-up answers a pending flow and none, though the mode inherits where its default
        # mode's sign-up puts one.
        self.signup_credential = declared(self.manifest, "registration_returns_credential")["claim"] is True

    @task
    def register(self) -> None:
        username = f"reg{uuid.uuid4().hex[:16]}"
        self.account = {"username": username, "email": f"{username}@example.com", "password": REGISTER_PASSWORD}
        self.credentials = {}
        self.perform("register", needs_access=self.signup_credential)


class LoginUser(ManifestUser):
    @task
    def login(self) -> None:
        self.log_in(self.next_account())


class LoginFastUser(LoginUser):
    """The same logins; the runner serves them with the benchmark-only MD5 profile (never for production)."""


class MeUser(ManifestUser):
    sets_up = True

    def on_start(self) -> None:
        super().on_start()
        self.log_in_for_setup()

    @task
    def me(self) -> None:
        self.me_checked()

    def me_checked(self) -> None:
        self.perform("me", check=self.names_own_account)

    def names_own_account(self, read: Received) -> str | None:
        found = locate(read, self.manifest.user_fields["username"])
        return None if found == self.account["username"] else f"answered for {found!r}, not {self.account['username']}"


class RefreshUser(ManifestUser):
    sets_up = True

    def on_start(self) -> None:
        super().on_start()
        if not self.manifest.has_operation("refresh"):
            raise StopUser()  # the runner skips this scenario for such variants and says why
        self.log_in_for_setup()

    @task
    def refresh(self) -> None:
        self.perform("refresh")


class LogoutLoginUser(ManifestUser):
    sets_up = True

    def on_start(self) -> None:
        super().on_start()
        self.log_in_for_setup()

    @task
    def cycle(self) -> None:
        self.perform("logout")
        self.log_in(self.account)


class MixedUser(MeUser):
    """Mostly reads, as a session-based client would send them; refresh only where the manifest binds it."""

    def on_start(self) -> None:
        super().on_start()
        weights = {"me": 20, "update_me": 2, "logout_login": 1}
        if self.manifest.has_operation("refresh"):
            weights["refresh"] = 2
        self.choices, self.weights = list(weights), list(weights.values())

    @task
    def mixed(self) -> None:
        action = random.choices(self.choices, self.weights)[0]
        if action == "me":
            self.me_checked()
        elif action == "update_me":
            self.perform("update_me", first_name=f"Bench{random.randrange(1000)}")
        elif action == "refresh":
            self.perform("refresh")
        else:
            self.perform("logout")
            self.log_in(self.account)


class BaselineDrfUser(ManifestUser):
    def on_start(self) -> None:
        super().on_start()
        self.next_account()
        self.pk = self.environment.parsed_options.first_pk + self.account_index

    @task
    def baseline_drf(self) -> None:
        with self.client.get(f"/baseline/drf/{self.pk}/", name="baseline_drf", catch_response=True) as reply:
            if reply.status_code != 200 or not locate(Received(reply.text or ""), "body:username"):
                reply.failure(f"baseline_drf: expected 200 with a user, got {reply.status_code}")


class BaselinePlainUser(ManifestUser):
    @task
    def baseline_plain(self) -> None:
        with self.client.get("/baseline/plain/", name="baseline_plain", catch_response=True) as reply:
            if reply.status_code != 200:
                reply.failure(f"baseline_plain: expected 200, got {reply.status_code}")
