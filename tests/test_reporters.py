"""The built-in reporters, judged by what a user or a tool reading their output notices."""
from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from markdown_it import MarkdownIt

from planaudit.engine import ReportContext, Reporter, RuleInfo, load_registry
from planaudit.model import (
    CRITERIA,
    AuditReport,
    CriterionScore,
    DocumentInfo,
    Finding,
    FindingLocation,
    Notification,
    PlanSummary,
)
from planaudit.report import CsvReporter, JsonReporter, MarkdownReporter, SarifReporter, TableReporter
from planaudit.report.csv_report import COLUMNS
from planaudit.report.sarif import FINGERPRINT_KEY
from planaudit.report.table import WIDTH

NAMES = {"table", "json", "markdown", "sarif", "csv"}
CONTRACT_KEYS = {"planaudit_version", "document", "plan", "criteria", "score", "findings", "notifications"}

FINDINGS = (
    Finding(rule="PA001", criterion="measurable_goals", severity="error",
            message="Målet har ingen målverdi.",
            suggestion="Sett et tall og et år, f.eks. «30 nye utleieboliger innen 2026».",
            location=FindingLocation(page=14, line=212, section="4 Mål > 4.2 Tiltak"),
            evidence="Vi skal jobbe for at flere   får en god bolig."),
    Finding(rule="PA003", criterion="timeline", severity="warning",
            message="Tiltaket mangler frist.", suggestion=None,
            location=FindingLocation(page=None, line=40, section="Tiltak"),
            evidence="Etablere boligkontor"),
    Finding(rule="PA004", criterion="costs", severity="info",
            message="Kostnadene er ikke anslått. " + "Dette er en lang forklaring. " * 12,
            suggestion="Anslå kostnader per tiltak.", location=FindingLocation(), evidence=None),
)


def _criteria() -> dict[str, CriterionScore]:
    return {cid: CriterionScore(level=index % 3, score=(index % 3) * 50, weight=1.5 if index == 0 else 1.0,
                                evidence=[f"bevis {index}"])
            for index, cid in enumerate(CRITERIA)}


def _report(path: str = "planer/bergen-boligsosial.pdf", findings: tuple[Finding, ...] = FINDINGS,
            notifications: tuple[Notification, ...] = (), passed: bool | None = True) -> AuditReport:
    return AuditReport(
        planaudit_version="0.1.0",
        document=DocumentInfo(path=path, sha256="ab" * 32, format="pdf", pages=40, language="nb"),
        plan=PlanSummary(title="Boligsosial handlingsplan", municipality="Bergen kommune",
                         period=(2024, 2027), goals=5, measures=12),
        profile="kommune", passed=passed, criteria=_criteria(), score=62,
        findings=list(findings), notifications=list(notifications))


RULE_ERROR = Notification(level="error", rule="PA002",
                          message="regel PA002 feilet på planer/oslo.md: ValueError: boom")
LOAD_WARNING = Notification(level="warning", message="tillegget 'x' fra y kunne ikke lastes")


def _rule(rid: str, criterion: str, severity: str = "warning") -> RuleInfo:
    return RuleInfo(id=rid, name=f"{criterion}.check", criterion=criterion, severity=severity, weight=1.0,
                    citation="Husbanken veileder 2.1", summary=f"Sjekker {criterion}.",
                    rationale="Fordi det er viktig.", bad_example="Vi skal jobbe for...",
                    good_example="30 boliger innen 2026.", plugin="planaudit:rules")


RULES = (_rule("PA001", "measurable_goals", "error"), _rule("PA002", "responsibility"),
         _rule("PA003", "timeline"), _rule("PA004", "costs", "info"), _rule("PA005", "political_anchoring"))


@pytest.fixture
def single() -> list[AuditReport]:
    return [_report(notifications=(LOAD_WARNING,))]


@pytest.fixture
def several() -> list[AuditReport]:
    return [_report(notifications=(LOAD_WARNING,)),
            _report(path="planer/oslo.md", findings=FINDINGS[1:2], notifications=(RULE_ERROR,),
                    passed=False)]


