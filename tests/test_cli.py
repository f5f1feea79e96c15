"""The ``planaudit`` command line, judged by what a user at a terminal (or a CI job) sees.

Every test runs from an empty temporary working directory with absolute fixture paths,
so a ``[tool.planaudit]`` table someone adds to the repository cannot change the outcome.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
import yaml
from _cli import assert_clean_exit, one_line_error
from click.testing import CliRunner, Result

from planaudit.cli import cli
from planaudit.engine import default_registry, version
from planaudit.model import CRITERIA

#: The twelve criteria and those of the built-in rule packs (boligsosialloven, pbl).
AUDITED_CRITERIA = set(CRITERIA) | set(default_registry().criteria)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PLANS = FIXTURES / "plans"
BROKEN = FIXTURES / "broken"
GOOD = PLANS / "god_plan.md"
WEAK = PLANS / "svak_plan.md"
MEDIUM = PLANS / "nynorsk_plan.md"  # warnings, no errors

NB_TITLES = ("Konkrete og målbare mål", "Navngitt ansvar", "Kostnader og finansiering",
             "Sammenheng mellom mål og tiltak")
EN_TITLES = ("Concrete, measurable goals", "Named responsible units", "Costs and funding",
             "Measures serve goals")


pytestmark = pytest.mark.usefixtures("isolated_cwd")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def run_json(*args: str | Path) -> dict | list:
    result = run("check", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


# --- the default table -------------------------------------------------------------------

def test_check_prints_norwegian_table_and_exits_0() -> None:
    result = run("check", GOOD)
    assert result.exit_code == 0, result.output
    assert_clean_exit(result)
    for title in NB_TITLES:
        assert title in result.stdout
    assert "Poengsum" in result.stdout
    assert "Kriterium" in result.stdout
    assert "Concrete, measurable goals" not in result.stdout


def test_check_lang_en_prints_english_titles() -> None:
    result = run("check", GOOD, "--lang", "en")
    assert result.exit_code == 0, result.output
    for title in EN_TITLES:
        assert title in result.stdout
    assert "Score" in result.stdout
    assert "Konkrete og målbare mål" not in result.stdout
    assert "Poengsum" not in result.stdout


# --- the JSON contract -------------------------------------------------------------------

def test_json_report_has_the_contract_keys() -> None:
    report = run_json(GOOD)
    assert isinstance(report, dict)
    assert report["planaudit_version"] == version()
    document = report["document"]
    assert set(document) >= {"path", "sha256", "format", "pages", "language"}
    assert document["path"] == str(GOOD)
    assert document["sha256"] == hashlib.sha256(GOOD.read_bytes()).hexdigest()
    assert document["format"] == "markdown"
    assert document["language"] == "nb"
    assert document["pages"] is None or isinstance(document["pages"], int)
    plan = report["plan"]
    assert set(plan) >= {"title", "municipality", "period", "goals", "measures"}
    assert plan["municipality"] == "Fjellvik"
    assert plan["period"] == [2025, 2028]
    assert plan["goals"] > 0 and plan["measures"] > 0
    assert set(report["criteria"]) == AUDITED_CRITERIA
    for cid, criterion in report["criteria"].items():
        assert set(criterion) >= {"level", "score", "weight", "evidence"}, cid
        assert criterion["level"] in (0, 1, 2)
        assert 0 <= criterion["score"] <= 100
        assert isinstance(criterion["weight"], (int, float))
        assert isinstance(criterion["evidence"], list)
    assert 0 <= report["score"] <= 100
    assert isinstance(report["findings"], list)
    for finding in report["findings"]:
        assert set(finding) >= {"rule", "criterion", "severity", "message", "suggestion", "location", "evidence"}
        assert set(finding["location"]) >= {"page", "line", "section"}
    assert isinstance(report["notifications"], list)


def test_json_output_is_byte_identical_between_runs() -> None:
    first = run("check", GOOD, WEAK, "--format", "json")
    second = run("check", GOOD, WEAK, "--format", "json")
    assert first.stdout
    assert first.stdout == second.stdout


def test_several_files_give_a_json_list() -> None:
    reports = run_json(GOOD, WEAK)
    assert isinstance(reports, list)
    assert [r["document"]["path"] for r in reports] == [str(GOOD), str(WEAK)]


def test_good_plan_scores_clearly_higher_than_weak_plan() -> None:
    good, weak = run_json(GOOD), run_json(WEAK)
    assert good["score"] - weak["score"] >= 30, (good["score"], weak["score"])
    assert weak["criteria"]["measurable_goals"]["level"] == 0
    assert good["criteria"]["measurable_goals"]["level"] >= 1


@pytest.mark.parametrize("name, fmt", [("god_plan.yaml", "yaml"), ("god_plan.json", "json")])
def test_structured_versions_of_good_plan_audit(name: str, fmt: str) -> None:
    result = run("check", PLANS / name, "--format", "json")
    assert result.exit_code == 0, result.output
    assert_clean_exit(result)
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["document"]["format"] == fmt
    assert set(report["criteria"]) == AUDITED_CRITERIA
    assert report["plan"]["municipality"] == "Fjellvik"
    assert report["plan"]["goals"] > 0 and report["plan"]["measures"] > 0


# --- other formats and -o ----------------------------------------------------------------

def test_sarif_format() -> None:
    result = run("check", WEAK, "--format", "sarif")
    assert result.exit_code == 0, result.output
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert results
    assert {r["ruleId"] for r in results} <= set(default_registry().rules)
    assert "PA001" in {r["ruleId"] for r in results}


def test_markdown_format() -> None:
    result = run("check", GOOD, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("#")
    assert "Konkrete og målbare mål" in result.stdout
    assert "|" in result.stdout  # a Markdown table of the criteria


def test_csv_format_has_one_row_per_finding() -> None:
    result = run("check", WEAK, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    findings = run_json(WEAK)["findings"]
    assert len(rows) == len(findings) > 0
    assert {row["rule"] for row in rows} == {f["rule"] for f in findings}
    assert {row["file"] for row in rows} == {str(WEAK)}


def test_output_file_is_written_and_stdout_is_empty(tmp_path: Path) -> None:
    target = tmp_path / "rapport.json"
    result = run("check", GOOD, "--format", "json", "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.is_file()
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written == run_json(GOOD)


# --- exit codes --------------------------------------------------------------------------

def test_fail_under_on_weak_plan_exits_1() -> None:
    result = run("check", WEAK, "--fail-under", "99")
    assert result.exit_code == 1, result.output
    assert_clean_exit(result)
    assert "Poengsum" in result.stdout  # the report is still printed


def test_fail_under_met_exits_0() -> None:
    assert run("check", GOOD, "--fail-under", "50").exit_code == 0


def test_fail_on_error_with_weak_plan_exits_1() -> None:
    assert any(f["severity"] == "error" for f in run_json(WEAK)["findings"])
    result = run("check", WEAK, "--fail-on", "error")
    assert result.exit_code == 1, result.output
    assert_clean_exit(result)


def test_fail_on_error_without_error_findings_exits_0() -> None:
    findings = run_json(MEDIUM)["findings"]
    assert findings and not any(f["severity"] == "error" for f in findings)
    result = run("check", MEDIUM, "--fail-on", "error")
    assert result.exit_code == 0, result.output
    # the same plan has warnings, so a lower threshold does fail it
    assert run("check", MEDIUM, "--fail-on", "warning").exit_code == 1


# --- select / ignore ---------------------------------------------------------------------

def test_select_rule_id_runs_only_that_criterion() -> None:
    report = run_json(WEAK, "--select", "PA001")
    assert set(report["criteria"]) == {"measurable_goals"}
    assert report["findings"]
    assert {f["rule"] for f in report["findings"]} == {"PA001"}


def test_ignore_criterion_leaves_it_out() -> None:
    report = run_json(WEAK, "--ignore", "measurable_goals")
    assert "measurable_goals" not in report["criteria"]
    assert set(report["criteria"]) == AUDITED_CRITERIA - {"measurable_goals"}
    assert "PA001" not in {f["rule"] for f in report["findings"]}
    assert all(f["criterion"] != "measurable_goals" for f in report["findings"])


def test_unknown_select_id_exits_2_with_one_line() -> None:
    result = run("check", GOOD, "--select", "PA999")
    line = one_line_error(result)
    assert "PA999" in line
    assert result.stdout == ""


# --- profiles ----------------------------------------------------------------------------

def test_husbanken_profile_changes_weights() -> None:
    kommune = run_json(GOOD)
    husbanken = run_json(GOOD, "--profile", "husbanken")
    assert husbanken["profile"] == "husbanken"
    assert kommune["profile"] == "kommune"
    assert husbanken["criteria"]["costs"]["weight"] > husbanken["criteria"]["follow_up"]["weight"]
    assert kommune["criteria"]["costs"]["weight"] == kommune["criteria"]["follow_up"]["weight"]
    assert isinstance(husbanken["passed"], bool)
    assert isinstance(kommune["passed"], bool)


def test_unknown_profile_exits_2_naming_it() -> None:
    result = run("check", GOOD, "--profile", "finnesikke")
    line = one_line_error(result)
    assert "finnesikke" in line
    assert result.stdout == ""


# --- bad input ---------------------------------------------------------------------------

def _fingerprint(path: Path) -> object:
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    if path.is_dir():
        return sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in path.iterdir() if p.is_file())
    return None


BAD_INPUTS = {
    "missing": (BROKEN / "finnes_ikke.md", ()),
    "empty": (BROKEN / "empty.md", ()),
    "invalid_yaml": (BROKEN / "invalid.yaml", ()),
    "schema_violation": (BROKEN / "schema_violation.yaml", (f"{BROKEN / 'schema_violation.yaml'}:7",
                                                            "$.goals[1]")),
    "not_a_mapping": (BROKEN / "not_a_mapping.yaml", ()),
    "binary": (BROKEN / "binary.dat", ()),
}  # a folder is audited file by file now: tests/test_batch.py


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_bad_input_gives_one_line_exit_2_and_leaves_file_alone(case: str, fmt: str) -> None:
    path, must_mention = BAD_INPUTS[case]
    before = _fingerprint(path)
    result = run("check", path, "--format", fmt)
    line = one_line_error(result)
    assert str(path) in line
    for text in must_mention:
        assert text in line
    assert result.stdout == ""
    assert _fingerprint(path) == before


def test_bad_input_message_in_english() -> None:
    line = one_line_error(run("check", BROKEN / "empty.md", "--lang", "en"))
    assert str(BROKEN / "empty.md") in line
    assert "empty" in line


def test_one_bad_file_among_good_ones() -> None:
    result = run("check", GOOD, BROKEN / "empty.md", WEAK, "--format", "json")
    line = one_line_error(result)
    assert str(BROKEN / "empty.md") in line
    reports = json.loads(result.stdout)
    assert [r["document"]["path"] for r in reports] == [str(GOOD), str(WEAK)]


def test_one_bad_file_among_good_ones_table() -> None:
    result = run("check", GOOD, BROKEN / "invalid.yaml")
    line = one_line_error(result)
    assert str(BROKEN / "invalid.yaml") in line
    assert "Fjellvik" in result.stdout and "Poengsum" in result.stdout


# --- extract round trip ------------------------------------------------------------------

def test_extract_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "tmp.yaml"
    result = run("extract", GOOD, "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data["goals"] and data["measures"]
    direct = run_json(GOOD)
    check = run("check", target, "--format", "json")
    assert check.exit_code == 0, check.output
    assert check.stderr == ""
    again = json.loads(check.stdout)
    assert again["document"]["format"] == "yaml"
    assert again["plan"]["goals"] == direct["plan"]["goals"] == len(data["goals"])
    assert again["plan"]["measures"] == direct["plan"]["measures"] == len(data["measures"])
    assert again["plan"]["municipality"] == direct["plan"]["municipality"]
    assert again["plan"]["period"] == direct["plan"]["period"]


def test_extract_to_stdout_is_yaml() -> None:
    result = run("extract", GOOD)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert data["metadata"]["municipality"] == "Fjellvik"


def test_extract_bad_input_is_one_line() -> None:
    line = one_line_error(run("extract", BROKEN / "binary.dat"))
    assert str(BROKEN / "binary.dat") in line


# --- rules -------------------------------------------------------------------------------

def test_rules_list_lists_all_builtin_rules() -> None:
    result = run("rules", "list")
    assert result.exit_code == 0, result.output
    for number in range(1, 13):
        assert f"PA{number:03}" in result.stdout
    assert "Konkrete og målbare mål" in result.stdout


def test_rules_show_gives_rationale_and_examples() -> None:
    info = next(i for i in default_registry().rule_infos() if i.id == "PA002")
    assert info.rationale and info.bad_example and info.good_example
    result = run("rules", "show", "PA002")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert info.summary in out
    assert info.rationale[:60] in out
    assert f"Svakt: {info.bad_example}" in out
    assert f"Godt: {info.good_example}" in out
    assert "responsibility" in out


def test_rules_show_unknown_exits_2() -> None:
    line = one_line_error(run("rules", "show", "PA999"))
    assert "PA999" in line


# --- schema, plugins, help ---------------------------------------------------------------

@pytest.mark.parametrize("name", ["plan", "report", "rulepack"])
def test_schema_prints_json_schema(name: str) -> None:
    result = run("schema", name)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert "$schema" in schema
    assert schema.get("properties")


def test_report_schema_validates_a_real_report() -> None:
    import jsonschema

    schema = json.loads(run("schema", "report").stdout)
    jsonschema.validate(run_json(GOOD), schema)


def test_plugins_lists_builtin_plugins_with_version() -> None:
    result = run("plugins")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for name in ("rules", "reporters", "readers", "profiles"):
        row = [line for line in lines if line.split() and line.split()[0] == name]
        assert row, f"plugin {name!r} not listed:\n{result.stdout}"
        assert version() in row[0]
    assert "PA001" in result.stdout


def test_plugins_json() -> None:
    result = run("plugins", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {p["plugin"] for p in data["plugins"]} >= {"rules", "reporters", "readers", "profiles"}
    assert {p["version"] for p in data["plugins"]} == {version()}
    assert data["failures"] == []


def test_check_help_is_norwegian() -> None:
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "--fail-under" in result.stdout
    assert "Revider planer" in result.stdout
    assert "Avslutt" in result.stdout
    assert "Skriv rapporten til fil" in result.stdout


def test_danish_plan_is_audited_with_a_warning(tmp_path: Path) -> None:
    plan = tmp_path / "helhedsplan.md"
    plan.write_text(
        "# Boligsocial helhedsplan 2025–2028\n\n"
        "Helhedsplanen skal styrke indsatsen for beboerne i afdelingen. Aktiviteterne blev udviklet "
        "gennem dialog med beboere og frivillige, og opfølgningen sker hvert halve år efter aftale "
        "med Landsbyggefonden. Nogle af de udsatte børn får hjælp gennem lektiecaféen.\n",
        encoding="utf-8")
    report = run_json(plan)
    assert report["document"]["language"] == "da"
    warnings = [n["message"] for n in report["notifications"] if n["level"] == "warning"]
    assert any("dansk" in message for message in warnings)
    assert set(report["criteria"]) == AUDITED_CRITERIA


def test_extract_sections_shows_each_section_with_page_and_role() -> None:
    result = run("extract", "--sections", PLANS / "formats" / "plan_nn.pdf")
    assert result.exit_code == 0, result.output
    rows = {line.split(None, 1)[1].rsplit("  ", 1)[0].strip(): line for line in result.stdout.splitlines()[2:]}
    assert rows["5 Tiltaksplan"].split()[0] == "7" and rows["5 Tiltaksplan"].rstrip().endswith("tiltak")
    assert "oppfølging" in rows["7 Oppfølging og rullering"]
    english = run("extract", "--sections", "--lang", "en", PLANS / "formats" / "plan_nn.pdf")
    assert english.stdout.split()[:3] == ["Page", "Section", "Role"]
