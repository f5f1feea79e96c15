"""``planaudit diff``: a planner compares the draft with the revised plan.

The invented Eikevik plan is written here in two versions: an early draft whose measures
name nobody responsible, no deadline and no cost, and a revision where the measures became
a table with Ansvarlig, Tidsfrist and Kostnad, but a vague goal slipped in. The diff must
say which criteria rose, which findings the revision fixed and which one is new; a page
inserted in front must not turn unchanged findings into fixed and new ones.
"""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _cli import one_line_error
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planaudit.cli import cli
from planaudit.engine import ReportContext, audit, diff_reports, match_findings
from planaudit.model import Finding, FindingLocation
from planaudit.report.diff_report import render_html

pytestmark = pytest.mark.usefixtures("isolated_cwd")

MEASURES = ("Kjøpe seks utleieboliger i sentrum.", "Opprette et bo-oppfølgingsteam.",
            "Gi råd om startlån til barnefamilier.")
VAGUE_GOAL = "Bidra til gode bomiljøer."

HEAD = """<!-- side 1 -->
# Boligsosial handlingsplan for Eikevik kommune 2026–2029

## 1 Innledning

Eikevik kommune har 90 kommunale utleieboliger og 22 husstander på venteliste per 2025
(kilde: KOSTRA). Planen skal gi flere vanskeligstilte en trygg bolig.

<!-- side 2 -->
## 2 Mål

- Ventelisten for kommunal bolig skal ned fra 22 til 10 husstander innen 2028.
- Antall bostedsløse skal halveres innen 2029.
"""

DRAFT = HEAD + f"""
## 3 Tiltak

- {MEASURES[0]}
- {MEASURES[1]}
- {MEASURES[2]}
"""

REVISED = HEAD + f"""- {VAGUE_GOAL}

## 3 Tiltak

| Tiltak | Ansvarlig | Tidsfrist | Kostnad |
|---|---|---|---|
| {MEASURES[0]} | Eiendomsavdelingen | 2027 | 18 mill. kr |
| {MEASURES[1]} | Helse og omsorg | 2026 | 1,2 mill. kr per år |
| {MEASURES[2]} | NAV Eikevik | 2026 | Innenfor rammen |
"""

FOREWORD = """<!-- side 1 -->
# Forord

Denne siden er satt inn foran planen. Den handler om arbeidet med planen og om
takk til dem som har bidratt, og har ingen betydning for vurderingen.
"""


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def shifted(text: str) -> str:
    """The plan with a page in front: every page number one higher, every line further down."""
    renumbered = text.replace("<!-- side 2 -->", "<!-- side 3 -->").replace("<!-- side 1 -->", "<!-- side 2 -->")
    return FOREWORD + "\n" + renumbered


