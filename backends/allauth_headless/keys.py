"""The RSA key allauth's headless JWT strategy signs with, shared by every gunicorn worker of a server.

`HEADLESS_JWT_PRIVATE_KEY` takes a PEM text and allauth generates none. A deployment passes its own key
through the environment; otherwise one key is generated on first use and kept in a file under the
git-ignored `var/` folder, so that every worker process (and every restart) signs and verifies with the
same key: a key per process would make each worker refuse the tokens of the others.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _generate_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_key_pem(path: Path) -> str:
    """The PEM at `path`, generated there first if it does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written to a private temporary file and linked into place: a worker that loses the race to create
        # it reads the winner's key instead of overwriting it, so all of them end up with one key.
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_generate_pem())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text()
