"""Start a variant under gunicorn on a fresh, migrated database; wait for health; stop it in `finally`.

One context manager serves the suite, the benchmarks and the noxfile's `serve` session alike. On SQLite
each run gets its own database file; with a PostgreSQL `DATABASE_URL`, each run creates its own database
next to the one named and drops it afterwards, so runs never see each other's rows. The server's output
goes to a log file whose tail is quoted when start-up fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from harness import mail
from harness.environment import PYTHON_ENV, EnvironmentFailed, interpreter
from harness.manifest import REPO_ROOT, Manifest
from harness.services import provide
from harness.settings_reads import ENV as SETTINGS_READS_ENV
from harness.settings_reads import summarize

HEALTH_PATH = "/health/"


class ServerError(RuntimeError):
    """The variant could not be prepared or did not become healthy."""


@dataclass(frozen=True)
class Server:
    """A running variant: where it answers and what it reported about itself."""

    base_url: str
    variant: str
    health: dict[str, Any] = field(default_factory=dict)
    log_path: Path | None = None
    mail_dir: Path | None = None
    database_url: str | None = None
    # The JWT signing keys the harness gave this server (variable -> value): empty for a deployment or `serve`.
    signing_keys: dict[str, str] = field(default_factory=dict)
    # The file the test profile's counting hasher appends a line to per password hash (backends/common/hashers.py).
    hash_log: Path | None = None
    # Filled when the server stops: the settings and namespace-dict keys it defined but never read (test profile
    # only; harness/settings_reads.py). Empty while it runs, for a deployment, and in the other profiles.
    settings_reads: dict[str, Any] = field(default_factory=dict)
    # What `harness.services.provide` gave the server (e.g. its OpenID Connect client): empty for a deployment.
    services: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_health(base_url: str, timeout: float = 5.0, server_id: str | None = None) -> dict[str, Any]:
    """The variant's self-report, or {} for a deployment that serves no health endpoint; with `server_id`, {} too
    when the answer comes from another server than the one the harness gave that id (SERVER_ID_ENV)."""
    try:
        reply = requests.get(base_url + HEALTH_PATH, timeout=timeout)
        found = reply.json() if reply.status_code == 200 else {}
    except (requests.RequestException, ValueError):
        return {}
    answered = found.pop("server", None)  # a per-start id: never part of what a record keeps
    return {} if server_id is not None and answered not in (None, server_id) else found


def redact(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = parts.username
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc}" if user else netloc))


@contextlib.contextmanager
def _postgres_database(database_url: str, label: str) -> Iterator[str]:
    """Create a database of this run's own beside the one `database_url` names; drop it at the end."""
    import psycopg  # only PostgreSQL runs need the driver at harness level

    # PostgreSQL cuts identifiers at 63 bytes: the label is shortened so the run's random suffix always survives.
    name = re.sub(r"[^a-z0-9_]", "_", f"authcmp_{label[:45]}_{uuid.uuid4().hex[:8]}".lower())
    try:
        admin = psycopg.connect(database_url, autocommit=True)
    except psycopg.Error as exc:
        raise ServerError(f"cannot reach PostgreSQL at {redact(database_url)}: {exc}") from exc
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def database_for(label: str, database_url: str | None, workdir: Path) -> Iterator[str]:
    """A fresh database for one run: a new SQLite file by default, or a new PostgreSQL database."""
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        with _postgres_database(database_url, label) as url:
            yield url
    elif database_url and not database_url.startswith("sqlite:"):
        raise ServerError(f"DATABASE_URL must be sqlite:// or postgres://, not {redact(database_url)}")
    else:
        yield database_url or f"sqlite:///{workdir / 'db.sqlite3'}"


# The variables through which the JWT variants' settings read their signing key (SIMPLE_JWT['SIGNING_KEY'] and
# allauth's HEADLESS_JWT_PRIVATE_KEY); a manifest's `jwt.key` names the one its variant signs with.
SIGNING_KEY_VARIABLES = ("AUTHCMP_JWT_SIGNING_KEY", "HEADLESS_JWT_PRIVATE_KEY")


def signing_keys() -> dict[str, str]:
    """Fresh signing keys for one server: a random HS256 secret and an RSA private key (PKCS#8 PEM).

    Known to the harness, so the posture battery can mint validly signed bad tokens (no exp, a future nbf, another
    audience...) that only a key holder could make: the case then tests the validation, not the key's secrecy.
    """
    # Imported here: only servers the harness starts need them (the backends group pins both).
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return dict(zip(SIGNING_KEY_VARIABLES, (secrets.token_urlsafe(48), pem.decode()), strict=True))


