"""The pages a planner uses in a browser, without JavaScript: the upload form, the post ->
303 -> report page round trip, the downloads, the history, errors shown in the page, and
the security headers. (Drag-and-drop, focus and axe-core checks run in a real browser.)
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from _web import FORMATS, FakeStore, error_of, running, serving, sqlite_url
from fastapi.testclient import TestClient

from planaudit.engine import ReportContext, audit, default_registry, version
from planaudit.history import HistoryStore
from planaudit.web import ServeSettings

BROKEN = FORMATS.parent.parent / "broken"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, HistoryStore]]:
    url = sqlite_url(tmp_path_factory.mktemp("history"))
    with running(ServeSettings(workers=2, timeout=60, database_url=url)) as (client, store):
        yield client, store


@pytest.fixture(scope="module")
def client(served: tuple[TestClient, HistoryStore]) -> TestClient:
    return served[0]


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each label by its ``for``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.labels: dict[str, str] = {}
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._label: str | None = None
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "label":
            self._label, self._text = dict(attrs).get("for"), []
        if tag == "script":
            self._script, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label:
            self.labels[self._label] = "".join(self._text).strip()
            self._label = None
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def find(self, tag: str, **attrs: str) -> dict[str, str | None]:
        found = [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]
        assert len(found) == 1, (tag, attrs, found)
        return found[0]


def _report_path(location: str) -> str:
    """/revisjoner/ID from the address the form redirects to (which names the language)."""
    return location.partition("?")[0]


def _submit(client: TestClient, name: str, data: bytes, **fields: str) -> Any:
    return client.post("/revisjoner", files={"fil": (name, data)}, data=fields, follow_redirects=False)


# --- the upload page -------------------------------------------------------------------------------


def test_the_upload_page_is_a_form_that_works_without_javascript(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = _Elements(response.text)
    assert page.find("html")["lang"] == "nb"
    form = page.find("form", action="/revisjoner")
    assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
    assert page.find("input", id="fil")["type"] == "file" and page.find("input", id="fil")["name"] == "fil"
    assert page.find("select", id="profil")["name"] == "profil"
    assert page.labels == {"fil": "Planfil", "profil": "Profil"}
    assert re.search(r'<button type="submit">Revider planen</button>', response.text)
    profiles = {attrs["value"] for tag, attrs in page.tags if tag == "option"}
    assert profiles == set(default_registry().profiles)
    assert "selected" in page.find("option", value="kommune")


def test_the_upload_page_in_english(client: TestClient) -> None:
    page = _Elements(client.get("/?lang=en").text)
    assert page.find("html")["lang"] == "en"
    assert page.labels == {"fil": "Plan file", "profil": "Profile"}
    assert page.find("input", name="lang")["value"] == "en"


def test_scripts_come_only_from_the_server_and_the_headers_say_so(client: TestClient) -> None:
    response = client.get("/")
    page = _Elements(response.text)
    assert page.scripts == [({"src": "/static/upload.js", "defer": None}, "")]
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    policy = {part.split()[0]: part.split()[1:] for part in response.headers["content-security-policy"].split("; ")}
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and policy["default-src"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    script = client.get("/static/upload.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "drop" in script.text and "fil" in script.text
    assert client.get("/static/web.css").status_code == 200


# --- upload -> report page ---------------------------------------------------------------------------


def test_a_form_upload_redirects_to_the_report_page_with_score_and_a_finding_with_its_page(
        served: tuple[TestClient, HistoryStore]) -> None:
    client, store = served
    path = FORMATS / "plan_svak_nb.pdf"
    response = _submit(client, path.name, path.read_bytes(), profil="kommune")
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/revisjoner/[0-9a-f]{32}\?lang=nb", location)
    page = client.get(location)
    assert page.status_code == 200
    expected = audit(path.read_bytes(), name=path.name)
    assert f"{expected.score}/100" in page.text
    paged = [finding for finding in expected.findings if finding.location.page]
    assert paged, "the weak plan has findings with a page"
    assert f"s. {paged[0].location.page}" in page.text
    assert re.sub(r"\s+", " ", paged[0].message) in re.sub(r"\s+", " ", page.text.replace("&#x27;", "'")
                                                         .replace("&quot;", '"').replace("&amp;", "&"))
    assert store.get(_report_path(location).rsplit("/", 1)[1]).source == "web"


def test_the_report_page_holds_the_html_reporters_content_and_download_links(client: TestClient) -> None:
    path = FORMATS / "plan_nb.docx"
    location = _submit(client, path.name, path.read_bytes()).headers["location"]
    page = client.get(location).text
    registry = default_registry()
    context = ReportContext(lang="nb", rules=tuple(registry.rule_infos()), tool_version=version(),
                            criterion_titles=registry.criterion_titles("nb"))
    report_html = registry.reporter("html").render([audit(path.read_bytes(), name=path.name)], context)
    main = report_html.split("<main>\n", 1)[1].split("\n</main>", 1)[0]
    assert main in page
    assert page.count("<main>") == 1 and page.count("<h1") == 1
    for ext, label in (("html", "Last ned HTML"), ("json", "Last ned JSON"), ("sarif", "Last ned SARIF")):
        assert f'<a href="{_report_path(location)}/rapport.{ext}?lang=nb" download>{label}</a>' in page
    assert "Last ned HTML</a> <span class=\"hint\">(skriv den ut som PDF fra nettleseren)</span>" in page


def test_the_downloads_are_attachments_in_their_formats(client: TestClient) -> None:
    path = FORMATS / "plan_nb.odt"
    location = _report_path(_submit(client, path.name, path.read_bytes()).headers["location"])
    expected = audit(path.read_bytes(), name=path.name).model_dump(mode="json")
    html = client.get(f"{location}/rapport.html")
    as_json = client.get(f"{location}/rapport.json")
    sarif = client.get(f"{location}/rapport.sarif")
    for response, ext in ((html, "html"), (as_json, "json"), (sarif, "sarif")):
        assert response.status_code == 200
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment;") and f'filename="plan_nb-planaudit.{ext}"' in disposition
    assert as_json.json() == expected
    assert json.loads(sarif.text)["version"] == "2.1.0"
    assert html.text.startswith("<!DOCTYPE html>") and "<script" not in html.text and "/static/" not in html.text
    assert client.get(f"{location}/rapport.exe").status_code == 404


def test_plan_text_is_shown_as_text_never_run(client: TestClient) -> None:
    hostile = ("# Boligsosial handlingsplan <script>alert('x')</script> 2025–2028\n\nHostile kommune\n\n"
               "## Mål\n\nMålet er <img src=x onerror=alert(1)> at flere skal eie egen bolig innen 2027.\n").encode()
    location = _submit(client, "<script>.md", hostile).headers["location"]
    page = client.get(location).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert _Elements(page).scripts == [({"src": "/static/upload.js", "defer": None}, "")]


# --- errors in the page ----------------------------------------------------------------------------


def test_a_bad_file_shows_the_upload_page_again_with_the_error(client: TestClient) -> None:
    response = _submit(client, "data.pdf", (BROKEN / "binary.dat").read_bytes(), profil="husbanken")
    assert response.status_code == 422
    page = _Elements(response.text)
    alert = re.search(r'<p class="error" role="alert" id="feil">([^<]+)</p>', response.text)
    assert alert and "data.pdf" in alert.group(1)
    assert page.find("form", action="/revisjoner")
    assert "selected" in page.find("option", value="husbanken")


def test_no_file_chosen_is_an_error_in_the_page(client: TestClient) -> None:
    response = client.post("/revisjoner", files={"fil": ("", b"")}, data={"profil": "kommune"})
    assert response.status_code == 400
    assert 'role="alert"' in response.text and "Ingen planfil" in response.text
    english = client.post("/revisjoner", files={"fil": ("", b"")}, data={"lang": "en"})
    assert english.status_code == 400 and "No plan file" in english.text


def test_an_unknown_report_is_a_404_page(client: TestClient) -> None:
    response = client.get("/revisjoner/" + "f" * 32)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in response.text and "Traceback" not in response.text


def _language_link(html: str) -> str:
    """Where the menu's link to the other language leads."""
    found = re.search(r'<a href="([^"]+)" lang="(?:nb|en)" hreflang=', html)
    assert found, "the page has no language link"
    return found.group(1).replace("&amp;", "&")