NB = ReportContext(rules=RULES, tool_version="0.1.0")
EN = ReportContext(lang="en", rules=RULES, tool_version="0.1.0")


# --- registry ----------------------------------------------------------------------------

def test_registry_exposes_the_five_reporters_through_the_entry_point() -> None:
    registry = load_registry()
    assert NAMES <= set(registry.reporters)
    for name in NAMES:
        reporter = registry.reporters[name]
        assert isinstance(reporter, Reporter)
        assert reporter.name == name and reporter.extension.startswith(".")


# --- json --------------------------------------------------------------------------------

def test_json_is_byte_identical_and_parses_back(single: list[AuditReport]) -> None:
    first, second = JsonReporter().render(single, NB), JsonReporter().render(list(single), NB)
    assert first == second and first.endswith("}\n")
    assert AuditReport.model_validate(json.loads(first)) == single[0]


def test_json_keys_follow_the_contract(single: list[AuditReport]) -> None:
    data = json.loads(JsonReporter().render(single, NB))
    assert CONTRACT_KEYS <= set(data) and set(data) - CONTRACT_KEYS == {"profile", "passed", "baseline"}
    assert data["baseline"] is None  # set only by --baseline
    assert set(data["document"]) == {"path", "sha256", "format", "pages", "language"}
    assert set(data["plan"]) == {"title", "municipality", "period", "goals", "measures"}
    assert data["plan"]["period"] == [2024, 2027]
    assert set(data["criteria"]) == set(CRITERIA)
    assert set(data["criteria"]["costs"]) == {"level", "score", "weight", "evidence"}
    assert set(data["findings"][0]) == {"rule", "criterion", "severity", "message", "suggestion",
                                        "location", "evidence", "suppression"}
    assert data["findings"][0]["suppression"] is None  # set only for an accepted finding
    assert set(data["findings"][0]["location"]) == {"page", "line", "section", "ocr"}
    assert data["findings"][0]["location"]["ocr"] is False  # true only on a page read by OCR
    assert set(data["notifications"][0]) == {"level", "message", "rule", "code"}


def test_json_keeps_norwegian_letters_and_sorted_keys(single: list[AuditReport]) -> None:
    text = JsonReporter().render(single, NB)
    assert "«30 nye utleieboliger innen 2026»" in text and "\\u00" not in text
    assert text == json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def test_json_several_documents_give_a_list(several: list[AuditReport]) -> None:
    data = json.loads(JsonReporter().render(several, NB))
    assert isinstance(data, list)
    assert [AuditReport.model_validate(item) for item in data] == several


# --- table -------------------------------------------------------------------------------

def test_table_in_bokmal_shows_criteria_pages_and_verdict(single: list[AuditReport]) -> None:
    text = TableReporter().render(single, NB)
    for title in ("Konkrete og målbare mål", "Tidsfrister og framdrift",
                  "Sammenheng mellom mål og tiltak"):
        assert title in text
    assert "planer/bergen-boligsosial.pdf" in text and "Bergen kommune" in text and "2024–2027" in text
    assert "kommune" in text and "62/100, bestått" in text
    assert "s. 14, 4 Mål > 4.2 Tiltak" in text and "linje 40, Tiltak" in text
    assert "feil" in text and "advarsel" in text and "Forslag:" in text
    assert "«Vi skal jobbe for at flere får en god bolig.»" in text
    assert "1,5" in text  # weight with a decimal comma
    assert "Merknader (1)" in text and "kunne ikke lastes" in text


def test_table_switches_to_english(single: list[AuditReport]) -> None:
    text = TableReporter().render(single, EN)
    assert "Deadlines and progress plan" in text and "Tidsfrister og framdrift" not in text
    assert "p. 14, 4 Mål > 4.2 Tiltak" in text and "line 40" in text
    assert "62/100, passed" in text and "bestått" not in text
    assert "error" in text and "warning" in text and "Suggestion:" in text and "Forslag" not in text


