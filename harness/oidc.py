"""The loopback OpenID Connect provider: started once per process, a client per variant, users per test.

`providers/oidc/` is a small Django project serving django-allauth's own OIDC provider (`allauth.idp.oidc`)
under gunicorn: discovery, JWKS, the authorization-code flow (PKCE when the client sends a challenge) behind
allauth's HTML login form, token and userinfo endpoints. `provider()` starts it the first time a variant that
`requires = ["oidc"]` is started in this process (a fresh SQLite file and a fresh RSA signing key) and stops it
when the process exits; `register(variant)` gives each variant a confidential client of its own, whose id,
secret, redirect URI and the provider's URL reach the variant's settings through `client_env`.

`UserAgent` is the browser's part of a login, over plain HTTP: it opens the authorization URL, fills the
provider's login form (with its CSRF token), and hands back the code and state the provider redirects with.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

from harness.manifest import REPO_ROOT

URL_ENV, CLIENT_ID_ENV, SECRET_ENV, REDIRECT_ENV = (
    "AUTHCMP_OIDC_URL",
    "AUTHCMP_OIDC_CLIENT_ID",
    "AUTHCMP_OIDC_CLIENT_SECRET",
    "AUTHCMP_OIDC_REDIRECT_URI",
)
CONTROL_ENV = "AUTHCMP_OIDC_CONTROL_TOKEN"
# Where the provider sends the user-agent back: the frontend's route. Nothing listens there; the user-agent
# reads the code and state off the redirect, as a single-page app reads them off its address bar.
REDIRECT_URI = "http://localhost/authcmp/oidc/callback"


class ProviderError(RuntimeError):
    """The provider could not be started or refused a control request."""


@dataclass
class Provider:
    """The running provider: where it answers and the bearer its control endpoints take."""

    url: str
    control_token: str
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    workdir: Path | None = None  # its database and log, removed when it stops

    def control(self, path: str, body: dict) -> dict:
        reply = requests.post(
            f"{self.url}/authcmp/{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.control_token}"},
            timeout=30,
        )
        if reply.status_code != 200:
            raise ProviderError(f"provider control {path} answered {reply.status_code}: {reply.text[:300]}")
        return reply.json()


@dataclass(frozen=True)
class ProviderUser:
    """An account at the provider (what a Google account is to a Google login)."""

    username: str
    email: str
    email_verified: bool
    password: str = field(default_factory=lambda: f"Pr0vider-{secrets.token_urlsafe(9)}")


_provider: Provider | None = None


def _stop(provider: Provider) -> None:
    if provider.process and provider.process.poll() is None:
        provider.process.terminate()
        try:
            provider.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            provider.process.kill()
    if provider.workdir:
        shutil.rmtree(provider.workdir, ignore_errors=True)


def provider(startup_timeout: float = 60.0) -> Provider:
    """The process's provider, started on first use and stopped at exit."""
    global _provider
    if _provider is not None and _provider.process and _provider.process.poll() is None:
        return _provider
    from harness.server import free_port, signing_keys  # server imports services, which imports this module

    workdir = Path(tempfile.mkdtemp(prefix="authcmp-oidc-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "providers.oidc.settings",
        "PYTHONPATH": str(REPO_ROOT),
        "AUTHCMP_OIDC_DATABASE": str(workdir / "provider.sqlite3"),
        "IDP_OIDC_PRIVATE_KEY": signing_keys()["HEADLESS_JWT_PRIVATE_KEY"],
        CONTROL_ENV: secrets.token_urlsafe(32),
        "AUTHCMP_OIDC_SECRET_KEY": secrets.token_urlsafe(48),
    }
    env = {**os.environ, **env}
    migrated = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput"], cwd=REPO_ROOT, env=env, capture_output=True
    )
    if migrated.returncode:
        raise ProviderError(f"the OIDC provider's migrate failed:\n{migrated.stderr.decode()[-3000:]}")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = workdir / "provider.log"
    command = [
        sys.executable, "-m", "gunicorn", "providers.oidc.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--access-logfile", "-", "--error-logfile", "-",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    started = Provider(url, env[CONTROL_ENV], process, log_path, workdir)
    atexit.register(_stop, started)
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/.well-known/openid-configuration", timeout=2).status_code == 200:
                _provider = started
                return started
        time.sleep(0.1)
    tail = log_path.read_text(errors="replace")[-3000:]
    _stop(started)
    raise ProviderError(f"the OIDC provider did not start at {url}; its log ended:\n{tail}")


def register(variant: str, fault: str | None = None) -> dict[str, str]:
    """Register (or update) the variant's client; the environment that points the variant's settings at it."""
    running = provider()
    client_id, secret = f"authcmp-{variant}", secrets.token_urlsafe(24)
    running.control("clients", {"id": client_id, "secret": secret, "redirect_uris": [REDIRECT_URI], "fault": fault})
    return {URL_ENV: running.url, CLIENT_ID_ENV: client_id, SECRET_ENV: secret, REDIRECT_ENV: REDIRECT_URI}


def set_fault(client_env: dict[str, str], fault: str | None) -> None:
    """Make the provider issue the client's id_tokens with `fault` (see providers/oidc/faults.py), or none."""
    provider().control(
        "clients",
        {"id": client_env[CLIENT_ID_ENV], "secret": client_env[SECRET_ENV], "redirect_uris": [REDIRECT_URI],
         "fault": fault},
    )  # fmt: skip


def new_user(prefix: str = "s", *, email: str | None = None, email_verified: bool = True) -> ProviderUser:
    tag = secrets.token_hex(6)
    user = ProviderUser(f"{prefix}{tag}", email or f"{prefix}{tag}@idp.example.org", email_verified)
    provider().control("users", {**vars(user)})
    return user


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorization_url(client_env: dict[str, str], *, state: str, nonce: str, challenge: str | None) -> str:
    """The authorization request a frontend builds itself (where the library leaves it to the frontend)."""
    params = {
        "response_type": "code",
        "client_id": client_env[CLIENT_ID_ENV],
        "redirect_uri": client_env[REDIRECT_ENV],
        "scope": "openid profile email",
        "state": state,
        "nonce": nonce,
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    discovery = requests.get(f"{client_env[URL_ENV]}/.well-known/openid-configuration", timeout=30).json()
    return f"{discovery['authorization_endpoint']}?{urlencode(params)}"


def exchange(client_env: dict[str, str], code: str, verifier: str | None) -> dict:
    """The frontend's (an app's) own code exchange at the token endpoint: the tokens the provider issues."""
    discovery = requests.get(f"{client_env[URL_ENV]}/.well-known/openid-configuration", timeout=30).json()
    body = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": client_env[REDIRECT_ENV],
        "client_id": client_env[CLIENT_ID_ENV],
        "client_secret": client_env[SECRET_ENV],
    }
    if verifier:
        body["code_verifier"] = verifier
    reply = requests.post(discovery["token_endpoint"], data=body, timeout=30)
    if reply.status_code != 200:
        raise ProviderError(f"token endpoint answered {reply.status_code}: {reply.text[:300]}")
    return reply.json()


class UserAgent:
    """The user's browser at the provider, over HTTP: follows redirects, fills the login form, keeps cookies."""

    def __init__(self, user: ProviderUser) -> None:
        self.user = user
        self.http = requests.Session()

    def authorize(self, url: str) -> dict[str, str]:
        """Open `url` (an authorization request), log in when asked; the query the provider redirects back with."""
        for _ in range(10):
            reply = self.http.get(url, allow_redirects=False, timeout=30)
            if reply.status_code in (301, 302, 303):
                url = urljoin(url, reply.headers["Location"])
                if not url.startswith(provider().url):
                    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
                continue
            if reply.status_code == 200 and 'name="password"' in reply.text:
                url = self._log_in(reply)
                continue
            raise ProviderError(f"the provider answered {reply.status_code} at {url}: {reply.text[:300]}")
        raise ProviderError(f"too many redirects at the provider, last {url}")

    def _log_in(self, form_page: requests.Response) -> str:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text)
        assert token, "the provider's login form has no CSRF token"
        reply = self.http.post(
            form_page.url,
            data={"csrfmiddlewaretoken": token[1], "login": self.user.username, "password": self.user.password},
            headers={"Referer": form_page.url},
            allow_redirects=False,
            timeout=30,
        )
        if reply.status_code not in (301, 302, 303):
            raise ProviderError(f"the provider's login form answered {reply.status_code}: {reply.text[:300]}")
        return urljoin(form_page.url, reply.headers["Location"])
