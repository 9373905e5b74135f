"""The published records (report/data) meet their JSON Schemas, and a record that breaks one is caught."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from report import DATA_DIR, SCHEMAS_DIR, export
from report.data import RECORDS, SCHEMA_OF, Data, validate


def test_every_published_record_meets_its_schema(published: Data) -> None:
    assert {"registry", "contract", "matrix"} <= set(published.present), published.present
    assert validate(DATA_DIR) == []


def test_every_record_kind_has_a_schema() -> None:
    assert {p.name.removesuffix(".schema.json") for p in SCHEMAS_DIR.glob("*.schema.json")} == set(RECORDS) - set(
        SCHEMA_OF
    )


def test_a_record_that_breaks_its_schema_is_refused(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path, dirs_exist_ok=True)
    matrix = json.loads((tmp_path / "matrix.json").read_text())
    name = next(iter(matrix["variants"]))
    capability = next(iter(matrix["variants"][name]["capabilities"]))
    matrix["variants"][name]["capabilities"][capability]["observed"] = ["not", "a", "value"]
    (tmp_path / "matrix.json").write_text(json.dumps(matrix))
    contract = json.loads((tmp_path / "contract.json").read_text())
    test = next(iter(contract["variants"][name]["tests"]))
    contract["variants"][name]["tests"][test]["outcome"] = "probably"
    (tmp_path / "contract.json").write_text(json.dumps(contract))
    study = json.loads((tmp_path / "bench.json").read_text())  # a study is a benchmark summary: the bench schema
    study["curves"] = {"scenarios": ["me"], "accounts": [1000], "credentials": [1], "variants": {name: {"accounts": {
        "1000": {"scenarios": {"me": {"status": "measured"}}}}, "credentials": {}, "prune": {}}}}  # fmt: skip
    (tmp_path / "study.json").write_text(json.dumps(study))
    problems = validate(tmp_path)
    assert any(p.startswith(f"study.json: /curves/variants/{name}: 'growth' is a required") for p in problems)
    assert any(p.startswith(f"study.json: /curves/variants/{name}/accounts/1000/scenarios/me") for p in problems)
    assert any(p.startswith(f"matrix.json: /variants/{name}/capabilities/{capability}/observed") for p in problems)
    assert any(p.startswith(f"contract.json: /variants/{name}/tests/") and "probably" in p for p in problems)


def test_every_observation_names_a_registered_capability_and_case(published: Data) -> None:
    capabilities = {c["id"] for c in published.registry["capabilities"]}
    cases = {c["id"] for c in published.registry["posture_cases"]}
    for name, entry in (published.matrix or {})["variants"].items():
        assert set(entry["capabilities"]) <= capabilities, name
    for name in published.contract["variants"]:
        assert set(published.posture(name)) <= cases, name


def test_the_unstable_threshold_is_the_runners() -> None:
    from benchmarks.measure import UNSTABLE  # starts nothing on import; the report package does not import it

    assert export.UNSTABLE == UNSTABLE


def test_a_partial_run_published_on_the_base_carries_the_rest_over_unchanged(tmp_path: Path) -> None:
    from report import DATA_DIR
    from report.export import main

    assert main(["--base", str(DATA_DIR), "--out", str(tmp_path / "out")]) == 0  # nothing named: all carried over
    for name in ("contract", "matrix", "fuzz", "upgrade", "upgrade_bench", "bench", "profile"):
        assert (tmp_path / "out" / f"{name}.json").read_bytes() == (DATA_DIR / f"{name}.json").read_bytes(), name
    run = tmp_path / "study.json"
    run.write_bytes((DATA_DIR / "bench.json").read_bytes())  # any benchmark summary has the study's shape
    assert main(["--base", str(DATA_DIR), "--study", str(run), "--out", str(tmp_path / "with")]) == 0
    assert (tmp_path / "with" / "study.json").read_bytes() == run.read_bytes()  # published, and schema-checked
    assert main(["--base", str(tmp_path / "with"), "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "study.json").read_bytes() == run.read_bytes()  # carried over like the rest
    missing = tmp_path / "no-run"
    assert main([f"--contract={missing}", "--out", str(tmp_path / "alone")]) == 2  # no contract: refused


def test_carry_takes_only_the_records_it_lists_from_the_base(tmp_path: Path) -> None:
    from report.export import main

    none = tmp_path / "not-produced"  # every record the run "did not produce": nothing at these paths
    run = [f"--contract={DATA_DIR / 'contract.json'}", f"--matrix={DATA_DIR / 'matrix.json'}", f"--bench={none}.json",
           f"--profile={none}.json", f"--fuzz={none}", f"--compat={none}", f"--study-2={none}.json",
           f"--study-3={none}.json", f"--upgrade={none}", f"--upgrade-bench={none}"]  # fmt: skip
    out = tmp_path / "out"
    assert main(["--base", str(DATA_DIR), "--carry", "study", "work", "upgrade", *run, "--out", str(out)]) == 0
    published = {path.stem for path in out.glob("*.json")}
    assert published == {"registry", "contract", "matrix", "study", "work", "upgrade"}  # not upgrade_bench, bench...
    for name in ("study", "work", "upgrade"):
        assert (out / f"{name}.json").read_bytes() == (DATA_DIR / f"{name}.json").read_bytes(), name
    dropped = tmp_path / "dropped"
    assert main(["--base", str(DATA_DIR), "--without", "study", *run, "--out", str(dropped)]) == 0
    assert not (dropped / "study.json").exists()  # --without wins over what is found or carried
    with pytest.raises(SystemExit):
        main(["--base", str(DATA_DIR), "--carry", "study", "--without", "study", "--out", str(dropped)])
    with pytest.raises(SystemExit):
        main(["--carry", "study", "--out", str(tmp_path / "no-base")])  # nothing to carry from: refused
