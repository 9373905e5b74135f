"""Shaping the contract record: what ran (versions), outcomes per operation, deviations, the next Django, glue."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from report.data import Data
from report.tables import Table, code, columns, first_line

# Contract operations, then the areas of cases that name none (harness/recorder.py `_area`).
OPERATIONS = ("register", "login", "me", "update_me", "logout", "bad_input")
ROWS = (*OPERATIONS, "contract", "capability", "posture", "robustness")
GOOD = {"passed"}
DECLARED = {"xfailed"}
EXCEPTIONS = ("failed", "xpassed", "xfailed", "skipped")  # as a reader weighs them: failures first


def outcome_cell(outcomes: Counter[str]) -> str:
    """✅/❌ with passes over the cases that ran; a skip is neither a pass nor a failure and is shown apart."""
    skipped = outcomes["skipped"]
    ran = sum(outcomes.values()) - skipped
    if not ran:
        return f"skipped {skipped}" if skipped else "–"
    good = sum(outcomes[o] for o in GOOD)
    declared = sum(outcomes[o] for o in DECLARED)
    mark = "✅" if good + declared == ran else "❌"
    return (
        f"{mark} {good}/{ran}"
        + (f" (+{declared} declared)" if declared and mark == "✅" else "")
        + (f", {skipped} skipped" if skipped else "")
    )


def versions(data: Data, names: list[str]) -> Table:
    table = Table(["variant", "library versions", "Django", "DRF", "Python", "hasher", "database"])
    for name in names:
        health = data.contract["variants"][name].get("health") or {}
        found = dict(health.get("versions", {}))
        django, drf = found.pop("django", "?"), found.pop("djangorestframework", "?")
        libs = ", ".join(f"{k} {v}" for k, v in found.items()) or "unknown (no health endpoint)"
        hasher = health.get("hasher", {})
        hasher_text = f"{hasher.get('algorithm', '?')}" + (
            f" ×{hasher['iterations']:,}" if hasher.get("iterations") else ""
        )
        database = health.get("database", {})
        table.add(
            code(name), libs, django, drf, health.get("python", "?"), hasher_text,
            f"{database.get('vendor', '?')} {database.get('version', '')}",
        )  # fmt: skip
    return table


def security_packages(data: Data) -> Table | None:
    """The packages under the libraries that decide a security result, as each serving environment pins them."""
    found = data.registry.get("security_packages")
    if not found or not found.get("pins"):
        return None
    pins = found["pins"]
    table = Table(["package", "decides", *(code(where) for where in pins)])
    for package, decides in found["decides"].items():
        table.add(package, decides, *(versions.get(package, "–") for versions in pins.values()))
    return table


def outcomes(data: Data, names: list[str]) -> Table:
    table = Table(columns("operation", names=names))
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for name in names:
        for test in data.contract["variants"][name]["tests"].values():
            # A case without a contract operation is counted in its area's row (capability, posture, robustness).
            counts[test["operation"] or test.get("area") or "other"][name][test["outcome"]] += 1
    for operation in [*ROWS, *sorted(set(counts) - set(ROWS))]:
        if operation in counts:
            table.add(operation, *(outcome_cell(counts[operation][n]) for n in names))
    return table


def exceptions(data: Data, names: list[str]) -> list[str]:
    """Every case that did not simply pass, grouped as a reader weighs them: failures, declared, skipped."""
    lines = []
    for outcome in EXCEPTIONS:
        for name in names:
            for key, test in data.contract["variants"][name]["tests"].items():
                if test["outcome"] == outcome:
                    lines.append(f"`{name}` **{outcome}** `{key}`: {first_line(test['message'])}")
    return lines


def counts(data: Data, name: str) -> Counter[str]:
    return Counter(test["outcome"] for test in data.contract["variants"][name]["tests"].values())


def compat(data: Data) -> Table | None:
    """One row per variant run on the newer Django: its outcome counts and every case whose outcome differs; a
    `cases` column when a record ran only some (compare's quick run: the smoke cases), saying which."""
    if not data.compat:
        return None
    records = data.compat["records"].values()
    selected = any(_selection(record) for record in records)
    table = Table(["variant", "Django", "Python", *(["cases"] if selected else []), "outcome",
                   "differs from the main run"])  # fmt: skip
    for record in records:
        for name, entry in record["variants"].items():
            health = entry.get("health") or {}
            found = Counter(test["outcome"] for test in entry["tests"].values())
            main = data.contract["variants"].get(name, {}).get("tests", {})
            differs = [
                f"`{key}`: {main[key]['outcome']} → {test['outcome']}"
                for key, test in entry["tests"].items()
                if key in main and main[key]["outcome"] != test["outcome"]
            ]
            summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(found.items()))
            django = health.get("versions", {}).get("django", "?")
            cases = [_selection(record) or "all"] if selected else []
            table.add(code(name), django, health.get("python", "?"), *cases, summary, "; ".join(differs) or "nothing")
    return table


def _selection(record: dict[str, Any]) -> str:
    """The cases a suite record selected (`-k …`, `-m …`), "" for every case or a record that does not say."""
    chosen = record["header"].get("selection") or {}
    return " ".join(f"`-{flag} {chosen[key]}`" for flag, key in (("k", "keyword"), ("m", "markers")) if chosen.get(key))


def glue(data: Data) -> Table:
    table = Table(["backend", "lines"])
    for name, lines in data.registry["glue"].items():
        table.add(code(name), lines)
    return table
