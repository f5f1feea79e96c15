"""The HTML report (``--format html``), read the way a browser would parse it.

The page must stand alone (no script, nothing fetched), show what the plan text says
without letting it become markup, and tell a reader per criterion what decided the level
and what to fix. tests/test_html_browser.py looks at the same page in a real browser.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from planaudit.cli import cli
from planaudit.engine import ReportContext, load_registry
from planaudit.model import (
    CRITERIA,
    AuditReport,
    BaselineSummary,
    CriterionScore,
    DocumentInfo,
    Finding,
    FindingLocation,
    Notification,
    PlanSummary,
    Suppression,
)
from planaudit.report import HtmlReporter

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
WEAK = PLANS / "svak_plan.md"
GOOD = PLANS / "god_plan.md"

HOSTILE_MEASURE = 'Etablere <script>alert("x")</script> boligkontor "><img src=x onerror=alert(1)>'
HOSTILE_GOAL = "Alle skal bo <b>godt</b> & trygt </blockquote><h1>falsk</h1>"
HOSTILE_PLAN = f"""<!-- side 1 -->
# Boligsosial plan <script>alert(2)</script>

## Mål

{HOSTILE_GOAL}

## Tiltak

- {HOSTILE_MEASURE}
- Vurdere flere kommunale boliger
"""

pytestmark = pytest.mark.usefixtures("isolated_cwd")
TITLES = load_registry().criterion_titles("nb")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def html_of(*args: str | Path) -> str:
    result = run("check", *args, "--format", "html")
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def json_of(path: Path) -> dict:
    result = run("check", path, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def parse(text: str) -> HtmlElement:
    return lxml.html.document_fromstring(text)


def text_of(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def heading_levels(tree: HtmlElement) -> list[int]:
    return [int(element.tag[1]) for element in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def title_of(cid: str) -> str:
    """A criterion's bokmål title, also for those the built-in rule packs add."""
    return TITLES.get(cid) or ReportContext().title(cid)


def criterion_section(tree: HtmlElement, title: str) -> HtmlElement:
    sections = [section for section in tree.xpath("//section[contains(@class, 'criterion')]")
                if text_of(section.xpath("./*[self::h2 or self::h3 or self::h4]")[0]) == title]
    assert len(sections) == 1, f"one section for {title!r}, found {len(sections)}"
    return sections[0]


def _report(findings: list[Finding], passed: bool | None = False, **extra: object) -> AuditReport:
    criteria = {cid: CriterionScore(level=index % 3, score=(index % 3) * 50, weight=1.0,
                                    evidence=[f"bevis {index}"])
                for index, cid in enumerate(CRITERIA)}
    return AuditReport(
        planaudit_version="0.1.0",
        document=DocumentInfo(path="planer/lier.pdf", sha256="ab" * 32, format="pdf", pages=12, language="nb"),
        plan=PlanSummary(title="Boligsosial handlingsplan for Lier", municipality="Lier", period=(2024, 2027)),
        profile="kommune", passed=passed, criteria=criteria, score=41, findings=findings, **extra)


def render(reports: list[AuditReport], lang: str = "nb") -> str:
    return HtmlReporter().render(reports, ReportContext(lang=lang, tool_version="9.8.7"))


def test_html_is_a_registered_format_with_an_html_extension() -> None:
    reporter = load_registry().reporters["html"]
    assert reporter.extension == ".html"


def test_page_stands_alone_no_script_and_nothing_fetched() -> None:
    text = html_of(WEAK, GOOD)
    tree = parse(text)
    assert tree.xpath("//script | //link | //iframe | //object | //embed | //img") == []
    assert tree.xpath("//*[@src]") == []
    assert all(href.startswith("#") for href in tree.xpath("//@href"))
    assert not re.search(r"https?://", text)
    style = "".join(tree.xpath("//style/text()"))
    assert "@import" not in style and "url(" not in style
    assert not [name for element in tree.iter() for name in element.attrib if name.startswith("on")]