def diff_json(*args: object) -> dict:
    result = run("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path, "utkast.md", DRAFT), write(tmp_path, "revidert.md", REVISED)


# --- what changed --------------------------------------------------------------------------------


def test_the_revision_raises_criteria_fixes_measure_findings_and_reports_the_new_vague_goal(
        versions: tuple[Path, Path]) -> None:
    data = diff_json(*versions)
    criteria = data["criteria"]
    for criterion in ("responsibility", "timeline", "costs"):
        assert criteria[criterion]["change"] == "up", criteria[criterion]
        assert criteria[criterion]["new"]["level"] > criteria[criterion]["old"]["level"]
    assert data["new"]["score"] > data["old"]["score"]
    assert data["score_change"] == data["new"]["score"] - data["old"]["score"]
    fixed = {(f["rule"], f["evidence"]) for f in data["findings"]["fixed"]}
    for measure in MEASURES:
        assert {("PA002", measure), ("PA003", measure), ("PA004", measure)} <= fixed
    new = [(f["rule"], f["evidence"]) for f in data["findings"]["new"]]
    assert ("PA001", VAGUE_GOAL) in new
    assert not any(evidence in MEASURES for _, evidence in new), new
    assert data["findings"]["unchanged"] > 0
    assert data["findings"]["unchanged"] == data["old"]["findings"] - len(data["findings"]["fixed"])
    assert data["findings"]["unchanged"] == data["new"]["findings"] - len(data["findings"]["new"])


def test_a_page_inserted_in_front_changes_no_finding(tmp_path: Path) -> None:
    plan = write(tmp_path, "revidert.md", REVISED)
    moved = write(tmp_path, "med_forord.md", shifted(REVISED))
    before, after = audit(plan), audit(moved)
    assert {f.location.page for f in after.findings if f.location.page} != \
        {f.location.page for f in before.findings if f.location.page}  # the pages did move
    data = diff_json(plan, moved)
    assert data["findings"]["fixed"] == [] and data["findings"]["new"] == []
    assert data["findings"]["unchanged"] == len(before.findings)
    assert {c["change"] for c in data["criteria"].values()} == {"same"}


def test_the_same_file_twice_changes_nothing_and_is_no_regression(versions: tuple[Path, Path]) -> None:
    draft, _ = versions
    result = run("diff", draft, draft, "--fail-on-regression")
    assert result.exit_code == 0, result.output
    assert "Ingen kriterier endret" in result.stdout
    assert "Rettet (0)" in result.stdout and "Nye funn (0)" in result.stdout


def test_a_saved_json_report_compares_like_the_plan_it_was_made_from(tmp_path: Path,
                                                                      versions: tuple[Path, Path]) -> None:
    draft, revised = versions
    saved = tmp_path / "utkast.json"
    assert run("check", draft, "--format", "json", "-o", saved).exit_code in (0, 1)
    assert diff_json(saved, revised) == diff_json(draft, revised)
    same = diff_json(saved, draft)
    assert same["findings"]["fixed"] == [] and same["findings"]["new"] == []
    assert {c["change"] for c in same["criteria"].values()} == {"same"}


def test_a_structured_json_plan_is_audited_not_taken_for_a_report(plans_dir: Path) -> None:
    data = diff_json(plans_dir / "god_plan.json", plans_dir / "god_plan.md")
    assert data["old"]["document"]["format"] == "json"
    assert data["old"]["score"] == audit(plans_dir / "god_plan.json").score


def test_fail_on_regression_exits_1_when_a_criterion_falls(versions: tuple[Path, Path]) -> None:
    draft, revised = versions
    assert run("diff", draft, revised, "--fail-on-regression").exit_code == 0
    backwards = run("diff", revised, draft, "--fail-on-regression")
    assert backwards.exit_code == 1, backwards.output
    assert "↓ ned" in backwards.stdout
    assert run("diff", revised, draft).exit_code == 0  # only with the flag


def test_different_profiles_are_pointed_out(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    draft, revised = versions
    saved = tmp_path / "husbanken.json"
    assert run("check", draft, "--profile", "husbanken", "--format", "json", "-o", saved).exit_code in (0, 1)
    result = run("diff", saved, revised)
    assert "ulike profiler (husbanken og kommune)" in result.stdout


def test_check_options_apply_to_both_versions(versions: tuple[Path, Path]) -> None:
    data = diff_json(*versions, "--select", "responsibility,PA004")
    assert set(data["criteria"]) == {"responsibility", "costs"}
    assert {f["rule"] for f in data["findings"]["fixed"]} <= {"PA002", "PA004"}
    assert data["old"]["profile"] == data["new"]["profile"] == "kommune"
    assert diff_json(*versions, "--profile", "husbanken")["new"]["profile"] == "husbanken"


def test_plans_of_two_municipalities_are_pointed_out(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    other = write(tmp_path, "annen.md", DRAFT.replace("Eikevik", "Granby"))
    result = run("diff", versions[0], other)
    assert "ulike kommuner (Eikevik og Granby)" in result.stdout
    assert "ulike kommuner" not in run("diff", *versions).stdout


# --- the three forms ------------------------------------------------------------------------------


def test_text_in_bokmal_and_english(versions: tuple[Path, Path]) -> None:
    nb = run("diff", *versions)
    assert nb.exit_code == 0, nb.output
    assert "↑ opp" in nb.stdout and "Navngitt ansvar" in nb.stdout
    assert "Rettet (" in nb.stdout and "Nye funn (" in nb.stdout
    assert f"«{VAGUE_GOAL}»" in nb.stdout
    en = run("diff", *versions, "--lang", "en")
    assert "↑ up" in en.stdout and "Fixed (" in en.stdout and "New findings (" in en.stdout
    assert "Rettet" not in en.stdout and "opp" not in en.stdout.split()
    assert all(len(line) <= 100 for line in nb.stdout.splitlines())


def test_output_file(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    target = tmp_path / "endringer.json"
    result = run("diff", *versions, "--format", "json", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["criteria"]["costs"]["change"] == "up"


class _Page(HTMLParser):
    """The tags, attributes and text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Page:
    parsed = _Page()
    parsed.feed(html)
    return parsed


def test_html_is_self_contained_and_accessible(versions: tuple[Path, Path]) -> None:
    result = run("diff", *versions, "--format", "html")
    assert result.exit_code == 0, result.output
    parsed = parse(result.stdout)
    names = [tag for tag, _ in parsed.tags]
    assert names.count("h1") == 1 and names.count("h2") >= 3
    assert "caption" in names and "script" not in names and "link" not in names and "img" not in names
    assert {attrs.get("scope") for tag, attrs in parsed.tags if tag == "th"} >= {"col", "row"}
    assert all(not str(attrs.get(key) or "").startswith(("http", "//"))
               for _, attrs in parsed.tags for key in ("src", "href"))
    text = " ".join(parsed.text)
    assert "opp" in text and "Rettet" in text and "Nye funn" in text  # the change in words, not only colour
    assert ("html", {"lang": "nb"}) in parsed.tags
    english = parse(run("diff", *versions, "--format", "html", "--lang", "en").stdout)
    assert ("html", {"lang": "en"}) in english.tags and "up" in " ".join(english.text)


def test_html_escapes_hostile_text(versions: tuple[Path, Path]) -> None:
    draft, revised = versions
    old = audit(draft)
    hostile = '<script>alert("x")</script><img src="http://evil.example/x.png"> & «'
    evil = Finding(rule="PA001", criterion="measurable_goals", severity="error", message=hostile,
                   evidence=hostile, location=FindingLocation(section=hostile))
    new = audit(revised)
    new = new.model_copy(update={"findings": [*new.findings, evil],
                                 "document": new.document.model_copy(update={"path": hostile})})
    html = render_html(diff_reports(old, new), ReportContext())
    parsed = parse(html)
    assert not any(tag in ("script", "img") for tag, _ in parsed.tags)
    assert hostile in "".join(parsed.text)


# --- bad input ------------------------------------------------------------------------------------


def test_a_missing_file_is_one_line(versions: tuple[Path, Path], tmp_path: Path) -> None:
    line = one_line_error(run("diff", versions[0], tmp_path / "finnes_ikke.md"))
    assert "finnes_ikke.md" in line and "finnes ikke" in line


@pytest.mark.parametrize(("name", "content", "cause"), [
    ("ødelagt.pdf", b"%PDF-1.7\n\x00\x01 ikke en ekte pdf", ""),
    ("rapport.json", b'{"planaudit_version": "1.0", "criteria": {"costs": 7}}', "ugyldig JSON-rapport"),
    ("avkortet.json", b'{"planaudit_version": "1.0", "criteria": {"costs": {"lev', "JSON"),
    ("tom.md", b"", "tom"),
])
def test_a_corrupt_file_is_one_line(versions: tuple[Path, Path], tmp_path: Path, name: str, content: bytes,
                                    cause: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    line = one_line_error(run("diff", bad, versions[1]))
    assert name in line and cause in line
    assert content == bad.read_bytes()  # inputs are never modified


def test_a_report_of_several_plans_is_refused(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    both = tmp_path / "begge.json"
    assert run("check", *versions, "--format", "json", "-o", both).exit_code in (0, 1)
    line = one_line_error(run("diff", both, versions[1], "--lang", "en"))
    assert "begge.json" in line and "2 reports" in line


# --- matching, as a property ----------------------------------------------------------------------

_WORDS = st.sampled_from(["Kjøpe boliger", "kjøpe  BOLIGER", "Opprette team", "Gi råd om startlån", "Bygge 12 boliger"])
_FINDINGS = st.builds(
    Finding,
    rule=st.sampled_from(["PA001", "PA002", "PA004"]),
    criterion=st.sampled_from(["measurable_goals", "responsibility", "costs"]),
    severity=st.sampled_from(["error", "warning", "info"]),
    message=st.sampled_from(["Mangler ansvarlig.", "5 av 5 tiltak mangler mål.", "3 av 5 tiltak mangler mål."]),
    evidence=st.none() | _WORDS,
    location=st.builds(FindingLocation, page=st.none() | st.integers(1, 40), line=st.none() | st.integers(1, 900),
                       section=st.none() | st.sampled_from(["2 Mål", "3 Tiltak", "4.1 Tiltak"])),
)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(findings=st.lists(_FINDINGS, max_size=25))
def test_a_list_against_itself_has_nothing_fixed_or_new(findings: list[Finding]) -> None:
    fixed, added, unchanged = match_findings(findings, findings)
    assert fixed == () and added == () and len(unchanged) == len(findings)


@PROPERTY
@given(old=st.lists(_FINDINGS, max_size=25), new=st.lists(_FINDINGS, max_size=25))
def test_fixed_and_new_balance(old: list[Finding], new: list[Finding]) -> None:
    fixed, added, unchanged = match_findings(old, new)
    assert len(old) - len(fixed) == len(new) - len(added) == len(unchanged)
    assert sorted(map(id, [*fixed, *(o for o, _ in unchanged)])) == sorted(map(id, old))
    assert sorted(map(id, [*added, *(n for _, n in unchanged)])) == sorted(map(id, new))


@PROPERTY
@given(findings=st.lists(_FINDINGS, max_size=25), shift=st.integers(1, 30))
def test_moving_every_finding_to_another_page_and_line_changes_nothing(findings: list[Finding], shift: int) -> None:
    moved = [f.model_copy(update={"location": f.location.model_copy(update={
        "page": None if f.location.page is None else f.location.page + shift,
        "line": None if f.location.line is None else f.location.line + 3 * shift})}) for f in findings]
    fixed, added, _ = match_findings(findings, moved[::-1])
    assert fixed == () and added == ()


def test_two_identical_findings_where_one_remains_leave_one_fixed() -> None:
    twin = Finding(rule="PA002", criterion="responsibility", severity="warning", message="Mangler ansvarlig.",
                   evidence="Kjøpe boliger", location=FindingLocation(page=3, section="3 Tiltak"))
    fixed, added, unchanged = match_findings([twin, twin], [twin.model_copy(update={"location": FindingLocation(
        page=4, section="4 Tiltak")})])
    assert len(fixed) == 1 and added == () and len(unchanged) == 1


def test_a_lightly_edited_measure_is_the_same_finding_and_another_measure_is_not() -> None:
    def missing_owner(measure: str) -> Finding:
        return Finding(rule="PA002", criterion="responsibility", severity="warning",
                       message=f"Tiltak «{measure}» mangler ansvarlig enhet.", evidence=measure,
                       location=FindingLocation(page=2, section="3 Tiltak"))

    old = [missing_owner("Kjøpe seks utleieboliger i sentrum."), missing_owner("Opprette et bo-oppfølgingsteam.")]
    new = [missing_owner("Kjøpe sju utleieboliger i sentrum."), missing_owner("Gi råd om startlån til barnefamilier.")]
    fixed, added, unchanged = match_findings(old, new)
    assert [(o.evidence, n.evidence) for o, n in unchanged] == [(old[0].evidence, new[0].evidence)]
    assert fixed == (old[1],) and added == (new[1],)


CHROMIUM = Path("/usr/bin/chromium")


def test_html_in_a_real_browser_reads_as_a_table_of_changes_with_no_accessibility_violations(
        versions: tuple[Path, Path], tmp_path: Path) -> None:
    """Chromium from Debian (never a downloaded browser) and axe-core's rules, as for the report."""
    sync_api = pytest.importorskip("playwright.sync_api")
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    target = tmp_path / "endringer.html"
    assert run("diff", *versions, "--format", "html", "-o", target).exit_code == 0
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(target.as_uri())
            row = page.get_by_role("row", name="Navngitt ansvar")
            assert "opp" in row.inner_text()
            assert page.get_by_role("heading", name="Nye funn (").count() == 1
            results = axe_module.Axe().run(page)
        finally:
            browser.close()
    assert results.violations_count == 0, [v["id"] for v in results.response["violations"]]