def test_the_language_link_after_a_failed_upload_leads_to_the_upload_page(client: TestClient) -> None:
    """The page re-shown after a POST has the form's address; the link must not be relative
    to it (GET /revisjoner is no page)."""
    response = client.post("/revisjoner", files={"fil": ("", b"")})
    link = _language_link(response.text)
    assert link == "/?lang=en"
    assert client.get(link).status_code == 200


def test_an_english_report_page_downloads_english_reports(client: TestClient) -> None:
    path = FORMATS / "plan_nb.md"
    report = _report_path(_submit(client, path.name, path.read_bytes(), lang="en").headers["location"])
    page = client.get(report, params={"lang": "en"}).text
    link = re.search(r'<a href="([^"]+rapport\.html[^"]*)" download>', page)
    assert link and "lang=en" in link.group(1)
    printable = client.get(link.group(1).replace("&amp;", "&")).text
    assert '<html lang="en">' in printable and "Summary" in printable
    assert _language_link(page) == f"{report}?lang=nb"


def test_the_language_link_on_the_history_keeps_the_municipality(client: TestClient) -> None:
    page = client.get("/historikk", params={"kommune": "Fjellvik", "lang": "en"}).text
    assert _language_link(page) == "/historikk?kommune=Fjellvik&lang=nb"


