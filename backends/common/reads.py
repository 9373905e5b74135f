"""Test profile only: which settings this server process reads, so a setting nothing reads can be reported.

A setting a library no longer reads fails silently: `REST_USE_JWT = True` under today's dj-rest-auth gives
tokens, not JWTs, and no error. `install()` (called by backends/common/wsgi.py when the harness sets
`AUTHCMP_SETTINGS_READS`, in the test profile only) wraps Django's settings object in a proxy that appends each
setting name to that file the first time the process reads it, and each namespace dict setting (a dict whose keys
are all setting-like upper-case names: REST_AUTH, SIMPLE_JWT, DJOSER, REST_KNOX, REST_FRAMEWORK...) in a dict
that records the keys read. Values are unchanged, so nothing the suite observes changes. The file's first line
per process lists what the settings module defines; harness/settings_reads.py turns the lines into defined,
read and never read. What it cannot tell: a library that copies its dict whole (djoser iterates DJOSER.items())
reads every key at once (recorded as `NAME[*]`), and reads before the WSGI application loads (the settings
module's own code) are not counted. Compatible with the oldest stack served here (Python 3.9, Django 3.2).
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
BASE_MODULE = "backends.common.settings"
ALL_KEYS = "*"  # the key recorded when a dict is iterated or copied: every key counts as read


class _Log:
    """Appends one JSON line per first read; O_APPEND keeps the workers' lines whole in one shared file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: set[str] = set()

    def write(self, entry: dict[str, Any]) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (json.dumps(entry, sort_keys=True) + "\n").encode())
        finally:
            os.close(fd)

    def read(self, name: str) -> None:
        if name not in self.seen:
            self.seen.add(name)
            self.write({"read": name})


class RecordingDict(dict):
    """A namespace dict setting that records which of its keys are read (`NAME[KEY]`)."""

    def __init__(self, name: str = "", items: Any = (), log: _Log | None = None) -> None:
        super().__init__(items)
        self._name, self._log = name, log

    def _read(self, key: Any) -> None:
        if self._log is not None and dict.__contains__(self, key):
            self._log.read(f"{self._name}[{key}]")

    def _read_all(self) -> None:
        if self._log is not None:
            self._log.read(f"{self._name}[{ALL_KEYS}]")

    def __getitem__(self, key: Any) -> Any:
        self._read(key)
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._read(key)
        return dict.get(self, key, default)

    def __contains__(self, key: Any) -> bool:
        self._read(key)
        return dict.__contains__(self, key)

    def __iter__(self) -> Any:
        self._read_all()
        return dict.__iter__(self)

    def keys(self) -> Any:
        self._read_all()
        return dict.keys(self)

    def items(self) -> Any:
        self._read_all()
        return dict.items(self)

    def values(self) -> Any:
        self._read_all()
        return dict.values(self)

    def copy(self) -> dict:
        self._read_all()
        return dict(dict.items(self))


class RecordingSettings:
    """Django's Settings object, as LazySettings sees it: each upper-case name read is logged once."""

    def __init__(self, wrapped: Any, log: _Log) -> None:
        object.__setattr__(self, "_recorded", wrapped)
        object.__setattr__(self, "_log", log)

    def __getattr__(self, name: str) -> Any:
        value = getattr(object.__getattribute__(self, "_recorded"), name)
        if _SETTING_NAME.match(name):
            object.__getattribute__(self, "_log").read(name)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_recorded"), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(object.__getattribute__(self, "_recorded"), name)


def _is_namespace(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(k, str) and _SETTING_NAME.match(k) for k in value)


def install(path: str) -> bool:
    """Record this process's reads into `path`, in the test profile only; False (nothing done) otherwise."""
    from django.conf import settings

    if getattr(settings, "PROFILE", None) != "test":  # the first read loads the settings module
        return False
    wrapped = settings._wrapped
    log = _Log(path)
    defined = sorted(name for name in getattr(wrapped, "_explicit_settings", ()) if _SETTING_NAME.match(name))
    keys = {}
    for name in defined:
        value = getattr(wrapped, name)
        if _is_namespace(value):
            setattr(wrapped, name, RecordingDict(name, value, log))
            keys[name] = sorted(value)
    base = sys.modules.get(BASE_MODULE)
    base_names = sorted(name for name in vars(base) if _SETTING_NAME.match(name)) if base else []
    log.write({"defined": defined, "keys": keys, "base": base_names, "pid": os.getpid()})
    settings._wrapped = RecordingSettings(wrapped, log)  # also clears LazySettings' cache of earlier reads
    return True
