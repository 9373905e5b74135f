"""Publish a run: `python -m report.export` copies the result records into `report/data/` and checks them.

The records come from where `harness.results.PATHS` puts them (each option overrides one; results/ is
git-ignored), read with the schema check of `harness.results.read_record`: the contract record and the
capability matrix, the fuzz records (one file per variant, gathered into `fuzz.json`), the Django-compat
records (`compat.json`), the benchmark summary, the `me` profile, the upgrade steps, the benchmark runs per
release (`upgrade_bench.json`) and a studies-only benchmark run (`study.json`: cost curves and open-loop steps
measured apart from the main run, which the report then cites for those sections; `study_2.json`: a second such
run, of variants the first did not measure, which those sections join to it; `study_3.json`: a third, of one
cost-curve axis measured again (`--curve-axes`), which those sections cite per variant and axis where it is the
newest) and the work counted along the cost
curves (`work.json`: statements and rows per request at each point, `benchmarks.work`). A record that is missing is
left out, and the report says it was not run. Beside them goes `registry.json`: what the records name (each capability's
area and meaning, each posture case's title and reference, the matrix's security readings, the benchmark
scenarios and targets, each variant's library, mode and bound endpoints, its `[bench_notes]` and each backend's
glue, and the versions of the packages that decide a security result in each serving environment), taken from the
registries at export time, so that rendering needs nothing but `report/data/`.

`--base report/data` publishes a partial run on top of the published data: the run is what the command line names
(`--bench results/bench/<run>/summary.json`, say); every other record is carried over from there, and a record set
(fuzz, compat, upgrade, upgrade_bench) keeps its published records, a named folder's replacing those of the same
name. `--carry` narrows what is carried over to the records it lists (`nox -s compare` carries what its run does not
measure). Without `--base`, each record is read from `results/`, and one the run did not produce is left out. The
report says where each record comes from (`report/provenance.py`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from benchmarks.scenarios import SCENARIOS
from harness.capabilities import CAPABILITIES
from harness.cases.matrix import READINGS
from harness.manifest import BACKENDS_DIR, CORE_OPERATIONS, REPO_ROOT, discover, display_path
from harness.posture import CASES
from harness.results import PATHS, Schema, read_record, write_record
from report import DATA_DIR
from report.data import RECORDS, SCHEMA_OF, validate

REGISTRY_SCHEMA = "authcmp.registry/1"
SET_SCHEMA = "authcmp.record-set/1"  # fuzz.json and compat.json: one record per variant, under `records`
# benchmarks/measure.py flags a figure whose runs stray further than this from their median; that module starts
# servers, so it is not imported here (report_tests/test_data.py checks the two agree).
UNSTABLE = 0.10
EXTRA_OPERATIONS = ("refresh", "verify", "logout_all", "password_change", "password_reset", "delete_account")
# Packages under the libraries that decide a security result, and what they decide (issue #16: "what ran").
SECURITY_PACKAGES = {
    "pyjwt": "JWT signatures and claims (simplejwt, allauth headless JWT)",
    "cryptography": "asymmetric JWT keys, passkey signatures, the OIDC provider's keys",
    "django-axes": "lockout after failed logins (hardened modes)",
    "redis": "throttle and lockout counters shared by the workers (hardened modes)",
    "social-auth-core": "djoser's social login (OIDC id_token checks)",
    "social-auth-app-django": "djoser's social login storage",
    "webauthn": "djoser's passkeys",
    "fido2": "allauth's passkeys",
}


def _operations(data: dict[str, Any]) -> dict[str, str]:
    """The bound endpoints a reader needs to call the variant: `METHOD /path` per operation."""
    bound = data.get("operations", {})
    order = [*CORE_OPERATIONS, *EXTRA_OPERATIONS, *sorted(bound)]
    return {
        name: f"{bound[name]['method'].upper()} {bound[name]['path']}" for name in dict.fromkeys(order) if name in bound
    }


def registry(contract: dict[str, Any], backends_dir: Path = BACKENDS_DIR) -> dict[str, Any]:
    """What the records name, read from the registries and manifests now, dated by the contract record."""
    manifests = discover(backends_dir)
    variants = {}
    for name in contract["variants"]:
        manifest = manifests.get(name)
        if manifest is None:
            continue
        readme = manifest.path.parent / "README.md"
        variants[name] = {
            "library": manifest.library, "backend": manifest.backend, "mode": manifest.mode,
            "hardens": manifest.hardens, "observes": manifest.observes, "requires": list(manifest.requires),
            "manifest": display_path(manifest.path), "settings": manifest.settings_module,
            "readme": display_path(readme) if readme.exists() else None,
            "operations": _operations(manifest.data), "auth_header": " ".join(manifest.auth_header),
            "bench_notes": dict(manifest.data.get("bench_notes", {})),
            "cost_causes": dict(manifest.data.get("cost", {})),
            "growth_causes": {axis: dict(named) for axis, named in manifest.data.get("growth", {}).items()},
        }  # fmt: skip
    head = contract["header"]
    return {
        "header": {"schema": REGISTRY_SCHEMA, "generated": head["generated"], "git_commit": head["git_commit"]},
        "capabilities": [{"id": c, "area": area, "meaning": meaning} for c, (area, meaning) in CAPABILITIES.items()],
        "posture_cases": [{"id": c, "title": case.title, "reference": case.reference} for c, case in CASES.items()],
        "readings": {c: {"title": r.title, "reference": r.reference, "safe": r.safe} for c, r in READINGS.items()},
        "scenarios": {
            name: {
                "profile": s.profile,
                "compare_to": s.compare_to,
                "what": s.what,
                "chart": s.chart,
                "target": s.target,
                "scale": s.scale,
            }
            for name, s in SCENARIOS.items()
        },
        "unstable": UNSTABLE,
        "variants": variants,
        "glue": glue_lines(backends_dir),
        "security_packages": security_packages(backends_dir),
    }


def security_packages(backends_dir: Path = BACKENDS_DIR) -> dict[str, Any]:
    """SECURITY_PACKAGES with their pinned versions: uv.lock's, and each own environment's requirements file."""
    pins: dict[str, dict[str, str]] = {}
    lock = REPO_ROOT / "uv.lock"
    if lock.exists():
        with lock.open("rb") as handle:
            locked = {p["name"]: p.get("version") for p in tomllib.load(handle)["package"]}
        pins["uv.lock"] = {name: locked[name] for name in SECURITY_PACKAGES if locked.get(name)}
    for manifest in discover(backends_dir).values():
        table = manifest.data.get("environment") or {}
        path = manifest.path.parent / table.get("requirements", "-")
        if table and path.exists():
            found = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", path.read_text(), flags=re.M))
            found = {name.lower(): version for name, version in found.items()}
            pins[display_path(path)] = {name: found[name] for name in SECURITY_PACKAGES if name in found}
    return {"decides": SECURITY_PACKAGES, "pins": pins}


def _code_lines(path: Path) -> int:
    """Non-blank, non-comment lines of a Python file (docstrings included)."""
    return sum(1 for line in path.read_text().splitlines() if line.strip() and not line.strip().startswith("#"))


def glue_lines(backends_dir: Path = BACKENDS_DIR) -> dict[str, int]:
    """Hand-written code per backend outside settings and URLs: non-blank, non-comment Python lines."""
    counts = {}
    for folder in sorted(p for p in backends_dir.iterdir() if (p / "manifest.toml").exists()):
        counts[folder.name] = sum(
            _code_lines(path)
            for path in folder.rglob("*.py")
            if not path.name.startswith("settings")
            and path.name not in ("urls.py", "__init__.py")
            and "migrations" not in path.parts
        )
    # What every hardened mode shares (Cache-Control: no-store), counted once under its own name.
    shared = backends_dir / "common" / "hardening.py"
    if shared.exists():
        counts["common (hardened modes)"] = _code_lines(shared)
    return counts


def record_set(folder: Path, schema: Schema) -> dict[str, Any] | None:
    """The records of a folder (fuzz and compat: one per variant; upgrade: one per step) as one file, or None."""
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        return None
    records = {path.stem: read_record(path, schema) for path in files}
    return {"header": {"schema": SET_SCHEMA, "of": str(schema)}, "records": records}


def export(args: argparse.Namespace) -> dict[str, Any]:
    """Each record found, by its name in `report.data.RECORDS`."""
    contract = read_record(args.contract, Schema.CONTRACT)
    found: dict[str, Any] = {"registry": registry(contract), "contract": contract}
    if args.matrix.exists():
        found["matrix"] = read_record(args.matrix, Schema.MATRIX)
    found["fuzz"] = record_set(args.fuzz, Schema.FUZZ)
    found["compat"] = record_set(args.compat, Schema.CONTRACT)
    found["upgrade"] = record_set(args.upgrade, Schema.UPGRADE)
    found["upgrade_bench"] = record_set(args.upgrade_bench, Schema.BENCH)
    for name in ("bench", *SCHEMA_OF):  # the benchmark run and the studies-only runs, of its shape
        if getattr(args, name).exists():
            found[name] = read_record(getattr(args, name), Schema.BENCH)
    if args.profile.exists():
        found["profile"] = read_record(args.profile, Schema.PROFILE)
    if args.work.exists():
        found["work"] = read_record(args.work, Schema.WORK)
    return {name: record for name, record in found.items() if record is not None}


SINGLE_INPUTS = ("contract", "matrix", "bench", "profile", "study", "study_2", "study_3", "work")
SET_INPUTS = ("fuzz", "compat", "upgrade", "upgrade_bench")
DEFAULTS = {"contract": PATHS.contract, "matrix": PATHS.matrix, "fuzz": PATHS.fuzz, "compat": PATHS.compat,
            "bench": PATHS.bench_latest, "profile": PATHS.profile_summary, "upgrade": PATHS.upgrade,
            "upgrade_bench": PATHS.upgrade_bench, "study": PATHS.study_latest,
            "study_2": PATHS.study_2_latest, "study_3": PATHS.study_3_latest, "work": PATHS.work_summary}  # fmt: skip


def on_base(args: argparse.Namespace, base: Path, work: Path) -> list[str]:
    """With --base, the run is what the command line names: each input it does not name is `base`'s record, and
    each record set is `base`'s merged with the named folder's (by name, the run's winning) in `work`; with --carry,
    only the records it lists are carried or merged, a set with the records results/ holds. Returns what was carried
    over."""
    carried = []
    chosen = set(args.carry or (*SINGLE_INPUTS, *SET_INPUTS))
    for name in SINGLE_INPUTS:
        if getattr(args, name) is None and name in chosen:
            setattr(args, name, base / f"{name}.json")
            carried.append(name)
    for name in (name for name in SET_INPUTS if name in chosen):
        merged, folder = work / name, getattr(args, name)
        merged.mkdir()
        published = base / f"{name}.json"
        if published.exists():
            for stem, record in json.loads(published.read_text())["records"].items():
                write_record(merged / f"{stem}.json", record)
        if folder is None:
            carried.append(name)
            # With --carry (compare), records of the set that results/ holds join too: a release-history run made
            # since the data was published (`nox -s history`, `harness.upgrade`) is published, not dropped.
            folder = DEFAULTS[name] if args.carry else None
        for path in sorted(folder.glob("*.json")) if folder and folder.is_dir() else []:
            (merged / path.name).write_bytes(path.read_bytes())
        setattr(args, name, merged)
    return carried


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m report.export", description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    helps = {"contract": "the contract record", "matrix": "the capability matrix",
             "fuzz": "folder of fuzz records, one per variant",
             "compat": "folder of Django-compat records, one per variant",
             "bench": "a benchmark run's summary.json", "profile": "benchmarks.profile_me's summary.json",
             "upgrade": "folder of upgrade steps (python -m harness.upgrade)",
             "upgrade_bench": "folder of benchmark runs per release (python -m benchmarks.releases)",
             "study": "a studies-only run's summary.json (cost curves, open loop), apart from --bench",
             "study_2": "a second studies-only run's summary.json, of variants --study did not measure",
             "study_3": "a third studies-only run's summary.json, of one curve axis measured again (--curve-axes)",
             "work": "benchmarks.work's summary.json (statements and rows per request along the curves)"}  # fmt: skip
    for name, text in helps.items():
        shown = display_path(DEFAULTS[name])
        add(f"--{name.replace('_', '-')}", type=Path, help=f"{text} (default {shown}; with --base: the base's)")
    add("--out", type=Path, default=DATA_DIR, help=f"default {display_path(DATA_DIR)}")
    add("--base", type=Path, help="published data (report/data) to carry over every record not named here")
    add("--carry", nargs="+", choices=(*SINGLE_INPUTS, *SET_INPUTS), metavar="RECORD", help="with --base, carry over "
        "only these records (the others come from results/, and one the run did not produce is left out)")  # fmt: skip
    add("--without", nargs="+", default=[], choices=(*SCHEMA_OF, "work"), metavar="RECORD",
        help="leave these records out whatever results/ holds (a studies-only run a main run supersedes)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.carry and not args.base:
        parser.error("--carry names what to carry over from --base; give --base too")
    if both := sorted(set(args.carry or ()) & set(args.without)):
        parser.error(f"{', '.join(both)}: both carried over (--carry) and left out (--without)")
    with tempfile.TemporaryDirectory(prefix="authcmp-export-") as folder:
        if args.base:
            carried = on_base(args, args.base, Path(folder))
            print(f"carried over from {display_path(args.base)}: {', '.join(carried) or 'nothing'}")
        for name, default in DEFAULTS.items():
            if getattr(args, name) is None:
                setattr(args, name, default)
        if not args.contract.exists():
            print(f"no contract record at {display_path(args.contract)}: run the suite with --results-json, or "
                  "publish on top of the published data with --base report/data", file=sys.stderr)  # fmt: skip
            return 2
        found = {name: record for name, record in export(args).items() if name not in args.without}
    args.out.mkdir(parents=True, exist_ok=True)
    for name in RECORDS:  # a record this run did not produce must not survive from an earlier one
        (args.out / f"{name}.json").unlink(missing_ok=True)
    for name, record in found.items():
        write_record(args.out / f"{name}.json", record)
    problems = validate(args.out)
    missing = ", ".join(n for n in RECORDS if n not in found) or "none"
    print(f"wrote {', '.join(found)} to {display_path(args.out)}; missing: {missing}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
