"""The self-contained HTML report (`report/report.html`) in headless Chromium: it loads nothing from elsewhere,
shows no script error, and its need filter keeps exactly the variants `python -m report.choose` names
(the others leave the heatmap and the tables, their cards fade).

No server: the page is opened from the file. The screenshots (summary and a filtered heatmap) go to
results/screenshots/report-*.png; the README shows the copies under docs/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_tests.browser import Watch
from report import DATA_DIR, HERE
from report.choose import parse, satisfying
from report.data import load

CAPABILITY_NEEDS = ["logout_revokes_credential", "credential_hashed_at_rest"]  # each = yes
CASE_NEEDS = ["brute_force_throttled"]  # each = pass


def test_need_filter_keeps_the_variants_that_meet_every_need(browser: Any, screenshots: Path) -> None:
    data = load(DATA_DIR)
    expected = satisfying(data, parse(data, CAPABILITY_NEEDS + CASE_NEEDS))
    assert expected and len(expected) < len(data.columns), "the needs must tell variants apart to test the filter"
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    watch = Watch(f"file://{HERE}")
    watch.attach(context)
    try:
        page = context.new_page()
        page.goto(f"file://{HERE / 'report.html'}")
        assert page.locator("#need-result").inner_text() == "No need chosen: every variant is shown."
        page.screenshot(path=screenshots / "report-summary.png")
        page.locator("#capability-needs summary").click()
        for need in CAPABILITY_NEEDS:
            page.locator(f'select[data-need="{need}"]').select_option("yes")
        page.locator("#case-needs summary").click()
        for need in CASE_NEEDS:
            page.locator(f'select[data-need="{need}"]').select_option("pass")
        assert page.locator("#need-result").get_attribute("data-meeting") == " ".join(expected)
        hidden = page.eval_on_selector_all("#heatmap thead th.miss", "cells => cells.map(c => c.dataset.variant)")
        assert sorted(hidden) == sorted(set(data.columns) - set(expected))
        assert page.locator(f'#heatmap thead th[data-variant="{expected[0]}"]').is_visible()
        page.locator("#capability-needs summary").click()
        page.locator("#case-needs summary").click()
        page.locator("#heatmap-section").scroll_into_view_if_needed()
        page.screenshot(path=screenshots / "report-filtered-heatmap.png")
        # Where each record comes from: one row per published record, its link opening that file of report/data.
        links = page.eval_on_selector_all(
            "#provenance-table tbody th a", "links => links.map(a => [a.textContent, a.getAttribute('href')])"
        )
        assert [text for text, _ in links] == [f"{name}.json" for name in data.present]
        assert all(
            href.split("#")[0] == f"data/{text}" and (HERE / href.split("#")[0]).exists() for text, href in links
        )
        assert not watch.problems(), watch.problems()
    finally:
        context.close()
