"""Settings that nothing reads: what a server's settings module defines against what its processes read.

The test profile's recorder (backends/common/reads.py) appends JSON lines to the file `run_server` names in
`AUTHCMP_SETTINGS_READS`: per process one `{"defined", "keys", "base"}` line, then one `{"read": NAME}` line per
first read of a setting (`NAME`) or of a key of a namespace dict setting (`NAME[KEY]`; `NAME[*]` when the dict was
iterated or copied whole, so every key counts as read). `summarize` turns the file into the record a run keeps:
each setting and key defined but never read, split into the backend's own and the shared base's. A backend
setting or key never read during a suite run is a finding: a setting the library ignores (a renamed one, say)
fails silently. Names defined by backends/common/settings.py (helpers such as VAR_DIR, the hardened modes'
SHARED_CACHE) are listed apart: most are the project's own values, never meant for a library.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ENV = "AUTHCMP_SETTINGS_READS"
ALL_KEYS = "*"


def summarize(path: Path) -> dict[str, Any]:
    """The run's record: `unread` (backend names), `unread_keys` (NAME -> keys), `unread_base`, and the counts;
    {} when no process recorded (a profile other than test, or a server that never loaded)."""
    if not path.is_file():
        return {}
    defined: set[str] = set()
    base: set[str] = set()
    keys: dict[str, set[str]] = {}
    read: set[str] = set()
    processes = 0
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a killed worker: the others still count
        if "defined" in entry:
            processes += 1
            defined.update(entry["defined"])
            base.update(entry.get("base", ()))
            for name, names in entry.get("keys", {}).items():
                keys.setdefault(name, set()).update(names)
        elif "read" in entry:
            read.add(entry["read"])
    if not processes:
        return {}
    unread = sorted(defined - read)
    unread_keys = {
        name: sorted(key for key in names if f"{name}[{key}]" not in read)
        for name, names in sorted(keys.items())
        if f"{name}[{ALL_KEYS}]" not in read
    }
    return {
        "processes": processes,
        "defined": len(defined),
        "read": len(defined & read),
        "unread": [name for name in unread if name not in base],
        "unread_base": [name for name in unread if name in base],
        "unread_keys": {name: found for name, found in unread_keys.items() if found},
        "copied_whole": sorted(name for name in keys if f"{name}[{ALL_KEYS}]" in read),
    }
