"""The published data: one JSON file per record under `report/data/`, each checked against its JSON Schema.

`load()` reads what is there into `Data`; a record that is missing is `None` (its sections say "not run").
`validate()` checks every file against `report/schemas/<name>.schema.json` (jsonschema, the report group).
Figures link to their record with `source(name, pointer)`: the file relative to the rendered page, and the JSON
pointer of the figure inside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report import DATA_DIR, SCHEMAS_DIR

# name -> what it holds; the file is `<name>.json`, its schema `<name>.schema.json`.
RECORDS = {
    "registry": "what the records name: capabilities, posture cases, readings, scenarios, variants, glue",
    "contract": "every contract, capability, posture and robustness test's outcome per variant",
    "matrix": "every capability's claim and observation per variant",
    "fuzz": "schemathesis per variant: inputs and 5xx per operation",
    "compat": "the contract suite on the next Django, per variant",
    "bench": "the Locust benchmark summary (throughput, latency, SQL, scale study)",
    "profile": "where `me`'s time goes beyond the no-authentication baseline, per variant",
    "upgrade": "what each upgrade step changes: capability cells, posture findings, cases, settings read",
    "upgrade_bench": "a benchmark run per release an upgrade step joins (`me`, `login_fast`, the baseline)",
    "study": "a benchmark run of the studies alone (cost curves, open-loop steps), when they ran apart from `bench`",
    "study_2": "a second studies-only run, of variants the first (`study`) did not measure",
    "study_3": "a third studies-only run, of one cost-curve axis measured again (each variant's newest axis is cited)",
    "work": "SQL statements, writes and rows read per request at each cost-curve point (`benchmarks.work`)",
}
# A record whose shape is another's: its file is checked against that record's schema.
SCHEMA_OF = {"study": "bench", "study_2": "bench", "study_3": "bench"}


@dataclass
class Data:
    """Every record of one published run; `None` where a record was not produced."""

    registry: dict[str, Any]
    contract: dict[str, Any]
    matrix: dict[str, Any] | None = None
    fuzz: dict[str, Any] | None = None
    compat: dict[str, Any] | None = None
    bench: dict[str, Any] | None = None
    profile: dict[str, Any] | None = None
    upgrade: dict[str, Any] | None = None
    upgrade_bench: dict[str, Any] | None = None
    study: dict[str, Any] | None = None
    study_2: dict[str, Any] | None = None
    study_3: dict[str, Any] | None = None
    work: dict[str, Any] | None = None

    @property
    def present(self) -> list[str]:
        """The records this data holds, in `RECORDS` order."""
        return [name for name in RECORDS if getattr(self, name) is not None]

    @property
    def columns(self) -> list[str]:
        """The measured variants in the record's order: defaults and hardened modes, no observation-only mode."""
        return [name for name in self.contract["variants"] if not self.variant(name).get("observes")]

    @property
    def defaults(self) -> list[str]:
        return [name for name in self.columns if not self.variant(name).get("hardens")]

    @property
    def studies(self) -> list[tuple[str, dict[str, Any]]]:
        """The records that may hold the studies (cost curves, open-loop steps) as (record name, summary), in the
        order every section, card and chart cites them: the studies-only runs' (`study`, `study_2`, `study_3`) before
        the main run's."""
        records = (("study", self.study), ("study_2", self.study_2), ("study_3", self.study_3), ("bench", self.bench))
        return [(name, found) for name, found in records if found]

    def variant(self, name: str) -> dict[str, Any]:
        """The registry's entry of a variant (library, backend, mode, hardens, observes, operations, ...)."""
        return self.registry["variants"].get(name) or self.contract["variants"].get(name) or {}

    def hardened_of(self, name: str) -> str | None:
        return next((n for n in self.columns if self.variant(n).get("hardens") == name), None)

    def cell(self, name: str, capability: str) -> dict[str, Any] | None:
        return ((self.matrix or {}).get("variants", {}).get(name) or {}).get("capabilities", {}).get(capability)

    def posture(self, name: str) -> dict[str, Any]:
        """The variant's posture findings; its fuzz record's finding joins them (judged by `harness.fuzz`)."""
        found = dict(self.contract["variants"].get(name, {}).get("posture", {}))
        fuzzed = self.fuzz_record(name) or {}
        if "posture" in fuzzed:
            found[fuzzed["posture"]["id"]] = {**fuzzed["posture"], "evidence": ""}
        return found

    def fuzz_record(self, name: str) -> dict[str, Any] | None:
        return (self.fuzz or {}).get("records", {}).get(name)


def _holds(summary: dict[str, Any], study: str) -> bool:
    if study == "curves":
        return bool((summary.get("curves") or {}).get("variants"))
    return any(r.get("open_loop") for e in summary["variants"].values() for r in e.get("scenarios", {}).values())