def test_a_mistyped_address_is_a_page_for_a_browser_and_json_for_a_program(client: TestClient) -> None:
    browser = client.get("/finnesikke", headers={"Accept": "text/html,application/xhtml+xml"})
    assert browser.status_code == 404 and browser.headers["content-type"].startswith("text/html")
    assert 'role="alert"' in browser.text and "Til opplastingssiden" in browser.text
    program = client.get("/finnesikke", headers={"Accept": "application/json"})
    assert program.status_code == 404 and error_of(program)[0] == "not_found"
    api = client.get("/api/v1/finnesikke", headers={"Accept": "text/html"})
    assert api.headers["content-type"].startswith("application/json")


# --- the history -------------------------------------------------------------------------------------


def test_the_history_lists_audits_and_the_trend_of_a_municipality(client: TestClient) -> None:
    for name in ("plan_svak_nb.md", "plan_nb.md"):
        assert _submit(client, name, (FORMATS / name).read_bytes()).status_code == 303
    page = client.get("/historikk")
    assert page.status_code == 200 and "<h1>Historikk</h1>" in page.text
    municipality = audit((FORMATS / "plan_nb.md").read_bytes(), name="plan_nb.md").plan.municipality
    assert municipality and f">{municipality}</a>" in page.text
    trend = client.get("/historikk", params={"kommune": municipality})
    assert trend.status_code == 200
    table = trend.text.split('<table class="trend">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") >= 3  # header and the two audits, oldest first
    empty = client.get("/historikk", params={"kommune": "Finnesikke"})
    assert "Ingen revisjoner av denne kommunen" in empty.text


def test_the_history_trend_compares_only_audits_made_with_the_same_profile() -> None:
    from _history import GOOD, report_of, with_municipality

    store = FakeStore()
    good = report_of(GOOD)
    for profile, score in (("kommune", 54), ("husbanken", 100), ("kommune", 60)):
        report = with_municipality(good, "Storlia", score).model_copy(update={"profile": profile})
        store.add(report, document_name=f"{profile}-{score}.md")
    with running(ServeSettings(workers=1), store=store) as (client, _):
        page = client.get("/historikk", params={"kommune": "Storlia"}).text
        english = client.get("/historikk", params={"kommune": "Storlia", "lang": "en"}).text
    table = page.split('<table class="trend">', 1)[1].split("</table>", 1)[0]
    header, *rows = re.findall(r"<tr>(.*?)</tr>", table)
    assert re.findall(r"<th[^>]*>(.*?)</th>", header) == ["Dato (UTC)", "Plan", "Profil", "Poeng", "Endring"]
    cells = [re.sub(r"<[^>]+>", "", cell) for row in rows for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)[2:]]
    assert cells == ["kommune", "54", "–", "husbanken", "100", "–", "kommune", "60", "+6"]
    assert "+46" not in page and "-40" not in page
    assert "bare mellom revisjoner med samme profil" in page
    assert "Profilen kommune: +6 poeng fra første til siste revisjon (2 revisjoner)." in page
    assert "Profilen husbanken: bare én revisjon." in page
    assert "Profile kommune: +6 points from the first to the last audit (2 audits)." in english


def test_the_pages_over_real_http(tmp_path: Path) -> None:
    """The helper a browser test starts the app with: a real server, a real upload."""
    settings = ServeSettings(workers=1, database_url=sqlite_url(tmp_path))
    with serving(settings) as base, httpx.Client(base_url=base, timeout=60) as http:
        assert "Revider planen" in http.get("/").text
        path = FORMATS / "plan_nb.md"
        done = http.post("/revisjoner", files={"fil": (path.name, path.read_bytes())}, follow_redirects=True)
        assert done.status_code == 200 and "Last ned JSON" in done.text
        assert "frame-ancestors 'none'" in done.headers["content-security-policy"]
