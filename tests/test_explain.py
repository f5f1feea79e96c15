"""``planaudit check FILE --explain CRITERION``, judged by what a reviewer at a terminal sees:
the level the report gave, the rubric sentence for it, the plan's items with page and
quoted text, the "most = more than half" count, and the criterion's findings.

Every test runs from an empty temporary working directory with absolute fixture paths,
so a ``[tool.planaudit]`` table someone adds to the repository cannot change the outcome.
"""
from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planaudit.cli import cli
from planaudit.engine import audit, audit_with_plan, criterion_rubric
from planaudit.model import CRITERIA

REPO = Path(__file__).resolve().parent.parent
FORMATS = REPO / "fixtures" / "plans" / "formats"
GOOD = FORMATS / "plan_nb.md"
WEAK = FORMATS / "plan_svak_nb.md"
STRUCTURED = REPO / "fixtures" / "plans" / "god_plan.yaml"


pytestmark = pytest.mark.usefixtures("isolated_cwd")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def explained(*args: str | Path) -> str:
    result = run("check", *args)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result.stdout


def report(path: Path, *args: str) -> dict:
    result = run("check", path, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def flat(text: str) -> str:
    """The output with line wrapping undone, to find a sentence wherever the lines broke."""
    return " ".join(text.split())


def table(out: str, heading: str) -> list[dict[str, str]]:
    """The rows of the table under ``heading`` as a reader reads them: cell by column
    heading, with the lines of a wrapped cell joined again."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    header, rule = lines[start + 1], lines[start + 2]
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    spans[-1] = (spans[-1][0], 10_000)
    names = [header[a:b].strip() for a, b in spans]
    rows: list[list[str]] = []
    for line in lines[start + 3:]:
        if not line.strip():
            break
        cells = [line[a:b].strip() for a, b in spans]
        if cells[0] or not rows:
            rows.append(cells)
        else:
            rows[-1] = [f"{old} {new}".strip().replace("- ", "-") for old, new in zip(rows[-1], cells)]
    return [dict(zip(names, row)) for row in rows]


# --- the level, and why ----------------------------------------------------------------------

@pytest.mark.parametrize("path", [GOOD, WEAK], ids=["god", "svak"])
@pytest.mark.parametrize("criterion", CRITERIA)
def test_level_shown_is_the_reports_level_with_its_rubric_sentence(path: Path, criterion: str) -> None:
    level = report(path)["criteria"][criterion]["level"]
    out = explained(path, "--explain", criterion)
    assert re.search(rf"^Kriterium:\s+{criterion} – ", out, re.MULTILINE), out
    assert re.search(rf"^Nivå:\s+{level} av 2, poeng \d+/100$", out, re.MULTILINE), out
    assert flat(criterion_rubric(criterion, level, "nb") or "") in flat(out)


def test_weak_and_good_plan_differ_where_the_report_says_they_do() -> None:
    good = explained(GOOD, "--explain", "responsibility")
    weak = explained(WEAK, "--explain", "responsibility")
    assert "Nivå:      2 av 2" in good
    assert "Nivå:      1 av 2" in weak


def test_measure_text_is_quoted_on_a_row_with_its_page() -> None:
    rows = table(explained(GOOD, "--explain", "responsibility"), "Tiltak (10):")
    assert len(rows) == 10
    row = next(row for row in rows if row["Tekst"].startswith("«Leie-til-eie"))
    assert row == {"Side": "7", "Kapittel": "5 Tiltak", "Tekst": "«Leie-til-eie for 5 kommunale boliger»",
                   "ID": "3.2", "Ansvarlig": "Eiendomsavdelingen", "Generelt": "nei"}


def test_weak_plan_shows_generic_and_missing_responsibility() -> None:
    rows = {row["Tekst"]: row for row in table(explained(WEAK, "--explain", "responsibility"), "Tiltak (6):")}
    generic = rows["«Informere bedre om startlån»"]
    assert (generic["Side"], generic["Ansvarlig"], generic["Generelt"]) == ("5", "Kommunen", "ja")
    assert rows["«Styrke samarbeidet mellom tjenestene.»"]["Ansvarlig"] == "–"
    assert rows["«Etablere et boligteam»"]["Ansvarlig"] == "Helse og omsorg"


def test_plan_owners_are_listed_with_responsibility() -> None:
    rows = table(explained(GOOD, "--explain", "responsibility"), "Planeier (")
    assert any("Planeier: kommunalsjef for helse og velferd" in row["Tekst"] and row["Side"] == "1" for row in rows)


def test_evidence_lines_of_the_rule_are_shown() -> None:
    evidence = report(GOOD)["criteria"]["political_anchoring"]["evidence"]
    out = flat(explained(GOOD, "--explain", "political_anchoring"))
    assert "Grunnlag fra regelen:" in out
    for line in evidence:
        assert flat(line) in out


# --- the count against "more than half" ------------------------------------------------------

@pytest.mark.parametrize("path", [GOOD, WEAK], ids=["god", "svak"])
def test_count_line_counts_the_plans_measures(path: Path) -> None:
    measures = report(path)["plan"]["measures"]
    out = flat(explained(path, "--explain", "responsibility"))
    match = re.search(r"(\d+) av (\d+) tiltak har navngitt ansvarlig \(«de fleste» betyr flere enn "
                      r"halvparten, her minst (\d+)\)", out)
    assert match, out
    named, total, needed = map(int, match.groups())
    assert total == measures
    assert needed == measures // 2 + 1
    assert (named >= needed) == ("Nivå: 2 av 2" in out)


def test_weak_plan_count_is_one_of_six() -> None:
    assert "1 av 6 tiltak har navngitt ansvarlig" in explained(WEAK, "--explain", "responsibility")


@pytest.mark.parametrize(("criterion", "words"), [
    ("timeline", "tiltak har tidsfrist eller periode"),
    ("costs", "tiltak har kostnad eller finansiering"),
    ("goal_measure_coherence", "tiltak er knyttet til et mål"),
])
def test_other_measure_criteria_have_a_count_line(criterion: str, words: str) -> None:
    assert re.search(rf"\d+ av \d+ {words}", flat(explained(GOOD, "--explain", criterion)))


def test_criteria_not_counted_over_measures_have_no_count_line() -> None:
    assert " av 10 tiltak " not in explained(GOOD, "--explain", "follow_up")


# --- findings ---------------------------------------------------------------------------------

def test_findings_of_the_criterion_and_only_those() -> None:
    findings = report(WEAK)["findings"]
    own = [f for f in findings if f["criterion"] == "responsibility"]
    assert own and len(own) < len(findings)
    out = explained(WEAK, "--explain", "responsibility")
    assert f"Funn ({len(own)}):" in out
    for finding in own:
        assert flat(finding["message"]) in flat(out)
        assert flat(f"Forslag: {finding['suggestion']}") in flat(out)
        assert f"s. {finding['location']['page']}" in out
    others = {f["rule"] for f in findings} - {"PA002"}
    assert not any(f" · {rule} · " in out for rule in others)


# --- language, formats, names -----------------------------------------------------------------

def test_english_with_lang_en() -> None:
    out = explained(WEAK, "--explain", "responsibility", "--lang", "en")
    assert re.search(r"^Criterion:\s+responsibility – Named responsible units \(PA002\)$", out, re.MULTILINE)
    assert "Level:     1 of 2" in out
    assert "1 of 6 measures name a responsible unit" in out
    assert flat(criterion_rubric("responsibility", 1, "en") or "") in flat(out)
    assert "Measures (6):" in out and "Suggestion:" in out
    for norwegian in ("Nivå", "Rubrikk", "tiltak har", "Funn", "Forslag"):
        assert norwegian not in out


def test_json_has_the_same_content_and_the_items() -> None:
    full = report(GOOD)
    result = run("check", GOOD, "--explain", "responsibility", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["criterion"] == "responsibility"
    assert data["rules"] == ["PA002"]
    assert data["level"] == full["criteria"]["responsibility"]["level"]
    assert data["score"] == full["criteria"]["responsibility"]["score"]
    assert data["evidence"] == full["criteria"]["responsibility"]["evidence"]
    assert data["rubric"] == criterion_rubric("responsibility", data["level"], "nb")
    measures = data["items"]["measures"]
    assert len(measures) == full["plan"]["measures"]
    leie = next(m for m in measures if m["text"].startswith("Leie-til-eie"))
    assert leie["page"] == 7
    assert leie["responsible"] == "Eiendomsavdelingen" and leie["responsible_generic"] is False
    assert all({"page", "line", "section", "text", "id", "responsible", "responsible_generic"} <= set(m)
               for m in measures)
    assert data["count"]["total"] == len(measures)
    assert data["count"]["qualifying"] == sum(1 for m in measures if m["responsible"] and not m["responsible_generic"])
    assert "organisation" in data["items"]
    assert data["findings"] == [f for f in full["findings"] if f["criterion"] == "responsibility"]


def test_json_with_several_files_is_a_list() -> None:
    result = run("check", GOOD, WEAK, "--explain", "costs", "--format", "json")
    data = json.loads(result.stdout)
    assert [item["document"] for item in data] == [str(GOOD), str(WEAK)]
    assert all(item["criterion"] == "costs" for item in data)


@pytest.mark.parametrize("name", ["PA002", "pa002"])
def test_rule_id_explains_its_criterion(name: str) -> None:
    assert explained(WEAK, "--explain", name) == explained(WEAK, "--explain", "responsibility")


def test_several_files_are_explained_in_turn_under_their_names() -> None:
    out = explained(GOOD, WEAK, "--explain", "timeline")
    good_at, weak_at = out.index(f"{GOOD}\n"), out.index(f"{WEAK}\n")
    assert good_at < weak_at
    assert out.count("Kriterium:   ") == 0 and out.count("Kriterium: timeline") == 2


def test_structured_plan_without_pages_is_explained() -> None:
    out = explained(STRUCTURED, "--explain", "goal_measure_coherence")
    assert "Tiltak (9):" in out and "Mål (" in out


def test_criterion_left_out_is_not_assessed() -> None:
    out = explained(GOOD, "--explain", "costs", "--ignore", "PA004")
    assert "ikke vurdert" in out
    assert "Tiltak (10):" in out


def test_exit_code_follows_the_audit_as_without_explain() -> None:
    assert run("check", WEAK, "--explain", "costs", "--fail-under", "90").exit_code == 1
    assert run("check", GOOD, "--explain", "costs").exit_code == 0


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "forklaring.txt"
    result = run("check", GOOD, "--explain", "follow_up", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert "Kriterium: follow_up" in target.read_text(encoding="utf-8")


# --- usage errors -----------------------------------------------------------------------------

def _one_line_error(result: Result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_unknown_criterion_is_one_line_naming_the_valid_ids() -> None:
    line = _one_line_error(run("check", GOOD, "--explain", "ansvar"))
    assert "'ansvar'" in line and "--explain" in line
    for criterion in CRITERIA:
        assert criterion in line
    assert "PA002" in line


def test_unknown_criterion_in_english() -> None:
    line = _one_line_error(run("check", GOOD, "--explain", "ansvar", "--lang", "en"))
    assert "unknown criterion or rule 'ansvar'" in line


def test_unknown_criterion_is_reported_before_any_file_is_read() -> None:
    line = _one_line_error(run("check", REPO / "no-such-plan.md", "--explain", "nope"))
    assert "nope" in line and "no-such-plan" not in line


def test_explain_with_a_report_only_format_is_a_usage_error() -> None:
    line = _one_line_error(run("check", GOOD, "--explain", "costs", "--format", "sarif"))
    assert "--explain" in line


# --- engine and packaging -----------------------------------------------------------------------

def test_audit_with_plan_gives_the_audit_report_and_its_plan() -> None:
    report_only = audit(GOOD)
    both, plan = audit_with_plan(GOOD)
    assert both == report_only
    assert len(plan.measures) == both.plan.measures and len(plan.goals) == both.plan.goals


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_rubric_has_every_level_of_every_criterion(lang: str) -> None:
    for criterion in CRITERIA:
        sentences = [criterion_rubric(criterion, level, lang) for level in (0, 1, 2)]
        assert all(sentences) and len(set(sentences)) == 3, criterion
    assert criterion_rubric("plugin_criterion", 1, lang) is None


@pytest.mark.parametrize("data_file", ["engine/data/rubric.yaml", "report/data/explain.yaml"])
def test_explain_data_files_are_package_data(data_file: str) -> None:
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = settings["tool"]["setuptools"]["package-data"]["planaudit"]
    assert (REPO / "src" / "planaudit" / data_file).is_file()
    assert any(fnmatch.fnmatch(data_file, pattern) for pattern in patterns), patterns