def test_hostile_plan_text_is_shown_as_text_not_markup(tmp_path: Path) -> None:
    plan = tmp_path / "fiendtlig.md"
    plan.write_text(HOSTILE_PLAN, encoding="utf-8")
    tree = parse(html_of(plan))
    assert tree.xpath("//script | //img | //b") == []
    assert len(tree.xpath("//h1")) == 1
    assert not [name for element in tree.iter() for name in element.attrib if name.startswith("on")]
    body = text_of(tree.body)
    assert "<script>alert(2)</script>" in text_of(tree.xpath("//h1")[0])
    assert HOSTILE_GOAL in body
    assert '"><img src=x onerror=alert(1)>' in body


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)


def _hostile_report(title: str, message: str, evidence: str, reason: str) -> AuditReport:
    findings = [
        Finding(rule="PA001", criterion="measurable_goals", severity="error", message=message,
                evidence=evidence, suggestion=reason, location=FindingLocation(page=3, section=title)),
        Finding(rule="PA002", criterion="responsibility", severity="warning", message=message,
                suppression=Suppression(kind="config", reason=reason)),
    ]
    return _report(findings).model_copy(update={"plan": PlanSummary(title=title, municipality=reason)})


def _tags(tree: HtmlElement) -> list[str]:
    return [element.tag for element in tree.iter() if isinstance(element.tag, str)]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, message=_TEXT, evidence=_TEXT, reason=_TEXT)
def test_any_plan_or_plugin_text_comes_back_verbatim_and_adds_no_elements(
        title: str, message: str, evidence: str, reason: str) -> None:
    tree = parse(render([_hostile_report(title, message, evidence, reason)]))
    assert _tags(tree) == _tags(parse(render([_hostile_report("t", "m", "e", "r")])))
    assert text_of(tree.xpath("//h1")[0]) == " ".join(title.split())
    assert " ".join(evidence.split()) in text_of(tree.xpath("//blockquote")[0])
    assert [text_of(p) for p in tree.xpath("//p[@class='message']")] == [" ".join(message.split())] * 2


def test_weak_plan_shows_score_verdict_and_every_criterion_with_its_level() -> None:
    data = json_of(WEAK)
    tree = parse(html_of(WEAK))
    assert text_of(tree.xpath("//h1")[0]) == data["plan"]["title"]
    score = text_of(tree.xpath("//*[contains(@class, 'score-value')]")[0])
    assert score == f"{data['score']}/100"
    assert text_of(tree.xpath("//*[contains(@class, 'verdict')]")[0]) == "ikke bestått"
    titles = title_of
    for cid in CRITERIA:
        level = data["criteria"][cid]["level"]
        section = criterion_section(tree, titles(cid))
        assert f"Nivå {level} av 2" in text_of(section)


def test_weak_plan_findings_say_where_quote_the_plan_and_suggest_a_fix() -> None:
    data = json_of(WEAK)
    tree = parse(html_of(WEAK))
    shown = tree.xpath("//li[contains(@class, 'finding') and not(contains(@class, 'accepted'))]")
    assert len(shown) == len(data["findings"]) > 10
    goals = criterion_section(tree, ReportContext().title("measurable_goals"))
    finding = next(item for item in goals.xpath(".//li[contains(@class, 'finding')]")
                   if "Alle skal bo godt og trygt" in text_of(item))
    head = text_of(finding.xpath(".//p[@class='finding-head']")[0])
    assert "PA001" in head and "s. 2" in head and "Visjon og mål" in head
    assert text_of(finding.xpath(".//blockquote")[0]) == "Alle skal bo godt og trygt i Strandnes."
    assert text_of(finding.xpath(".//p[@class='suggestion']")[0]).startswith("Forslag: ")
    evidence = [text_of(item) for item in goals.xpath(".//ul[@class='evidence']/li")]
    assert evidence == data["criteria"]["measurable_goals"]["evidence"]