def server_env(
    manifest: Manifest, database_url: str, profile: str, mail_dir: Path, extra: dict[str, str] | None = None
) -> dict[str, str]:
    try:  # the suite's own Python, or the variant's own environment (harness/environment.py), built if missing
        python = interpreter(manifest)
    except EnvironmentFailed as exc:
        raise ServerError(f"{manifest.variant}: its environment could not be built: {exc}") from exc
    return {
        **os.environ,
        PYTHON_ENV: python,
        "DJANGO_SETTINGS_MODULE": manifest.settings_module,
        "DATABASE_URL": database_url,
        "AUTHCMP_PROFILE": profile,
        "AUTHCMP_VARIANT": manifest.variant,
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONPATH": str(REPO_ROOT),
        **(extra or {}),
    }


def manage(env: dict[str, str], *args: str) -> None:
    """Run a Django management command for the variant; raise with its output when it fails."""
    done = subprocess.run(
        [env.get(PYTHON_ENV, sys.executable), "-m", "django", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise ServerError(f"`django-admin {' '.join(args)}` failed ({done.returncode}):\n{done.stderr[-3000:]}")


SERVER_ID_ENV = "AUTHCMP_SERVER_ID"  # backends/common/views.py echoes it in the health answer


def _wait_healthy(
    base_url: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float, server_id: str
) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        # Another process's server may hold the port `free_port` handed out (two suites run at once in `tests`):
        # only this server's own id counts as healthy; gunicorn, unable to bind, exits and says so below.
        health = fetch_health(base_url, timeout=2.0, server_id=server_id)
        if health:
            return health
        time.sleep(0.1)
    tail = log_path.read_text(errors="replace")[-3000:] if log_path.exists() else "(no log)"
    state = f"exited with {process.returncode}" if process.poll() is not None else f"not healthy after {timeout}s"
    raise ServerError(f"server {state} at {base_url}{HEALTH_PATH}; log {log_path}:\n{tail}")


@contextlib.contextmanager
def run_server(
    manifest: Manifest,
    *,
    database_url: str | None = None,
    profile: str = "test",
    port: int | None = None,
    workers: int = 2,
    workdir: Path | None = None,
    fresh_database: bool = True,
    startup_timeout: float = 60.0,
    gunicorn_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
    access_log: bool = True,
) -> Iterator[Server]:
    """Serve `manifest`'s variant until the block ends. `fresh_database=False` keeps `database_url` as is
    (the `serve` session's persistent SQLite file) instead of creating a new database. `access_log=False`
    logs errors only: the benchmarks' servers, where a log line per request is a cost no library causes."""
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"authcmp-{manifest.variant}-")))
        workdir.mkdir(parents=True, exist_ok=True)
        url = (
            stack.enter_context(database_for(manifest.variant, database_url, workdir))
            if fresh_database
            else database_url or f"sqlite:///{workdir / 'db.sqlite3'}"
        )
        mail_dir = workdir / "mail"
        hash_log = workdir / "hashes.log"  # read by the test profile's hasher only
        reads_log = workdir / "settings_reads.jsonl"  # written by the test profile's recorder only
        # A fresh database gets fresh signing keys; `serve`'s persistent one keeps the settings' own, so its tokens
        # survive a restart. A key in `extra_env` wins over the generated one.
        keys = signing_keys() if fresh_database else {}
        keys.update({name: value for name, value in (extra_env or {}).items() if name in SIGNING_KEY_VARIABLES})
        services = stack.enter_context(provide(manifest))  # Redis and a key prefix of this run's own, if required
        env = server_env(
            manifest,
            url,
            profile,
            mail_dir,
            {
                **keys,
                **services,
                "AUTHCMP_HASH_LOG": str(hash_log),
                SETTINGS_READS_ENV: str(reads_log),
                SERVER_ID_ENV: (server_id := secrets.token_hex(8)),
                **(extra_env or {}),
            },
        )
        manage(env, "migrate", "--noinput")
        port = port or free_port()
        base_url = f"http://127.0.0.1:{port}"
        stack.enter_context(mail.serving(base_url, mail_dir))  # contract clients of this server read its mail there
        log_path = workdir / "server.log"
        command = [
            env[PYTHON_ENV], "-m", "gunicorn", "backends.common.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            *(("--access-logfile", "-") if access_log else ()), "--error-logfile", "-", *gunicorn_args,
        ]  # fmt: skip
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            health = _wait_healthy(base_url, process, log_path, startup_timeout, server_id)
            server = Server(
                base_url, manifest.variant, health, log_path, mail_dir, url, keys, hash_log=hash_log, services=services
            )
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        server.settings_reads.update(summarize(reads_log))  # complete once every worker has stopped