def joined(studies: list[tuple[str, dict[str, Any]]], study: str) -> tuple[list[str], dict[str, Any]] | None:
    """The records of `studies` (`Data.studies`) that hold `study` ("curves" or "open_loop") and that the section
    cites, and one summary that joins them for a section and its chart: the first one's, with each later record's
    variants it does not hold. Cost curves are joined per variant and axis (`_curves_joined`): each axis from the
    newest run that measured it, on the union of the runs' points (a point a run did not measure left blank), and
    `curves.sources` says which record each variant's axis comes from. None: none holds it."""
    holding = [(name, summary) for name, summary in studies if _holds(summary, study)]
    if not holding:
        return None
    names, first = [name for name, _ in holding], holding[0][1]
    variants: dict[str, Any] = {}
    for _, summary in holding:
        variants.update({v: e for v, e in summary["variants"].items() if v not in variants})
    view = {**first, "variants": variants}
    if study == "curves":
        view["curves"] = _curves_joined(holding)
        cited = {name for axes in view["curves"]["sources"].values() for name in axes.values()}
        names = [name for name in names if name in cited]
    return names, view


AXES = ("accounts", "credentials")  # the cost curves' axes, as a run's `curves` names them
# What of a variant's curve record belongs to one axis besides its points and its fit: its error; for the
# credentials axis also the screen of its middle points and the pruning commands run after it.
AXIS_KEYS = {"accounts": ("accounts_error",), "credentials": ("credentials_error", "credentials_screen", "prune")}


def _measured(record: dict[str, Any], axis: str) -> bool:
    return bool(record.get(axis) or record.get(f"{axis}_error"))


def _curves_joined(holding: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """One `curves` of the runs that hold cost curves: per variant and axis, the points, fit and error of the newest
    run (its header's `generated`; on a tie the earlier record) that measured that axis of that variant, so a run
    re-measuring one axis (`benchmarks.run --curve-axes`) replaces only that axis."""
    runs = [summary["curves"] for _, summary in holding]
    curved: dict[str, Any] = {}
    sources: dict[str, dict[str, str]] = {}
    for variant in dict.fromkeys(v for found in runs for v in found["variants"]):
        record: dict[str, Any] = {"prune": {}, "growth": {}}
        for axis in AXES:
            measured = [(name, summary) for name, summary in holding
                        if _measured(summary["curves"]["variants"].get(variant) or {}, axis)]  # fmt: skip
            if not measured:
                record[axis] = {}
                continue
            name, summary = max(measured, key=lambda found: found[1]["header"].get("generated") or "")
            found = summary["curves"]["variants"][variant]
            record[axis] = found.get(axis) or {}
            if axis in (found.get("growth") or {}):
                record["growth"][axis] = found["growth"][axis]
            record.update({key: found[key] for key in AXIS_KEYS[axis] if key in found})
            sources.setdefault(variant, {})[axis] = name
        curved[variant] = record
    return {
        **runs[0],
        "variants": curved,
        "sources": sources,
        **{axis: sorted({p for found in runs for p in found[axis]}) for axis in AXES},
        "login_minutes": next((f["login_minutes"] for f in runs if f.get("login_minutes")), None),
        "yardstick": next((f["yardstick"] for f in runs if f.get("yardstick")), None),
    }


def load(data_dir: Path = DATA_DIR) -> Data:
    found = {name: _read(data_dir / f"{name}.json") for name in RECORDS}
    if found["registry"] is None or found["contract"] is None:
        raise SystemExit(f"{data_dir}: needs registry.json and contract.json (python -m report.export writes them)")
    return Data(**found)


def _read(path: Path) -> Any:
    return json.loads(path.read_text()) if path.exists() else None


def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS_DIR / f"{SCHEMA_OF.get(name, name)}.schema.json").read_text())


def validate(data_dir: Path = DATA_DIR) -> list[str]:
    """Every problem of every record present, as `file: pointer: message` lines (empty: all valid)."""
    from jsonschema import Draft202012Validator

    problems = []
    for name in RECORDS:
        path = data_dir / f"{name}.json"
        if not path.exists():
            continue
        validator = Draft202012Validator(schema(name))
        for error in sorted(validator.iter_errors(json.loads(path.read_text())), key=lambda e: list(e.path)):
            pointer = "/" + "/".join(str(part) for part in error.absolute_path)
            problems.append(f"{path.name}: {pointer}: {error.message[:300]}")
    return problems


def source(name: str, pointer: str = "", prefix: str = "data/") -> str:
    """A Markdown link to a record (and the JSON pointer of a figure inside it), relative to the page."""
    target = f"{prefix}{name}.json"
    label = f"`{name}.json{'#' + pointer if pointer else ''}`"
    return f"[{label}]({target}{'#' + pointer if pointer else ''})"