def test_each_finding_is_under_its_own_criterion() -> None:
    data = json_of(WEAK)
    tree = parse(html_of(WEAK))
    titles = title_of
    for finding in data["findings"]:
        section = criterion_section(tree, titles(finding["criterion"]))
        messages = [text_of(p) for p in section.xpath(".//p[@class='message']")]
        assert " ".join(finding["message"].split()) in messages


def test_chart_has_an_accessible_name_and_the_table_after_it_holds_the_same_numbers() -> None:
    data = json_of(WEAK)
    tree = parse(html_of(WEAK))
    svg = tree.xpath("//svg")[0]
    assert svg.get("role") == "img"
    title = tree.xpath(f"//*[@id='{svg.get('aria-labelledby')}']")[0]
    assert title.tag == "title" and title.getparent() is svg and text_of(title)
    table = svg.getparent().getnext()
    assert table.tag == "table"
    rows = [[text_of(cell) for cell in row] for row in table.xpath("./tbody/tr")]
    notes = [text_of(note) for note in svg.xpath(".//*[@class='chart-note']")]
    assert len(rows) == len(notes) == len(CRITERIA)
    for cid, row, note in zip(CRITERIA, rows, notes):
        level, score = data["criteria"][cid]["level"], data["criteria"][cid]["score"]
        assert row[0] == ReportContext().title(cid)
        assert row[1].startswith(str(level)) and row[2] == str(score)
        assert note == f"{score} · nivå {level}"


def test_statutory_criteria_are_a_group_of_their_own_outside_the_chart() -> None:
    data = json_of(WEAK)
    statutory = sorted(cid for cid in data["criteria"] if cid not in CRITERIA)
    assert statutory, "the built-in law packs add criteria with weight 0"
    tree = parse(html_of(WEAK))
    heading = next(h for h in tree.xpath("//h2") if text_of(h) == "Lovkrav")
    table = heading.xpath("following-sibling::table[1]")[0]
    titles = [text_of(th) for th in table.xpath("./tbody/tr/th")]
    assert titles == [title_of(cid) for cid in statutory]
    chart_labels = [text_of(label) for label in tree.xpath("//svg//*[@class='chart-label']")]
    assert not set(titles) & set(chart_labels)


@pytest.mark.parametrize("files", [(WEAK,), (WEAK, GOOD, PLANS / "nynorsk_plan.md")])
def test_headings_start_at_h1_and_never_skip_a_level(files: tuple[Path, ...]) -> None:
    levels = heading_levels(parse(html_of(*files)))
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:]))


def test_several_plans_make_one_page_with_contents_and_a_part_each() -> None:
    tree = parse(html_of(WEAK, GOOD))
    good, weak = json_of(GOOD), json_of(WEAK)
    parts = tree.xpath("//article[contains(@class, 'plan')]")
    assert [text_of(part.xpath("./h2")[0]) for part in parts] == [weak["plan"]["title"], good["plan"]["title"]]
    links = tree.xpath("//nav//a")
    assert [text_of(link) for link in links] == [weak["plan"]["title"], good["plan"]["title"]]
    for link, part in zip(links, parts):
        assert part.xpath(f".//*[@id='{link.get('href')[1:]}']")
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_english_report_has_english_labels_and_lang() -> None:
    tree = parse(html_of(WEAK, "--lang", "en"))
    assert tree.get("lang") == "en"
    headings = {text_of(h) for h in tree.xpath("//h2")}
    assert {"Summary", "Criteria", "Assessment by criterion", "Legal requirements"} <= headings
    assert text_of(tree.xpath("//*[contains(@class, 'verdict')]")[0]) == "failed"
    assert text_of(tree.xpath("//p[@class='suggestion']")[0]).startswith("Suggestion: ")
    assert "Level 0 of 2 (not met)" in text_of(tree.body)
    assert not {"Sammendrag", "Kriterier", "Lovkrav"} & headings


def test_bokmal_report_is_marked_nb() -> None:
    tree = parse(html_of(WEAK))
    assert tree.get("lang") == "nb"
    assert {"Sammendrag", "Kriterier", "Vurdering per kriterium"} <= {text_of(h) for h in tree.xpath("//h2")}


