"""Where each published record comes from: when it was made, from which commit, on which database, how.

The published data joins records of different runs (a partial run is published on top of the committed data with
`report.export --base`, and `nox -s compare` carries over what its run does not measure), so the report says, record
by record, which run each section's figures come from. Only the records' own headers are read.
"""

from __future__ import annotations

from typing import Any

from report.data import RECORDS, SCHEMA_OF, Data
from report.tables import MAIN, Table

BENCH_SHAPED = ("bench", *SCHEMA_OF, "upgrade_bench")  # records with a benchmark run's header
MIXED = "; "  # between the distinct values of a record set's records


def table(data: Data) -> Table:
    """One row per record present: what it holds, when and from which commit it was made, the database, how."""
    rows = Table(["record", "holds", "made", "commit", "database", "how"])
    for name in data.present:
        headers = _headers(getattr(data, name))
        rows.add(
            MAIN.source(name, "/records" if "records" in getattr(data, name) else "/header"),
            RECORDS[name],
            _made(headers),
            _distinct(f"`{(h.get('git_commit') or '?')[:7]}`" for h in headers),
            _distinct(_database(h.get("database")) for h in headers),
            _distinct(_how(name, h) for h in headers),
        )
    return rows


def elsewhere(data: Data) -> str:
    """The records made from another commit than the contract suite's, each with when and from which commit, for the
    report's opening lines: a reader of the cards must see at once which figures are not from the suite's commit
    (`nox -s compare`'s first report carries its fuzz and benchmarks over until it has measured them; published data
    joins partial runs). Commits compare by their hash alone: a record made in a checkout with changes says
    `<hash>+dirty`, and compare's first report changes tracked files before its later phases record theirs. Empty
    where every record comes from the suite's commit."""
    own = _commit(data.contract.get("header") or {})
    other = []
    for name in (name for name in data.present if name != "contract"):
        record = getattr(data, name)
        every = record.get("records", {name: record})  # a record set, or the record alone
        heads = {stem: found.get("header") or {} for stem, found in every.items()}
        apart = {stem: head for stem, head in heads.items() if _commit(head) != own}
        if not apart:
            continue
        some = ""
        if len(apart) < len(every):  # part of a record set: how many, and which when few
            named = f" ({', '.join(sorted(apart))})" if len(apart) <= 4 else ""
            some = f"{len(apart)} of its {len(every)} records{named}: "
        commits = _distinct(f"`{_commit(head)[:7]}`" for head in apart.values())
        other.append(f"{name} ({some}{_made(list(apart.values()))}, {commits})")
    if not other:
        return ""
    return f"Made from another commit than the suite's (`{own[:7]}`): {', '.join(other)}."


def _commit(head: dict[str, Any]) -> str:
    """The header's commit hash, without `+dirty` or ` (git archive snapshot)`; '?' when it names none."""
    return str(head.get("git_commit") or "?").split(" ", 1)[0].removesuffix("+dirty")


def _headers(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's header, or each of a record set's records' headers."""
    if "records" in record:
        return [found.get("header") or {} for found in record["records"].values()]
    return [record.get("header") or {}]


def _made(headers: list[dict[str, Any]]) -> str:
    """When: one time, or a record set's first and last."""
    times = sorted(h["generated"][:16].replace("T", " ") for h in headers if h.get("generated"))
    return "–" if not times else times[0] if times[0] == times[-1] else f"{times[0]} – {times[-1]}"


def _distinct(values: Any) -> str:
    found = sorted({value for value in values if value})
    return MIXED.join(found) or "–"


def _database(url: str | None) -> str:
    if not url:
        return ""
    lowered = url.lower()
    return "PostgreSQL" if lowered.startswith("postgres") else "SQLite" if lowered.startswith("sqlite") else url


def _how(name: str, head: dict[str, Any]) -> str:
    """The run's grade where its header states one: quick or publish-grade windows, fuzz inputs, overridden pins."""
    if name in BENCH_SHAPED:
        load = head.get("load") or {}
        grade = "quick" if head.get("quick") else "full"
        return f"{grade}: {load.get('duration_seconds', '?')} s × {load.get('repeat', '?')} run(s) a figure"
    if name == "fuzz" and head.get("max_examples"):
        return f"{head['max_examples']:,} inputs per operation"
    if name == "profile" and head.get("requests"):
        return f"{head['requests']:,} requests × {head.get('rounds', '?')} timed rounds a variant"
    if name == "work" and head.get("accounts"):
        points = (", ".join(f"{n:,}" for n in head[axis]) for axis in ("accounts", "credentials"))
        return "counted at {} accounts and {} credentials per account".format(*points)
    if head.get("overrides"):
        return "over uv.lock: " + ", ".join(head["overrides"])
    return ""
