"""The plugin as a user meets it: installed, registered, and auditing Danish helhedsplaner.

These tests run against the installed package (``pip install .``), not the source tree.
The rule cases in ``rule_cases/`` are collected by planaudit's own pytest plugin.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import planaudit
import pytest
import yaml
from planaudit import AuditReport
from planaudit.engine import default_registry
from planaudit.model import CRITERIA

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
CASES = HERE / "rule_cases"
DK_CRITERIA = ("dk_coherence", "dk_organisation", "dk_documentation", "dk_roles")
PACK_RULES = ("DK101", "DK102", "DK103", "DK111", "DK112", "DK113", "DK121", "DK122", "DK123", "DK124",
              "DK131", "DK132", "DK133")

Audit = Callable[..., AuditReport]


def _levels(report: AuditReport) -> dict[str, int]:
    return {cid: score.level for cid, score in report.criteria.items() if cid in DK_CRITERIA}


@pytest.fixture(scope="module")
def good() -> AuditReport:
    return planaudit.audit(FIXTURES / "god_helhedsplan.md", profile="landsbyggefonden")


@pytest.fixture(scope="module")
def weak() -> AuditReport:
    return planaudit.audit(FIXTURES / "svag_helhedsplan.md", profile="landsbyggefonden")


# --- what the plugin registers ----------------------------------------------------------------

def test_the_plugin_is_loaded_with_its_version() -> None:
    registry = default_registry()
    plugin = next(p for p in registry.plugins if p.distribution == "planaudit-dk-helhedsplan")
    assert (plugin.name, plugin.version) == ("helhedsplan", "0.1.0")
    assert not registry.failures


def test_rule_pack_profile_and_python_rule_are_registered() -> None:
    registry = default_registry()
    pack = next(loaded for loaded in registry.packs if loaded.pack.pack == "helhedsplan")
    assert tuple(rule.id for rule in pack.rules) == PACK_RULES
    assert "DK001" in registry.rules
    assert set(DK_CRITERIA) <= set(registry.criteria)
    assert registry.criterion_titles("nb")["dk_roles"] == "Rolle- og ansvarsfordeling"
    assert registry.criterion_titles("en")["dk_roles"] == "Split of roles and responsibility"


def test_the_profile_scores_only_the_danish_criteria() -> None:
    profile = default_registry().profile("landsbyggefonden")
    assert all(profile.weight(cid) == 0 for cid in (*CRITERIA, "housing_act", "planning_act"))
    assert all(profile.weight(cid) > 0 for cid in DK_CRITERIA)


def test_the_python_rule_documents_itself() -> None:
    info = next(info for info in default_registry().rule_infos() if info.id == "DK001")
    assert info.criterion == "dk_coherence"
    assert info.summary.startswith("Hver aktivitet angiver")
    assert "Procesevaluering af boligsociale indsatser" in info.citation
    assert "SFI – Det Nationale Forskningscenter for Velfærd" in info.citation
    assert info.bad_example and info.good_example and info.rationale
    assert info.plugin == "planaudit-dk-helhedsplan:helhedsplan"


def test_every_rule_has_cases_for_level_2_and_lower() -> None:
    for rule in ("DK001", *PACK_RULES):
        cases = yaml.safe_load((CASES / f"{rule}.yml").read_text(encoding="utf-8"))["cases"]
        levels = {case.get("level") for case in cases}
        assert 2 in levels and levels & {0, 1}, f"{rule}: cases for levels {levels}"


# --- auditing the Danish fixture plans --------------------------------------------------------

def test_a_good_helhedsplan_meets_every_danish_criterion(good: AuditReport) -> None:
    assert _levels(good) == dict.fromkeys(DK_CRITERIA, 2)
    assert good.passed and good.score >= 90
    assert good.profile == "landsbyggefonden"
    assert not [f for f in good.findings if f.rule.startswith("DK") and f.severity != "info"]


def test_a_weak_helhedsplan_fails(weak: AuditReport) -> None:
    assert _levels(weak) == dict.fromkeys(DK_CRITERIA, 0)
    assert not weak.passed and weak.score < 30


def test_the_weak_plan_is_told_which_activities_lack_a_goal(weak: AuditReport) -> None:
    findings = [f for f in weak.findings if f.rule == "DK001"]
    assert [f.evidence for f in findings] == [
        "Lektiecafé om eftermiddagen", "Sommerfest i gården", "Fodboldklub for drenge", "Beboerrådgivning"]
    first = findings[0]
    assert first.location.section == "Helhedsplan for Vestervang > Aktiviteter"
    assert first.location.line == 13
    assert "«Lektiecafé om eftermiddagen»" in first.message
    assert first.suggestion and "Understøtter mål" in first.suggestion


def test_hedges_are_quoted_where_they_stand(weak: AuditReport) -> None:
    hedges = [f for f in weak.findings if f.rule == "DK124"]
    assert {f.location.section for f in hedges} == {
        "Helhedsplan for Vestervang > Hvem gør hvad", "Helhedsplan for Vestervang > Opfølgning"}
    assert all(f.severity == "info" and f.evidence for f in hedges)


def test_english_messages() -> None:
    report = planaudit.audit(FIXTURES / "svag_helhedsplan.md", profile="landsbyggefonden", lang="en",
                             select=["DK001"])
    assert "does not name the goal or focus area it serves" in report.findings[0].message


def test_a_norwegian_plan_gets_no_danish_findings(planaudit_audit: Audit) -> None:
    text = "# Boligsosial handlingsplan\n## Mål\nMål 1: Alle skal bo godt.\n## Tiltak\n- Tiltak 1.1: Startlån\n"
    report = planaudit_audit(text)
    assert not set(report.criteria) & set(DK_CRITERIA)
    assert not [f for f in report.findings if f.rule.startswith("DK")]


def test_activities_are_read_from_a_two_column_description(planaudit_audit: Audit) -> None:
    text = ("# Helhedsplan\n| Aktivitet | Lektiecafé |\n|---|---|\n| Ansvarlig | Sekretariatet |\n\n"
            "| Aktivitet | Jobcafé |\n|---|---|\n| Mål | Mål 1 |\n")
    report = planaudit_audit(text, rule="DK001")
    assert report.criteria["dk_coherence"].evidence[0] == "1 af 2 aktiviteter angiver deres mål"
    assert [f.evidence for f in report.findings] == ["Aktivitet | Lektiecafé Ansvarlig | Sekretariatet"]


# --- a Word document --------------------------------------------------------------------------

def _docx(path: Path, activities: list[tuple[str, str]]) -> Path:
    from docx import Document as WordDocument

    word: Any = WordDocument()
    word.add_heading("Boligsocial helhedsplan for Engparken", level=1)
    word.add_heading("Indsatsområde 1: Uddannelse og beskæftigelse", level=2)
    word.add_paragraph("Indsatsområdet understøtter mål 1 om flere unge i uddannelse.")
    table = word.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Aktivitet", "Mål"
    for name, goal in activities:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, goal
    word.save(path)
    return path


def test_a_word_document_is_read_the_same_way(tmp_path: Path) -> None:
    path = _docx(tmp_path / "helhedsplan.docx", [("Lektiecafé", "Mål 1"), ("Jobcafé", "Mål 1"), ("Sommerfest", "")])
    report = planaudit.audit(path, profile="landsbyggefonden", select=["DK001"])
    assert report.criteria["dk_coherence"].level == 1
    (finding,) = report.findings
    assert "«Sommerfest»" in finding.message
    assert finding.location.section and finding.location.section.endswith("Indsatsområde 1: Uddannelse og beskæftigelse")
