"""The batch summary (``--summary oversikt.html``) in a real headless browser: axe-core finds
no accessibility violation, every criterion column is on screen without scrolling on a
laptop-wide window, nothing is fetched from the network, and a plan's link opens its report.

Shares the Chromium set-up of test_html_browser.py (skips without a browser, fails when CI
sets ``PLANAUDIT_REQUIRE_BROWSER=1``).
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from planaudit.cli import cli
from test_html_browser import _axe_violations, browser  # noqa: F401  (browser is a fixture)

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
pytestmark = pytest.mark.usefixtures("isolated_cwd")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_summary_page_is_accessible_and_links_to_the_reports(browser: Any, tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "planer"
    folder.mkdir()
    for plan in ("god_plan.md", "svak_plan.md", "nynorsk_plan.md"):
        shutil.copy(PLANS / plan, folder / plan)
    shutil.copy(PLANS.parent / "broken" / "binary.dat", folder / "skadet.pdf")
    summary = tmp_path / "oversikt.html"
    result = CliRunner().invoke(cli, ["check", str(folder), "--summary", str(summary), "--jobs", "2",
                                      "--lang", lang])
    assert result.exit_code == 2, result.output
    page = browser.new_page(viewport={"width": 1366, "height": 800})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(summary.as_uri())
        assert _axe_violations(page) == []
        table = page.get_by_role("table", name="The plans ranked by overall score, highest first" if lang == "en"
                                 else "Planene rangert etter samlet poengsum, høyest først")
        assert table.locator("tbody tr").count() == 3
        wide = page.locator(".wide")
        assert wide.evaluate("element => element.scrollWidth <= element.clientWidth")
        assert "skadet.pdf" in page.locator("body").inner_text()
        first = table.locator("tbody tr").first.locator("a")
        title = first.inner_text()
        first.click()
        page.wait_for_load_state()
        assert page.url.startswith(summary.with_name("oversikt-rapporter").as_uri())
        assert page.locator("h1").inner_text() == title
        assert all(url.startswith("file://") for url in requests), requests
    finally:
        page.close()
