"""``planaudit serve`` in a real headless browser, used as a municipal planner would: open
the upload page, choose or drop a plan, press "Revider planen", read the score and the
findings with their pages, download the JSON; the same without JavaScript and with the
keyboard only; a broken file gives one line in an alert; axe-core finds no accessibility
violation on any page, in bokmål or English; nothing is fetched from another origin; and the
history survives a restart of the server.

The server is the real command (``planaudit serve`` as a subprocess, tests/_serve.py) with a
throwaway SQLite history; only the hanging-audit test runs the app in a thread
(tests/_web.py ``serving``), as it needs an audit function that misbehaves on request. The browser is Debian's Chromium (``/usr/bin/chromium``), set up
as in test_html_browser.py: the tests skip and say why without it, unless
``PLANAUDIT_REQUIRE_BROWSER=1`` (CI), where that is a failure.
"""
from __future__ import annotations

import base64
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from click.testing import CliRunner

from _serve import RunningServer, start_server
from _web import HANG, MISBEHAVING, serving, sqlite_url
from planaudit.cli import cli
from planaudit.web import ServeSettings
from test_generate import _load_generator
from test_html_browser import _axe_violations, browser  # noqa: F401  (browser is a fixture)

REPO = Path(__file__).resolve().parent.parent
FORMATS = REPO / "fixtures" / "plans" / "formats"
PDF = FORMATS / "plan_nb.pdf"
DOCX = FORMATS / "plan_nb.docx"
WEAK_PDF = FORMATS / "plan_svak_nb.pdf"
SCHEMA = json.loads((REPO / "src" / "planaudit" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
REPORT_URL = re.compile(r"/revisjoner/([0-9a-f]{32})$")
BUTTON = {"nb": "Revider planen", "en": "Audit the plan"}
FILE_LABEL = {"nb": "Planfil", "en": "Plan file"}
PROFILE_LABEL = {"nb": "Profil", "en": "Profile"}
JSON_LINK = {"nb": "Last ned JSON", "en": "Download JSON"}
#: the module's server takes uploads up to this size (the fixture plans are far smaller)
UPLOAD_LIMIT = "1MB"


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:  # noqa: F811
    """One ``planaudit serve`` for the module (after the browser, so no server starts
    when the tests skip for want of Chromium)."""
    running = start_server(tmp_path_factory.mktemp("serve"), None, "--max-upload", UPLOAD_LIMIT)
    yield running
    running.stop()


class Tab:
    """A fresh browser context and page on the server at ``base`` (a URL), with every URL
    it requested."""

    def __init__(self, browser: Any, base: str, **context: Any) -> None:  # noqa: F811
        self.base = base
        self.context = browser.new_context(accept_downloads=True, **context)
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()

    def open(self, path: str = "/") -> Any:
        answer = self.page.goto(self.base + path)
        assert answer is not None and answer.status == 200, (path, answer and answer.status)
        return self.page

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the server's own origin (data: and blob: URLs are
        the page's own bytes, not network)."""
        own = urlsplit(self.base)
        return [url for url in self.requests if urlsplit(url).scheme not in ("data", "blob")
                and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, server: RunningServer) -> Iterator[Any]:  # noqa: F811
    """Opens tabs on the module's server; each test may open several (e.g. without JS)."""
    tabs: list[Tab] = []

    def open_tab(**context: Any) -> Tab:
        tabs.append(Tab(browser, server.url, **context))
        return tabs[-1]

    yield open_tab
    for opened in tabs:
        opened.close()


def cli_report(plan: Path) -> dict:
    """The JSON report ``planaudit check`` gives for ``plan``: what the web page must show."""
    result = CliRunner().invoke(cli, ["check", str(plan), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def upload(page: Any, plan: Path, lang: str = "nb") -> str:
    """Choose ``plan`` in the upload form and press the button; the new audit's id."""
    page.get_by_label(FILE_LABEL[lang]).set_input_files(plan)
    with page.expect_navigation():
        page.get_by_role("button", name=BUTTON[lang]).click()
    return report_id(page)


def report_id(page: Any) -> str:
    page.wait_for_load_state()
    path = urlsplit(page.url).path
    match = REPORT_URL.search(path)
    assert match, f"expected /revisjoner/{{id}} after the upload, got {page.url}: {page.inner_text('body')[:500]}"
    return match.group(1)


def assert_shows_report(page: Any, expected: dict) -> None:
    """The page shows the plan's score as "NN/100" and a located finding with its page."""
    body = page.locator("body")
    assert page.locator(".score", has_text=f"{expected['score']}/100").first.is_visible(), body.inner_text()[:1000]
    assert expected["plan"]["title"] in body.inner_text()
    located = [finding for finding in expected["findings"] if finding["location"]["page"]]
    assert located, "the fixture plan should give a finding on a known page"
    finding = page.locator(".finding", has_text=located[0]["message"][:60]).first
    assert finding.is_visible()
    assert re.search(rf"\b(s\.|side) {located[0]['location']['page']}\b", finding.inner_text()), finding.inner_text()


def link_path(link: Any) -> str:
    """The path a link leads to (its query, e.g. ``?lang=nb``, left out)."""
    return urlsplit(link.get_attribute("href")).path


def download(page: Any, link: str, extension: str) -> str:
    """The text of the file the link ``link`` downloads (an attachment, not a new page)."""
    with page.expect_download() as event:
        page.get_by_role("link", name=link).click()
    assert event.value.suggested_filename.endswith(extension), event.value.suggested_filename
    return Path(event.value.path()).read_text(encoding="utf-8")


def download_json(page: Any, lang: str = "nb") -> dict:
    return json.loads(download(page, JSON_LINK[lang], ".json"))


def same_audit(web: dict, cli_: dict) -> None:
    """The web service audits exactly as the command line does (the path aside)."""
    assert web["score"] == cli_["score"]
    assert web["passed"] == cli_["passed"]
    assert web["document"]["sha256"] == cli_["document"]["sha256"]
    assert web["criteria"] == cli_["criteria"]
    assert [(f["rule"], f["location"]) for f in web["findings"]] == [(f["rule"], f["location"]) for f in cli_["findings"]]


def broken_pdf(folder: Path) -> Path:
    """A file named .pdf holding random bytes, as a download gone wrong would."""
    path = folder / "skadet.pdf"
    path.write_bytes(random.Random(8).randbytes(8192))
    return path


# --- the upload page ------------------------------------------------------------------------


def test_upload_form_is_labelled_in_bokmal(tab: Any) -> None:
    page = tab().open("/")
    assert page.locator("html").get_attribute("lang") == "nb"
    plan_file = page.get_by_label("Planfil")
    assert plan_file.count() == 1 and plan_file.get_attribute("type") == "file"
    profile = page.get_by_label("Profil", exact=True)
    assert profile.evaluate("element => element.tagName") == "SELECT"
    assert profile.locator("option").count() >= 2, "there are several profiles to choose from"
    assert page.get_by_role("button", name="Revider planen").is_visible()


def test_upload_page_in_english(tab: Any) -> None:
    page = tab().open("/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Plan file").count() == 1
    assert page.get_by_role("button", name="Audit the plan").is_visible()


@pytest.mark.parametrize("plan", [PDF, DOCX, WEAK_PDF], ids=["pdf", "docx", "weak-pdf"])
def test_uploaded_plan_shows_score_and_located_finding_and_json_downloads(tab: Any, plan: Path) -> None:
    opened = tab()
    page = opened.open("/")
    expected = cli_report(plan)
    audit_id = upload(page, plan)
    assert_shows_report(page, expected)
    data = download_json(page)
    jsonschema.validate(data, SCHEMA)
    same_audit(data, expected)
    assert data["document"]["path"] == plan.name, "the report names the uploaded file, not a server folder"
    assert link_path(page.get_by_role("link", name="Last ned HTML")) == f"/revisjoner/{audit_id}/rapport.html"
    printable = download(page, "Last ned HTML", ".html")
    assert f"{expected['score']}/100" in printable and expected["plan"]["title"] in printable
    assert not re.search(r"<(link|script)\b[^>]*(href|src)=", printable), "the printable page is self-contained"
    sarif = json.loads(download(page, "Last ned SARIF", ".sarif"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == len(expected["findings"])
    assert opened.foreign_requests() == []


def test_english_report_downloads_are_in_english(tab: Any) -> None:
    """Someone reading the report in English downloads it in English too."""
    opened = tab()
    page = opened.open("/?lang=en")
    upload(page, WEAK_PDF, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Summary" in page.locator("h2").all_inner_texts()
    printable = download(page, "Download HTML", ".html")
    assert '<html lang="en"' in printable and ">Summary<" in printable, "the printable report is in Norwegian"
    sarif = download(page, "Download SARIF", ".sarif")
    assert "Forslag:" not in sarif and "Suggestion" in sarif, "the SARIF messages mix English and Norwegian"


def test_upload_works_without_javascript(tab: Any) -> None:
    opened = tab(java_script_enabled=False)
    page = opened.open("/")
    upload(page, DOCX)
    assert_shows_report(page, cli_report(DOCX))
    assert opened.foreign_requests() == []


def test_choosing_a_profile_audits_with_it(tab: Any) -> None:
    page = tab().open("/")
    profile = page.get_by_label("Profil", exact=True)
    values = profile.locator("option").evaluate_all("options => options.map(option => option.value)")
    chosen = next(value for value in values if value != profile.input_value())
    profile.select_option(chosen)
    upload(page, PDF)
    assert download_json(page)["profile"] == chosen


def test_file_names_with_norwegian_letters_and_markup_are_shown_as_written(tab: Any, tmp_path: Path) -> None:
    named = tmp_path / "Plan for Ørsta & <Volda> 2026.pdf"
    named.write_bytes(PDF.read_bytes())
    opened = tab()
    page = opened.open("/")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    upload(page, named)
    assert named.name in page.locator("main").inner_text()
    assert page.locator("main volda").count() == 0, "the name is text, not markup"
    assert json.loads(download(page, "Last ned JSON", ".json"))["document"]["path"] == named.name
    hostile = tmp_path / "<img src=x onerror=alert(1)>.pdf"
    hostile.write_bytes(random.Random(1).randbytes(2048))
    opened.open("/")
    status, message = submit_bad_file(page, hostile)
    assert status == 422 and hostile.name in message
    assert page.locator("main img").count() == 0 and dialogs == []


# --- keyboard only and drag-and-drop --------------------------------------------------------


def tab_to(page: Any, selector: str, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus (at most ``limit`` times)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.locator(selector).evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def focus_is_visible(page: Any) -> bool:
    """Whether the page looks different with the focus where it is than with no focus:
    a keyboard user must see where they are, however the style draws it."""
    focused = page.screenshot()
    page.evaluate("document.activeElement.blur()")
    unfocused = page.screenshot()
    return focused != unfocused


def test_keyboard_only_upload_with_visible_focus(tab: Any) -> None:
    page = tab().open("/")
    for selector in ("#fil", "#profil", "button[type=submit]"):
        tab_to(page, selector)
        assert focus_is_visible(page), f"no visible focus on {selector}"
    page.reload()
    tab_to(page, "#fil")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(PDF)
    tab_to(page, "#profil")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    report_id(page)
    assert_shows_report(page, cli_report(PDF))


def test_dropping_a_file_on_the_drop_zone_uploads_it(tab: Any) -> None:
    opened = tab()
    page = opened.open("/")
    page.wait_for_load_state("networkidle")
    zone = page.locator("[data-dropzone], .dropzone, .drop-zone").first
    assert zone.is_visible(), "the drop zone is shown when JavaScript runs"
    transfer = page.evaluate_handle(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
            return transfer;
        }""", [PDF.name, base64.b64encode(PDF.read_bytes()).decode("ascii")])
    for event in ("dragenter", "dragover"):
        zone.dispatch_event(event, {"dataTransfer": transfer})
    zone.dispatch_event("drop", {"dataTransfer": transfer})
    assert page.locator("#fil").evaluate("input => input.files.length && input.files[0].name") == PDF.name
    assert PDF.name in page.locator("body").inner_text(), "the page names the dropped file"
    if REPORT_URL.search(urlsplit(page.url).path) is None:
        with page.expect_navigation():
            page.get_by_role("button", name="Revider planen").click()
    report_id(page)
    assert_shows_report(page, cli_report(PDF))
    assert opened.foreign_requests() == []


# --- a file that cannot be read -------------------------------------------------------------


def submit_bad_file(page: Any, path: Path) -> tuple[int, str]:
    """Upload ``path`` with the "husbanken" profile chosen; the answer's status and the one
    line the page shows in its alert (after checking it is one line and no traceback)."""
    page.get_by_label("Profil", exact=True).select_option("husbanken")
    page.get_by_label("Planfil").set_input_files(path)
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.get_by_role("button", name="Revider planen").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    message = alert.inner_text().strip()
    assert len(message.splitlines()) == 1, message
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "File \"" not in body
    assert page.get_by_label("Planfil").count() == 1, "the form is there to try again"
    return posted.value.status, message


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_unreadable_file_shows_one_line_in_an_alert(tab: Any, tmp_path: Path, javascript: bool) -> None:
    page = tab(java_script_enabled=javascript).open("/")
    status, message = submit_bad_file(page, broken_pdf(tmp_path))
    assert status == 422
    assert "skadet.pdf" in message
    assert page.get_by_label("Profil", exact=True).input_value() == "husbanken", "the chosen profile is kept"


def test_language_link_on_the_error_page_leads_to_the_english_upload_page(tab: Any, tmp_path: Path) -> None:
    """After a failed upload (the page's address is then /revisjoner), "English" must
    still give the upload page in English, not an error about the request method."""
    page = tab().open("/")
    submit_bad_file(page, broken_pdf(tmp_path))
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("alert").count() == 0, page.get_by_role("alert").all_inner_texts()
    assert page.get_by_label("Plan file").count() == 1, f"no upload form at {page.url}"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_too_large_file_shows_the_limit_in_an_alert(tab: Any, tmp_path: Path, javascript: bool) -> None:
    big = tmp_path / "stor.pdf"
    big.write_bytes(PDF.read_bytes() * (2 * 1024 * 1024 // PDF.stat().st_size + 1))
    page = tab(java_script_enabled=javascript).open("/")
    status, message = submit_bad_file(page, big)
    assert status == 413
    assert "for stor" in message and "1 MB" in message, message


def test_a_hanging_audit_is_stopped_and_the_next_upload_works(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    """A hostile file that would keep the audit busy for ever: the user gets the time limit
    in an alert after a few seconds, and the service audits the next plan as usual."""
    hanging = tmp_path / "henger.pdf"
    hanging.write_bytes(HANG + str(tmp_path / "pid").encode())
    settings = ServeSettings(workers=1, timeout=2.0, audit_function=MISBEHAVING, database_url=sqlite_url(tmp_path))
    with serving(settings) as base:
        opened = Tab(browser, base)
        try:
            page = opened.open("/")
            status, message = submit_bad_file(page, hanging)
            assert status == 422 and "henger.pdf" in message and "2 sekunder" in message, message
            upload(page, PDF)
            assert_shows_report(page, cli_report(PDF))
        finally:
            opened.close()


@pytest.mark.parametrize("path", [f"/revisjoner/{'0' * 32}", "/revisjon"], ids=["unknown-report", "mistyped-address"])
def test_an_address_that_is_not_there_is_a_page_not_found(tab: Any, path: str) -> None:
    opened = tab()
    answer = opened.page.goto(opened.base + path)
    assert answer is not None and answer.status == 404
    assert opened.page.get_by_role("alert").is_visible(), "a page for people, not JSON"
    assert _axe_violations(opened.page) == []
    with opened.page.expect_navigation():
        opened.page.get_by_role("link", name="Til opplastingssiden").click()
    assert opened.page.get_by_label("Planfil").count() == 1


# --- accessibility --------------------------------------------------------------------------


def open_page(tab: Any, which: str, lang: str, tmp_path: Path) -> Tab:
    """The upload page, a report, the error page or the history, in ``lang``."""
    query = "?lang=en" if lang == "en" else ""
    opened = tab()
    page = opened.open("/" + query)
    if which in ("report", "error", "history"):
        plan = broken_pdf(tmp_path) if which == "error" else WEAK_PDF
        page.get_by_label(FILE_LABEL[lang]).set_input_files(plan)
        with page.expect_navigation():
            page.get_by_role("button", name=BUTTON[lang]).click()
        page.wait_for_load_state()
    if which == "error":
        assert page.get_by_role("alert").is_visible()
    if which == "report":
        report_id(page)
    if which == "history":
        opened.open("/historikk" + query)
    assert page.locator("html").get_attribute("lang") == lang
    return opened


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("which", ["upload", "report", "error", "history"])
def test_axe_finds_no_violations(tab: Any, tmp_path: Path, which: str, lang: str) -> None:
    opened = open_page(tab, which, lang, tmp_path)
    violations = _axe_violations(opened.page)
    assert violations == [], "\n".join(violations)
    assert opened.foreign_requests() == [], "every page is served from the server's own origin"


def overflowing(page: Any) -> list[str]:
    """Elements that stick out to the right of the window, outermost first, tables left
    out (WCAG 1.4.10 lets a data table scroll sideways)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll("body *")]
            .filter(element => !element.closest("table, svg"))
            .filter(element => element.getBoundingClientRect().right > width + 1)
            .filter(element => element.parentElement.getBoundingClientRect().right <= width + 1)
            .map(element => element.tagName.toLowerCase() + " " + element.textContent.trim().slice(0, 60));
    }""")


def test_pages_reflow_on_a_narrow_screen(tab: Any) -> None:
    """At 320 CSS pixels (a phone, or 400 % zoom) text wraps instead of running off the side."""
    opened = tab(viewport={"width": 320, "height": 640})
    page = opened.open("/")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    upload(page, WEAK_PDF)
    assert overflowing(page) == []
    opened.open("/historikk")
    assert overflowing(page) == []


# --- the history ----------------------------------------------------------------------------


def test_history_lists_the_uploaded_audits(tab: Any) -> None:
    opened = tab()
    page = opened.open("/")
    ids = [upload(page, WEAK_PDF)]
    opened.open("/")
    ids.append(upload(page, DOCX))
    opened.open("/historikk")
    for audit_id in ids:
        assert page.locator(f"a[href*='/revisjoner/{audit_id}']").count() >= 1, f"{audit_id} not in the history"
    weak = cli_report(WEAK_PDF)
    assert weak["plan"]["municipality"] in page.locator("main").inner_text()


def test_history_of_one_municipality(tab: Any) -> None:
    opened = tab()
    page = opened.open("/")
    weak_id = upload(page, WEAK_PDF)
    opened.open("/")
    other_id = upload(page, PDF)
    weak, other = cli_report(WEAK_PDF), cli_report(PDF)
    opened.open("/historikk")
    page.get_by_label("Kommune", exact=True).fill(weak["plan"]["municipality"])
    with page.expect_navigation():
        page.get_by_label("Kommune", exact=True).press("Enter")
    main = page.locator("main")
    assert main.locator(f"a[href*='/revisjoner/{weak_id}']").count() >= 1
    assert main.locator(f"a[href*='/revisjoner/{other_id}']").count() == 0, f"{other['plan']['municipality']} is listed"
    assert str(weak["score"]) in main.locator(f"tr:has(a[href*='/revisjoner/{weak_id}'])").first.inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name=re.compile(weak["plan"]["municipality"])).count() >= 1
    assert page.locator(f"main a[href*='/revisjoner/{other_id}']").count() == 0, "the municipality is kept"


def renamed_plan(folder: Path, town: str, pages: int) -> Path:
    """The fixture plan written for another municipality and cut to ``pages`` pages (less
    of the plan, a lower score), as a PDF."""
    generate = _load_generator()
    source = folder / f"plan_{town.lower()}.yaml"
    source.write_text((generate.SOURCE_DIR / "plan_nb.yaml").read_text(encoding="utf-8").replace("Lindvik", town),
                      encoding="utf-8")
    path = folder / f"{town.lower()}_{pages}.pdf"
    path.write_bytes(generate.render(generate.with_page_count(generate.load_plan(source), pages), "pdf"))
    return path


def test_history_shows_the_trend_of_a_municipality(tab: Any, tmp_path: Path) -> None:
    plans = [renamed_plan(tmp_path, "Trendvik", pages) for pages in (9, 3)]
    first, second = (cli_report(plan) for plan in plans)
    assert first["plan"]["municipality"] == "Trendvik" and second["score"] < first["score"]
    opened = tab()
    page = opened.open("/")
    ids = []
    for plan in plans:
        opened.open("/")
        ids.append(upload(page, plan))
    opened.open("/historikk")
    with page.expect_navigation():
        page.get_by_role("link", name="Trendvik", exact=True).click()
    trend = page.get_by_role("table", name=re.compile("Poeng over tid"))
    rows = trend.locator("tbody tr")
    assert rows.count() == 2
    assert [link_path(rows.nth(index).locator("a")) for index in (0, 1)] == [f"/revisjoner/{ids[0]}",
                                                                            f"/revisjoner/{ids[1]}"]
    change = second["score"] - first["score"]
    last_row = rows.nth(1).inner_text().replace("\u2212", "-")
    assert str(second["score"]) in last_row and f"{change:+d}" in last_row, last_row


def test_history_survives_a_restart_of_the_server(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    database = tmp_path / "historikk.sqlite3"
    first = start_server(tmp_path / "first", database)
    try:
        opened = Tab(browser, first.url)
        page = opened.open("/")
        audit_id = upload(page, PDF)
        opened.close()
    finally:
        assert first.stop() == 0, first.output()
    second = start_server(tmp_path / "second", database)
    try:
        opened = Tab(browser, second.url)
        page = opened.open("/historikk")
        link = page.locator(f"a[href*='/revisjoner/{audit_id}']").first
        assert link.is_visible(), page.locator("body").inner_text()[:1000]
        with page.expect_navigation():
            link.click()
        assert_shows_report(page, cli_report(PDF))
        opened.close()
    finally:
        second.stop()