def test_table_fits_a_100_column_terminal(several: list[AuditReport]) -> None:
    long_path = "planer/" + "svært-lang-mappe/" * 10 + "plan.pdf"
    reports = [*several, _report(path=long_path)]
    for context in (NB, EN):
        lines = TableReporter().render(reports, context).splitlines()
        assert max(len(line) for line in lines) <= WIDTH


def test_table_several_documents_end_with_a_summary(several: list[AuditReport]) -> None:
    text = TableReporter().render(several, NB)
    assert text.index("bergen-boligsosial.pdf") < text.index("planer/oslo.md")
    summary = " ".join(text.rstrip("\n").split("\n\n")[-1].split())
    assert summary == ("2 dokumenter: 1 bestått, 1 ikke bestått; gjennomsnittlig poengsum 62/100; "
                       "4 funn (1 feil, 2 advarsler, 1 info); 2 merknader")
    assert TableReporter().render(several[:1], NB).count("dokumenter:") == 0


def test_table_without_findings_says_so() -> None:
    assert "Ingen funn." in TableReporter().render([_report(findings=())], NB)


# --- markdown ----------------------------------------------------------------------------

def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_markdown_has_a_pipe_table_of_criteria(single: list[AuditReport]) -> None:
    text = MarkdownReporter().render(single, NB)
    assert "| Kriterium | Nivå (0–2) | Poeng | Vekt |" in text
    assert "| Konkrete og målbare mål | 0 | 0 | 1,5 |" in text
    html = _html(text)
    assert "<table>" in html and html.count("<tr>") == len(CRITERIA) + 1
    assert "<h2>planer/bergen-boligsosial.pdf</h2>" in html


def test_markdown_quotes_evidence_and_escapes_plan_text() -> None:
    hostile = Finding(rule="PA001", criterion="measurable_goals", severity="warning",
                      message="- <script>alert(1)</script> | [lenke](http://x)",
                      evidence="# Overskrift | *fet*", location=FindingLocation(page=3))
    html = _html(MarkdownReporter().render([_report(findings=(hostile,))], NB))
    assert "<blockquote>" in html and "«# Overskrift | *fet*»" in html
    assert "<script>" not in html and "<a href" not in html and "<strong>fet" not in html
    assert "<ul>\n<li>&lt;script" not in html  # the message did not become a nested list


def test_markdown_in_english_with_summary(several: list[AuditReport]) -> None:
    text = MarkdownReporter().render(several, EN)
    assert "### Criteria" in text and "Deadlines and progress plan" in text and "## Summary" in text
    assert "p\\. 14" not in text and "p. 14" in text
    assert "Kriterium" not in text


# --- sarif -------------------------------------------------------------------------------

_MESSAGE = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
_ARTIFACT_LOCATION = {"type": "object", "required": ["uri"],
                      "properties": {"uri": {"type": "string", "minLength": 1},
                                     "index": {"type": "integer", "minimum": 0}}}
_REGION = {"type": "object", "properties": {"startLine": {"type": "integer", "minimum": 1},
                                            "properties": {"type": "object"}}}
