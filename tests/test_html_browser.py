"""The HTML report in a real headless browser: what a reader sees, axe-core's accessibility
rules, and printing to PDF.

Uses Debian's Chromium (``/usr/bin/chromium``), never a browser Playwright downloads. When
there is no Chromium, or it will not start, the tests skip and say why, unless
``PLANAUDIT_REQUIRE_BROWSER=1`` (set by CI), where that is a failure.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from click.testing import CliRunner

from planaudit.cli import cli

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
WEAK = PLANS / "svak_plan.md"
GOOD = PLANS / "god_plan.md"
pytestmark = pytest.mark.usefixtures("isolated_cwd")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _unavailable(reason: str) -> None:
    if os.environ.get("PLANAUDIT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PLANAUDIT_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def test_a_missing_browser_fails_rather_than_skips_when_ci_requires_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANAUDIT_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="no chromium"):
        _unavailable("no chromium binary")
    monkeypatch.delenv("PLANAUDIT_REQUIRE_BROWSER")
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        _unavailable("no chromium binary")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module; skips (or fails on CI) when it cannot start."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # the test extra is not installed
        _unavailable(f"playwright is not installed ({error})")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        _unavailable("no chromium binary (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - any launch failure means "no browser here"
            _unavailable(f"chromium at {executable} did not start: {str(error).splitlines()[0]}")
        yield chromium
        chromium.close()


def _report(folder: Path, plan: Path, *options: str) -> tuple[Path, dict]:
    """The HTML report of ``plan`` written with ``-o``, and the same audit as JSON."""
    target = folder / f"{plan.stem}{'-'.join(options)}.html"
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(plan), "--format", "html", "-o", str(target), *options])
    assert result.exit_code in (0, 1), result.output
    data = json.loads(runner.invoke(cli, ["check", str(plan), "--format", "json", *options]).stdout)
    return target, data


class Opened:
    """A report open in a browser tab, with every request the tab made."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.url = path.as_uri()
        self.page.goto(self.url)

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def open_report(browser: Any, tmp_path: Path) -> Iterator[Any]:
    opened: list[Opened] = []

    def open_(plan: Path, *options: str) -> tuple[Opened, dict]:
        path, data = _report(tmp_path, plan, *options)
        tab = Opened(browser, path)
        opened.append(tab)
        return tab, data

    yield open_
    for tab in opened:
        tab.close()


def _axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
            + "; ".join(node["html"][:160] for node in violation["nodes"][:5])
            for violation in results.response["violations"]]


@pytest.mark.parametrize("plan", [WEAK, GOOD], ids=["weak", "good"])
def test_reader_sees_title_score_verdict_chart_and_quotes(open_report: Any, plan: Path) -> None:
    tab, data = open_report(plan)
    page = tab.page
    assert page.locator("h1").inner_text() == data["plan"]["title"]
    score = page.locator(".score")
    assert score.is_visible()
    assert f"{data['score']}/100" in score.inner_text()
    verdict = {True: "bestått", False: "ikke bestått", None: "ingen grense"}[data["passed"]]
    assert page.locator(".verdict").inner_text().strip() == verdict
    chart = page.get_by_role("img", name="Poeng per kriterium (0–100)")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    quoted = [finding["evidence"] for finding in data["findings"] if finding["evidence"]]
    if quoted:
        quote = page.locator("blockquote", has_text=" ".join(quoted[0].split())[:60]).first
        assert quote.is_visible()
    assert tab.requests == [tab.url]


def test_weak_plan_report_has_no_axe_violations(open_report: Any) -> None:
    tab, data = open_report(WEAK)
    assert len(data["findings"]) > 10, "the weak plan should give many findings to lay out"
    violations = _axe_violations(tab.page)
    assert violations == [], "\n".join(violations)


def test_good_plan_report_in_english_has_no_axe_violations(open_report: Any) -> None:
    tab, data = open_report(GOOD, "--lang", "en")
    page = tab.page
    assert page.locator("html").get_attribute("lang") == "en"
    headings = page.locator("h2").all_inner_texts()
    assert "Summary" in headings and "Assessment by criterion" in headings
    assert page.get_by_role("img", name="Score per criterion (0–100)").is_visible()
    violations = _axe_violations(page)
    assert violations == [], "\n".join(violations)


def test_several_plans_contents_links_lead_to_each_plan(browser: Any, tmp_path: Path) -> None:
    target = tmp_path / "samlet.html"
    result = CliRunner().invoke(cli, ["check", str(WEAK), str(GOOD), "--format", "html", "-o", str(target)])
    assert result.exit_code in (0, 1), result.output
    tab = Opened(browser, target)
    try:
        links = tab.page.locator("nav a")
        assert links.count() == 2
        links.nth(1).click()
        heading = tab.page.locator(f"[id='{links.nth(1).get_attribute('href')[1:]}']")
        assert heading.inner_text() == links.nth(1).inner_text()
        assert heading.is_visible()
        assert _axe_violations(tab.page) == []
    finally:
        tab.close()


def test_printing_gives_a_pdf_with_the_plan_title_and_no_contents_menu(browser: Any, tmp_path: Path) -> None:
    target = tmp_path / "samlet.html"
    CliRunner().invoke(cli, ["check", str(WEAK), str(GOOD), "--format", "html", "-o", str(target)])
    tab = Opened(browser, target)
    try:
        tab.page.emulate_media(media="print")
        assert not tab.page.locator("nav").is_visible()
        assert tab.page.locator("svg[role=img]").first.is_visible()
        pdf_bytes = tab.page.pdf(format="A4")
    finally:
        tab.close()
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    try:
        assert len(pdf) >= 2
        pages = (pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
        text = " ".join(" ".join(page.split()) for page in pages)
    finally:
        pdf.close()
    weak = json.loads(CliRunner().invoke(cli, ["check", str(WEAK), "--format", "json"]).stdout)
    assert weak["plan"]["title"] in text
    assert "Forslag:" in text
