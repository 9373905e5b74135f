"""Suite parts run side by side join into one record only when they are one run's (harness/parts.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness import parts
from harness.results import Schema, header, read_record, write_record


def part(variants: list[str], schema: Schema = Schema.CONTRACT, **changes: Any) -> dict[str, Any]:
    head = {**header(schema), "database": "postgres://postgres@127.0.0.1:5432/test", "profile": "test",
            "base_url": None, **changes}  # fmt: skip
    return {"header": head, "variants": {name: {"library": name, "tests": {}} for name in variants}}


def test_parts_of_one_run_join_into_every_variant_once() -> None:
    early, late = (
        part(["a", "b"], generated="2026-11-30T10:00:00+00:00"),
        part(["c"], generated="2026-11-30T11:00:00+00:00"),
    )
    joined = parts.join({"two": late, "one": early})
    assert list(joined["variants"]) == ["a", "b", "c"]  # name order, whichever part ran each
    assert joined["header"]["generated"] == "2026-11-30T11:00:00+00:00"  # the last part to end
    assert [entry["variants"] for entry in joined["header"]["parts"]] == [["c"], ["a", "b"]]


def test_a_variant_in_two_parts_is_refused() -> None:
    with pytest.raises(parts.PartsError, match="variant b is in two parts: one and two"):
        parts.join({"one": part(["a", "b"]), "two": part(["b"])})


@pytest.mark.parametrize(
    ("key", "value"),
    [("git_commit", "0" * 40), ("database", "sqlite"), ("overrides", ["django==6.1.3"]),
     ("selection", {"keyword": "test_login", "markers": None})],  # a smoke part is not the whole suite's
)  # fmt: skip
def test_parts_of_different_runs_are_refused(key: str, value: Any) -> None:
    with pytest.raises(parts.PartsError, match=f"two is not the same run as one: {key}"):
        parts.join({"one": part(["a"]), "two": part(["b"], **{key: value})})


def test_the_command_joins_the_parts_and_refuses_a_missing_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for label, variants in (("measured-1", ["a"]), ("measured-2", ["b"])):
        write_record(parts.part_path(tmp_path, label, "contract"), part(variants))
        write_record(parts.part_path(tmp_path, label, "matrix"), part(variants, Schema.MATRIX))
    out = tmp_path / "out"
    both = ["--labels", "measured-1", "measured-2"]
    assert parts.main([str(tmp_path), *both, "--contract", str(out / "c.json"), "--matrix", str(out / "m.json")]) == 0
    assert sorted(read_record(out / "c.json", Schema.CONTRACT)["variants"]) == ["a", "b"]
    assert sorted(read_record(out / "m.json", Schema.MATRIX)["variants"]) == ["a", "b"]
    assert parts.main([str(tmp_path), *both, "observing-1", "--contract", str(out / "again.json")]) == 2
    assert "missing part(s)" in capsys.readouterr().err and not (out / "again.json").exists()


def test_a_part_of_another_kind_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_record(parts.part_path(tmp_path, "measured-1", "contract"), part(["a"], Schema.FUZZ))
    assert parts.main([str(tmp_path), "--labels", "measured-1", "--contract", str(tmp_path / "joined.json")]) == 2
    assert "expected 'authcmp.contract/1'" in capsys.readouterr().err