_LOCATION = {
    "type": "object",
    "properties": {
        "physicalLocation": {"type": "object", "required": ["artifactLocation"],
                             "properties": {"artifactLocation": _ARTIFACT_LOCATION, "region": _REGION}},
        "logicalLocations": {"type": "array", "items": {
            "type": "object", "required": ["name"],
            "properties": {"name": {"type": "string"}, "kind": {"type": "string"},
                           "fullyQualifiedName": {"type": "string"}}}},
    },
}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
#: The part of the SARIF 2.1.0 schema planaudit's output relies on, with its required fields.
SARIF_SUBSET = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {
                        "name": {"type": "string"}, "version": {"type": "string"},
                        "rules": {"type": "array", "items": {
                            "type": "object", "required": ["id"],
                            "properties": {
                                "id": {"type": "string"}, "name": {"type": "string"},
                                "shortDescription": _MESSAGE, "fullDescription": _MESSAGE, "help": _MESSAGE,
                                "defaultConfiguration": {"type": "object", "properties": {"level": _LEVEL}},
                                "properties": {"type": "object"},
                            }}},
                    }}}},
                "artifacts": {"type": "array", "items": {"type": "object", "properties": {
                    "location": _ARTIFACT_LOCATION, "hashes": {"type": "object"}}}},
                "results": {"type": "array", "items": {
                    "type": "object",
                    "required": ["ruleId", "level", "message", "locations", "partialFingerprints"],
                    "properties": {
                        "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": 0},
                        "level": _LEVEL, "message": _MESSAGE,
                        "locations": {"type": "array", "minItems": 1, "items": _LOCATION},
                        "partialFingerprints": {"type": "object", "minProperties": 1,
                                                "additionalProperties": {"type": "string"}},
                    }}},
                "invocations": {"type": "array", "items": {
                    "type": "object", "required": ["executionSuccessful"],
                    "properties": {
                        "executionSuccessful": {"type": "boolean"},
                        "toolExecutionNotifications": {"type": "array", "items": {
                            "type": "object", "required": ["message"],
                            "properties": {"message": _MESSAGE, "level": _LEVEL,
                                           "locations": {"type": "array", "items": _LOCATION}}}},
                    }}},
            }}},
    },
}


def _sarif(reports: list[AuditReport], context: ReportContext = NB) -> dict:
    return json.loads(SarifReporter().render(reports, context))


def test_sarif_validates_against_the_schema_subset(several: list[AuditReport]) -> None:
    log = _sarif(several)
    jsonschema.Draft7Validator.check_schema(SARIF_SUBSET)
    jsonschema.validate(log, SARIF_SUBSET, cls=jsonschema.Draft7Validator)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert len(log["runs"]) == 1 and log["runs"][0]["tool"]["driver"]["version"] == "0.1.0"


def test_sarif_lists_every_rule_and_every_result_names_one(several: list[AuditReport]) -> None:
    run = _sarif(several)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules} == {rule.id for rule in RULES}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    pa001 = next(rule for rule in rules if rule["id"] == "PA001")
    assert pa001["properties"] == {"criterion": "measurable_goals", "weight": 1.0,
                                   "citation": "Husbanken veileder 2.1"}
    assert pa001["defaultConfiguration"] == {"level": "error"}
    assert "Svakt: Vi skal jobbe for..." in pa001["help"]["text"] and "Kilde:" in pa001["help"]["text"]


def test_sarif_adds_rules_the_context_does_not_know(single: list[AuditReport]) -> None:
    run = _sarif(single, ReportContext())["runs"][0]
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} == {"PA001", "PA003", "PA004"}
    assert "version" not in run["tool"]["driver"]