def test_same_input_gives_the_same_bytes(isolated_cwd: Path) -> None:
    first, second = isolated_cwd / "a.html", isolated_cwd / "b.html"
    for target in (first, second):
        assert run("check", WEAK, GOOD, "--format", "html", "-o", target).exit_code in (0, 1)
    assert first.read_bytes() == second.read_bytes()


def test_output_option_writes_the_page_to_the_file(isolated_cwd: Path) -> None:
    target = isolated_cwd / "rapport.html"
    result = run("check", WEAK, "--format", "html", "-o", target)
    assert result.exit_code in (0, 1), result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "<html" not in result.stdout
    assert text_of(parse(text).xpath("//h1")[0]) == json_of(WEAK)["plan"]["title"]


def test_accepted_findings_notifications_and_baseline_have_their_own_places() -> None:
    accepted = Finding(rule="PA003", criterion="timeline", severity="warning",
                       message="Tiltaket mangler frist.", evidence="Etablere boligkontor",
                       location=FindingLocation(page=7),
                       suppression=Suppression(kind="inline", reason="Fristen står i økonomiplanen",
                                               source="side 7"))
    notes = [Notification(level="warning", message="tillegget «x» kunne ikke lastes"),
             Notification(level="error", rule="PA002", message="regel PA002 feilet")]
    report = _report([accepted], notifications=notes,
                     baseline=BaselineSummary(in_baseline=True, unchanged=4, fixed=2))
    tree = parse(render([report]))
    headings = [text_of(h) for h in tree.xpath("//h2")]
    assert "Godtatte funn (1)" in headings and "Merknader (2)" in headings
    timeline = criterion_section(tree, ReportContext().title("timeline"))
    assert "Tiltaket mangler frist." not in text_of(timeline)
    reason = text_of(tree.xpath("//li[contains(@class, 'accepted')]//p[@class='reason']")[0])
    assert "Fristen står i økonomiplanen" in reason and "side 7" in reason
    notifications = [text_of(li) for li in tree.xpath("//ul[@class='notifications']/li")]
    assert notifications[0].startswith("advarsel") and "PA002" in notifications[1]
    assert "4 funn fra før vises ikke, 2 er rettet" in text_of(tree.xpath("//p[@class='baseline']")[0])
    counts = dict(zip((text_of(dt) for dt in tree.xpath("//dl[@class='counts']//dt")),
                      (text_of(dd) for dd in tree.xpath("//dl[@class='counts']//dd"))))
    assert counts == {"Feil": "0", "Advarsler": "0", "Info": "0", "Godtatte funn": "1"}


@pytest.mark.parametrize(("passed", "nb", "en"), [(True, "bestått", "passed"),
                                                  (False, "ikke bestått", "failed"),
                                                  (None, "ingen grense", "no threshold")])
def test_verdict_is_written_out(passed: bool | None, nb: str, en: str) -> None:
    for lang, words in (("nb", nb), ("en", en)):
        tree = parse(render([_report([], passed=passed)], lang))
        assert text_of(tree.xpath("//*[contains(@class, 'verdict')]")[0]) == words


def test_a_finding_on_a_criterion_without_a_score_is_still_shown() -> None:
    stray = Finding(rule="DK001", criterion="dk_helhed", severity="info", message="Planen mangler helhedssyn.")
    tree = parse(render([_report([stray])]))
    heading = next(h for h in tree.xpath("//h2") if text_of(h) == "Andre funn")
    assert "Planen mangler helhedssyn." in text_of(heading.xpath("following-sibling::ol[1]")[0])


def test_footer_names_the_version_and_no_date() -> None:
    tree = parse(render([_report([])]))
    footer = text_of(tree.xpath("//footer")[0])
    assert "planaudit 9.8.7" in footer
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}", footer)


def test_no_reports_is_a_page_that_says_so() -> None:
    tree = parse(render([]))
    assert text_of(tree.xpath("//h1")[0]) == "Revisjonsrapport fra planaudit"
    assert "Ingen dokumenter å vise." in text_of(tree.body)
