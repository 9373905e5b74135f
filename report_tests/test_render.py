"""The committed report is what its data renders, byte for byte; it opens with the verdict; its figures cite data."""

from __future__ import annotations

import copy
import re

import pytest

from report import HERE, cards
from report.data import Data
from report.render import COMPARISON, HTML, render


@pytest.fixture(scope="module")
def rendered(published: Data) -> dict[str, bytes]:
    return render(published)


def test_the_published_report_renders_byte_identically_from_its_data(rendered: dict[str, bytes]) -> None:
    differ = [path for path, content in rendered.items() if (HERE / path).read_bytes() != content]
    assert not differ, f"re-render with `python -m report`: {differ}"
    for folder in ("charts", "variants"):
        stale = {f"{folder}/{p.name}" for p in (HERE / folder).iterdir()} - set(rendered)
        assert not stale, f"committed but not rendered from the data: {stale}"


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_summary_comes_first_and_the_appendix_last(rendered: dict[str, bytes]) -> None:
    titles = list(_sections(rendered[COMPARISON].decode()))
    assert titles[:2] == ["Summary: one card per variant", "Contents"] and titles[-1] == "Appendix", titles


def test_every_table_and_chart_links_to_its_record(rendered: dict[str, bytes]) -> None:
    for title, body in _sections(rendered[COMPARISON].decode()).items():
        if "|---|" in body or "![" in body:
            assert "](data/" in body, f"section {title!r} shows figures without a link to their record"
    for path, content in rendered.items():
        if path.startswith("variants/") and "|---|" in (text := content.decode()):
            assert "](../data/" in text, path


def test_every_card_line_with_a_figure_cites_it(published: Data, rendered: dict[str, bytes]) -> None:
    summary = _sections(rendered[COMPARISON].decode())["Summary: one card per variant"]
    assert summary.count("\n### ") == len(published.defaults)
    for line in summary.splitlines():
        if line.startswith(("- **Alone", "- **Cost", "- **Declared")) and re.search(r"\d|`\w+`", line.split(":**")[1]):
            assert "](data/" in line, line


def test_the_html_report_loads_nothing_from_elsewhere(rendered: dict[str, bytes]) -> None:
    page = rendered[HTML].decode()
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", page), "an asset is loaded, not inlined"
    assert "<svg" in page and 'id="heatmap"' in page and "position: sticky" in page


def test_a_case_a_declared_deviation_stops_reads_not_reached_and_one_never_run_reads_not_run(published: Data) -> None:
    """The 2021 tutorial's reset never completes (a declared deviation), so its reset cases are never judged: they
    read 'not reached' with the deviation's test, not 'not run'; a case with no test at all still reads 'not run'."""
    import copy

    from report import security

    table = security.posture_table(published, ["tutorial_2021-jwt"])
    assert table is not None
    row = next(r for r in table.rows if r[0].startswith("`reset_link_single_use`"))
    assert "not reached (declared deviation)" in row[2] and "test_posture_reset.py" in row[2]
    assert "3 not reached" in table.rows[-1][2] and "not run" not in table.rows[-1][2]
    gone = copy.deepcopy(published)
    tests = gone.contract["variants"]["tutorial_2021-jwt"]["tests"]
    for key in [k for k in tests if "test_reset_link_single_use" in k]:
        del tests[key]
    again = security.posture_table(gone, ["tutorial_2021-jwt"])
    assert again is not None and "1 not run" in again.rows[-1][2]


def test_a_compat_record_of_the_smoke_cases_says_which_cases_it_ran(published: Data) -> None:
    """compare's quick run puts only the smoke cases on the next Django: its compat rows must not read as the whole
    suite's. The published records (the whole suite, no selection recorded) keep the table without the column."""
    import copy

    from report import contract

    assert published.compat is not None
    assert "cases" not in contract.compat(published).head  # type: ignore[union-attr]
    quick = copy.deepcopy(published)
    record = next(iter(quick.compat["records"].values()))  # type: ignore[index]
    record["header"]["selection"] = {"keyword": "test_login or test_logout", "markers": None}
    table = contract.compat(quick)
    assert table is not None and table.head[3] == "cases"
    assert table.rows[0][3] == "`-k test_login or test_logout`" and table.rows[-1][3] == "all"


def test_a_quick_runs_figure_in_a_card_says_it_is_quick(published: Data) -> None:
    """compare's default run measures seconds-long single runs: a card quoting one must say so, as its section does."""
    data = copy.deepcopy(published)
    name = data.defaults[0]

    def cost_line() -> str:
        return next(line for line in cards.card(data, name).cost if "under load keeps" in line)

    assert "quick run" not in cost_line()  # the published run is full-grade
    assert data.bench is not None
    data.bench["header"]["quick"] = True
    data.bench["header"]["load"].update(duration_seconds=4.0, repeat=1)
    assert cost_line().endswith("(⚠ a quick run's figure: 4.0 s × 1 run(s), not to be compared or quoted)")
