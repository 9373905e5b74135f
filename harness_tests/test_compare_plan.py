"""`nox -s compare`'s plan: the suite and fuzz parts cover every variant once, and --publish is the full run."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import compare_plan
from harness.parts import part_path
from report import export

MEASURED = ["a", "b", "c"]
OBSERVING = ["a_flip", "b_flip"]


def variants_of(args: list[str]) -> list[str]:
    return [arg.split("=", 1)[1] for arg in args if arg.startswith("--variant=")]


def test_suite_parts_run_every_variant_once_with_the_soak_only_when_publishing(tmp_path: Path) -> None:
    for publish in (False, True):
        parts = compare_plan.suite_parts(MEASURED, OBSERVING, tmp_path, publish)
        assert sorted(v for _, args in parts for v in variants_of(args)) == sorted(MEASURED + OBSERVING)
        for label, args in parts:
            soaked = f"--soak-seconds={compare_plan.PUBLISH_SOAK_SECONDS}" in args
            assert soaked == (publish and label.startswith("measured")), (label, args)
            # the README's first command (compare without --publish) runs the tests session's quick suite
            assert all(option in args for option in compare_plan.QUICK_SUITE) == (not publish), (label, args)
            assert f"--results-json={part_path(tmp_path, label, 'contract')}" in args


def test_fuzz_parts_cover_the_measured_variants_with_1000_inputs_only_when_publishing(tmp_path: Path) -> None:
    for publish in (False, True):
        parts = compare_plan.fuzz_parts(MEASURED, tmp_path, publish)
        assert sorted(v for _, args in parts for v in args[args.index("--variant") + 1 :]) == MEASURED
        assert all(("--quick" in args) != publish for _, args in parts)
        assert all(("--seed" in args) != publish for _, args in parts)  # quick: the same inputs every time


def test_compat_runs_write_one_record_per_variant_and_only_the_smoke_cases_when_quick(tmp_path: Path) -> None:
    quick = compare_plan.compat_runs(MEASURED, tmp_path, compare_plan.SMOKE)
    full = compare_plan.compat_runs(MEASURED + OBSERVING, tmp_path, None)
    assert [variants_of(args) for _, args in quick] == [[v] for v in MEASURED]
    assert all(f"--results-json={tmp_path / f'{label}.json'}" in args for label, args in quick + full)
    assert all(args[args.index("-k") + 1] == compare_plan.SMOKE for _, args in quick)
    assert not any("-k" in args for _, args in full)


def test_publish_is_the_full_run_with_open_loop_and_curves(tmp_path: Path) -> None:
    smoke = ["--smoke-record", str(tmp_path / "contract.json")]  # the suite just ran the smoke cases: read, not rerun
    assert compare_plan.bench_options([], tmp_path / "contract.json") == (["--quick", *smoke], False)
    options, publish = compare_plan.bench_options(["--publish", "--repeat", "5"], tmp_path / "contract.json")
    assert publish and options == [*compare_plan.PUBLISH_OPTIONS, *smoke, "--repeat", "5"]
    quick, full = compare_plan.phases(10, 6, quick=True), compare_plan.phases(10, 6, quick=False)
    assert [name for name, _ in full][3] == "full fuzz" and dict(full)["contract suite, matrix and posture"] > dict(
        quick
    )["contract suite, matrix and posture"]
    for publish_only in ("counted work along the cost curves", "me profile"):  # the quick run carries both over
        assert dict(quick)[publish_only] == 0 < dict(full)[publish_only] and len(quick) == len(full)


def test_the_report_carries_over_only_what_the_run_does_not_measure() -> None:
    """The quick run's report has every section: the studies and the work count (which only --publish measures) and
    the release-history records come from the committed data. A run that draws its own curves or open-loop steps
    (--publish, or --curves/--open-loop passed to the runner) carries no studies-only run and leaves one lying in
    results/ out, since the report would cite it before the run's own figures."""

    def split(args: list[str]) -> tuple[set[str], set[str]]:
        carry = args[args.index("--carry") + 1 : args.index("--without") if "--without" in args else None]
        return set(carry), set(args[args.index("--without") + 1 :]) if "--without" in args else set()

    assert split(compare_plan.export_args(False, ["--quick"])) == (
        {"upgrade", "upgrade_bench", "study", "study_2", "study_3", "work", "profile"}, set())  # fmt: skip
    assert split(compare_plan.export_args(True, [])) == ({"upgrade", "upgrade_bench"}, {"study", "study_2", "study_3"})
    for own in (["--curves"], ["--open-loop", "--quick"]):
        assert split(compare_plan.export_args(False, own)) == (
            {"upgrade", "upgrade_bench", "work", "profile"},
            {"study", "study_2", "study_3"},
        )
    for args in (compare_plan.export_args(False, []), compare_plan.export_args(True, [])):
        assert not {"contract", "matrix", "fuzz", "compat", "bench"} & set(args)  # the run's own: never
        assert args[:2] == ["--base", "report/data"]
    assert "profile" not in compare_plan.export_args(True, [])  # --publish profiles; the quick run does not


def test_the_first_report_carries_everything_but_the_suite_and_its_django_61_run() -> None:
    """Rendered right after the suite (a first answer in minutes): this run's contract, matrix and compat records,
    the rest from the committed data, every record report.export knows named."""
    args = compare_plan.first_report_args()
    assert args[:3] == ["--base", "report/data", "--carry"]
    assert set(args[3:]) == set(export.SINGLE_INPUTS + export.SET_INPUTS) - {"contract", "matrix", "compat"}
    assert set(compare_plan.EXPORTED) == set(export.SINGLE_INPUTS + export.SET_INPUTS)  # the two lists agree


def test_only_keeps_the_backends_named_and_passes_the_rest_through() -> None:
    backends = {"knox-token": "knox", "knox-token_hardened": "knox", "djoser-jwt": "djoser",
                "djoser-jwt_probe": "djoser", "tutorial_2021-jwt": "tutorial_2021"}  # fmt: skip
    assert compare_plan.only(["--repeat", "2"], backends) == (list(backends), ["--repeat", "2"])
    kept, rest = compare_plan.only(["--repeat", "2", "--only", "djoser", "tutorial_2021", "--publish"], backends)
    assert kept == ["djoser-jwt", "djoser-jwt_probe", "tutorial_2021-jwt"] and rest == ["--repeat", "2", "--publish"]
    wrong_ones = (
        ["--only", "knox-token"],
        ["--only"],
        ["--only", "--publish"],
        ["--only=knox"],
        ["--only", "knox", "--only", "djoser"],
    )  # a variant is no backend; other spellings are refused rather than handed to the runner
    for wrong in wrong_ones:
        with pytest.raises(ValueError, match=r"--only BACKEND \.\.\. takes backends: djoser, knox, tutorial_2021"):
            compare_plan.only(wrong, backends)


def test_groups_sort_the_real_manifests_into_the_kinds_the_sessions_run() -> None:
    from harness.manifest import discover

    manifests = discover()
    found = compare_plan.groups(manifests)
    assert sorted(found.measured + found.observing) == sorted(manifests)  # each variant measured or observing
    assert sorted(found.defaults + found.hardened) == sorted(manifests)  # each on SQLite or, with PG, there
    assert set(found.own_environment) <= set(found.defaults) and found.own_environment
    assert all(manifests[v].hardens for v in found.measured if v not in found.defaults)
