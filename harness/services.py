"""Services a variant's settings talk to besides its database: Redis (the hardened variants' shared cache) and the
loopback OpenID Connect provider of the social logins (`harness/oidc.py`, started once per process).

Throttle and lockout counters kept in a per-process cache are counted per gunicorn worker, so a limit of 5 is
really 5 times the workers; the hardened variants keep them in Redis instead. Whoever starts such a variant (the suite,
the benchmarks, `serve`) asks `provide(manifest)` for the environment: it checks that each required service
answers, gives the run a key prefix of its own and deletes that run's keys when the run ends, so runs never see
each other's counters and leave nothing behind. A missing service raises `ServiceMissing`, whose message says
how to provide it; the suite skips the variant with that reason locally and fails in CI
(`AUTHCMP_REQUIRE_SERVICES=1`, set by `.ci/run`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

from harness.manifest import Manifest

REDIS_URL_ENV = "AUTHCMP_REDIS_URL"
CACHE_PREFIX_ENV = "AUTHCMP_CACHE_PREFIX"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
REQUIRE_ENV = "AUTHCMP_REQUIRE_SERVICES"


class ServiceMissing(RuntimeError):
    """A service a variant requires does not answer."""


def redis_url() -> str:
    return os.environ.get(REDIS_URL_ENV, DEFAULT_REDIS_URL)


def redis_answers(url: str, timeout: float = 2.0) -> bool:
    """True when a Redis server answers PING at `url` (plain RESP over a socket: no client library needed)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def required_in_this_run() -> bool:
    """CI sets AUTHCMP_REQUIRE_SERVICES=1: a variant that cannot get its services is then a failure, not a skip."""
    return os.environ.get(REQUIRE_ENV) == "1"


def _delete_prefixed(url: str, prefix: str) -> int:
    import redis  # the backends group pins it; only runs of a variant that requires Redis get here

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        return client.delete(*keys) if keys else 0
    finally:
        client.close()


@contextlib.contextmanager
def provide(manifest: Manifest) -> Iterator[dict[str, str]]:
    """The environment that points `manifest`'s server at its services, for one run; cleaned up afterwards."""
    env: dict[str, str] = {}
    if "oidc" in manifest.requires:  # the loopback OpenID Connect provider: one per process, a client per variant
        from harness import oidc

        env.update(oidc.register(manifest.variant))
    if "redis" not in manifest.requires:
        yield env
        return
    url = redis_url()
    if not redis_answers(url):
        raise ServiceMissing(
            f"{manifest.variant} keeps its throttle and lockout counters in Redis, and none answers at {url}: start "
            f"one (e.g. `redis-server --daemonize yes`; `.ci/run` installs and starts it) or set {REDIS_URL_ENV}"
        )
    # Django's cache prepends KEY_PREFIX to every key: one prefix per run isolates it and names what to delete.
    prefix = f"authcmp-{manifest.variant}-{uuid.uuid4().hex[:12]}"
    try:
        yield {**env, REDIS_URL_ENV: url, CACHE_PREFIX_ENV: prefix}
    finally:
        with contextlib.suppress(Exception):  # cleanup must not hide the run's own error
            _delete_prefixed(url, prefix)
