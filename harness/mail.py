"""Read the mail a variant's server wrote to its mail folder (Django's file-based e-mail backend, shared settings).

Every server the harness starts writes each message to a file under its `mail_dir`; a mailed link is read from
there with a pattern the manifest names (`[mail].reset_link`, `[mail].verify_link`), whose named groups are the
values the frontend would POST back (`{key}`, `{uid}`, `{token}`). Newest files are read first and reading stops at
the first match, so a sign-up that confirms by mail costs one file read however many mails the run has written.
"""

from __future__ import annotations

import contextlib
import quopri
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

# base URL -> mail folder of each server this process started (harness.server.run_server registers them), so a
# contract client built from a base URL alone (fuzzing, benchmarks, a second server's cases) finds its mail.
_FOLDERS: dict[str, Path] = {}


@contextlib.contextmanager
def serving(base_url: str, mail_dir: Path) -> Iterator[None]:
    """While the block runs, `folder_of(base_url)` is `mail_dir`."""
    _FOLDERS[base_url] = mail_dir
    try:
        yield
    finally:
        _FOLDERS.pop(base_url, None)


def folder_of(base_url: str) -> Path | None:
    """The mail folder of a server this process started at `base_url`, or None (a deployment's is unknown)."""
    return _FOLDERS.get(base_url)


# Django's file backend ends every message with a line of 79 dashes, and appends to one file per second and backend
# object, whose id a worker may reuse: messages to different people can share a file.
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def mails_to(mail_dir: Path, address: str) -> Iterator[str]:
    """The decoded text of each message naming `address`, newest first."""
    paths = sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for path in paths:
        for message in reversed(path.read_bytes().split(SEPARATOR)):
            text = quopri.decodestring(message).decode(errors="replace")
            if address in text:
                yield text


def count_mails_to(mail_dir: Path, address: str) -> int:
    return sum(1 for _ in mails_to(mail_dir, address))


def link_values(mail_dir: Path, address: str, pattern: str) -> dict[str, str] | None:
    """The named groups of `pattern` in the newest mail to `address` that matches it, or None."""
    compiled = re.compile(pattern)
    for text in mails_to(mail_dir, address):
        match = compiled.search(text)
        if match:  # as the frontend's router hands them over: percent-decoded (allauth quotes the ':' of its keys)
            return {name: unquote(value) for name, value in match.groupdict().items()}
    return None


def link_url(mail_dir: Path, address: str, pattern: str) -> str | None:
    """The whole URL around the newest match of `pattern` in a mail to `address`: where the link points."""
    compiled = re.compile(r"https?://[^\s\"'<>]*?" + pattern)
    for text in mails_to(mail_dir, address):
        match = compiled.search(text)
        if match:
            return match.group(0)
    return None