def test_sarif_results_levels_locations_and_messages(several: list[AuditReport]) -> None:
    run = _sarif(several)["runs"][0]
    results = run["results"]
    assert len(results) == 4
    assert [result["level"] for result in results[:3]] == ["error", "warning", "note"]
    first, second, third = results[:3]
    physical = first["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "planer/bergen-boligsosial.pdf", "index": 0}
    assert physical["region"] == {"startLine": 212, "properties": {"page": 14}}
    assert first["locations"][0]["logicalLocations"] == [
        {"name": "4.2 Tiltak", "kind": "section", "fullyQualifiedName": "4 Mål > 4.2 Tiltak"}]
    assert first["message"]["text"].startswith("Målet har ingen målverdi. Forslag: Sett et tall")
    assert second["locations"][0]["physicalLocation"]["region"] == {"startLine": 40}
    assert "region" not in third["locations"][0]["physicalLocation"]
    assert "logicalLocations" not in third["locations"][0]
    other = results[3]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert other == {"uri": "planer/oslo.md", "index": 1}
    assert [artifact["location"]["uri"] for artifact in run["artifacts"]] == [
        "planer/bergen-boligsosial.pdf", "planer/oslo.md"]


def test_sarif_page_without_line_has_no_start_line() -> None:
    finding = FINDINGS[0].model_copy(update={"location": FindingLocation(page=7, section="Tiltak")})
    region = _sarif([_report(findings=(finding,))])["runs"][0]["results"][0]["locations"][0][
        "physicalLocation"]["region"]
    assert region == {"properties": {"page": 7}}


def _fingerprints(findings: tuple[Finding, ...]) -> list[str]:
    results = _sarif([_report(findings=findings)])["runs"][0]["results"]
    return [result["partialFingerprints"][FINGERPRINT_KEY] for result in results]


def test_sarif_fingerprints_survive_line_changes_but_not_content_changes() -> None:
    original = FINDINGS[0]
    moved_to = FindingLocation(page=15, line=260, section="4 Mål > 4.2 Tiltak")
    moved = original.model_copy(update={"location": moved_to})
    reworded = original.model_copy(update={"evidence": "Vi skal bygge 30 boliger innen 2026."})
    [base, after_move, after_rewording] = _fingerprints((original, moved, reworded))
    assert len(base) == 64 and int(base, 16) >= 0
    assert after_move == base
    assert after_rewording != base
    respaced = original.model_copy(update={"evidence": "  Vi skal jobbe for at flere får en god bolig. "})
    assert _fingerprints((respaced,)) == [base]


def test_sarif_notifications_and_execution_success(
    single: list[AuditReport], several: list[AuditReport]
) -> None:
    ok = _sarif(single)["runs"][0]["invocations"][0]
    assert ok["executionSuccessful"] is True and ok["toolExecutionNotifications"][0]["level"] == "warning"
    failed = _sarif(several)["runs"][0]["invocations"][0]
    assert failed["executionSuccessful"] is False
    error = failed["toolExecutionNotifications"][-1]
    assert error["level"] == "error" and error["associatedRule"]["id"] == "PA002"
    assert "PA002 feilet" in error["message"]["text"]


def test_sarif_is_deterministic_and_localised(several: list[AuditReport]) -> None:
    assert SarifReporter().render(several, NB) == SarifReporter().render(list(several), NB)
    assert _sarif(several, EN)["runs"][0]["language"] == "en-US"
    assert "Suggestion:" in _sarif(several, EN)["runs"][0]["results"][0]["message"]["text"]


def test_sarif_absolute_paths_become_file_uris() -> None:
    run = _sarif([_report(path="/data/planer/Ålesund plan.pdf", findings=FINDINGS[:1])])["runs"][0]
    assert run["artifacts"][0]["location"]["uri"] == "file:///data/planer/%C3%85lesund%20plan.pdf"


# --- csv ---------------------------------------------------------------------------------

def test_csv_has_a_header_and_one_row_per_finding(several: list[AuditReport]) -> None:
    text = CsvReporter().render(several, NB)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS) == ["file", "municipality", "rule", "criterion", "severity", "page",
                                        "section", "message", "suggestion", "evidence", "suppressed"]
    assert len(rows) == 1 + sum(len(report.findings) for report in several)
    assert all(len(row) == len(COLUMNS) for row in rows)
    first = dict(zip(rows[0], rows[1]))
    assert first["file"] == "planer/bergen-boligsosial.pdf" and first["page"] == "14"
    assert first["severity"] == "error" and first["section"] == "4 Mål > 4.2 Tiltak"
    assert dict(zip(rows[0], rows[2]))["page"] == ""
    assert rows[-1][0] == "planer/oslo.md"
    assert "\r" not in text and text.endswith("\n")


def test_csv_defuses_formulas_from_plan_text() -> None:
    finding = FINDINGS[1].model_copy(update={"evidence": "=HYPERLINK(\"http://x\")"})
    rows = list(csv.reader(io.StringIO(CsvReporter().render([_report(findings=(finding,))], NB))))
    assert dict(zip(rows[0], rows[1]))["evidence"] == "'=HYPERLINK(\"http://x\")"


def test_csv_without_findings_is_only_the_header() -> None:
    assert CsvReporter().render([_report(findings=())], NB) == ",".join(COLUMNS) + "\n"
