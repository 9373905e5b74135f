"""The test profile's password hasher, counted: Django's MD5 hasher that logs one line per hash it computes.

The posture battery asks how many password hashes a successful login, a wrong password and an unknown user
cost (harness/cases/failure.py). Counting beats timing there: a count is exact and independent of machine
load. Each hash appends `<kind> <pid>\\n` to the file named by `AUTHCMP_HASH_LOG`, which the harness sets per
server (harness/server.py); every gunicorn worker appends to the same file, and a short write to a file opened
with O_APPEND lands whole, so no line is lost or torn. Without the variable nothing is written.
Dangerous like the MD5 it wraps: test profile only (backends/common/settings.py), never deployed.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.contrib.auth.hashers import MD5PasswordHasher

_verifying = threading.local()  # set while verify() runs: MD5's verify() computes its hash through encode()


def _log(kind: str) -> None:
    path = os.environ.get("AUTHCMP_HASH_LOG")
    if not path:
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{kind} {os.getpid()}\n".encode())
    finally:
        os.close(fd)


class CountingMD5PasswordHasher(MD5PasswordHasher):
    """MD5 with the same algorithm name, so stored hashes are plain MD5 ones; every computed hash is logged once:
    `encode` for a new password (or Django's dummy hash for an unknown user), `verify` for a password check."""

    def encode(self, password: str, salt: str) -> Any:
        _log("verify" if getattr(_verifying, "active", False) else "encode")
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> Any:
        _verifying.active = True
        try:
            return super().verify(password, encoded)
        finally:
            _verifying.active = False
