"""Our own fixture plans end to end: what a planner sees for a strong, a weak, a nynorsk and a
pdftotext-style plain-text plan."""
from __future__ import annotations

from pathlib import Path

from planaudit import audit
from planaudit.engine import read_plan
from planaudit.model import CRITERIA

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
TEXT_PLAN = PLANS / "tekst_plan_nynorsk.txt"


def test_plain_text_from_pdftotext_keeps_pages_sections_and_cells() -> None:
    document, plan = read_plan(TEXT_PLAN)
    assert document.format == "text" and document.pages == 4 and document.language == "nn"
    assert plan.metadata.title == "Bustadsosial handlingsplan for Elvdal kommune 2025–2029"
    assert all("Elvdal kommune –" not in block.text for block in document.blocks), "running footer removed"
    assert [goal.id for goal in plan.goals] == ["1", "2"], "two labelled goals on consecutive lines"
    measures = {measure.id: measure for measure in plan.measures}
    assert measures["1.2"].deadline == "2. kvartal 2025", "a quarter is no numbered list item in plain text"
    assert measures["1.2"].responsible == "NAV"
    assert measures["2.1"].goal == "2", "measure 2.1 serves goal 2 by the plan's numbering"


def test_plain_text_findings_name_page_and_section() -> None:
    report = audit(TEXT_PLAN)
    cost_findings = [f for f in report.findings if f.rule == "PA004"]
    assert cost_findings and all(f.location.page == 3 for f in cost_findings)
    assert all(f.location.section == "5 Handlingsplan" for f in cost_findings)
    assert report.criteria["costs"].level == 1 and report.criteria["timeline"].level == 2


def test_strong_plan_beats_weak_plan_on_every_criterion() -> None:
    strong, weak = audit(PLANS / "god_plan.md"), audit(PLANS / "svak_plan.md")
    for criterion, score in strong.criteria.items():
        assert score.level >= weak.criteria[criterion].level, criterion
    assert strong.score >= 90 > 30 > weak.score
    assert strong.passed and not weak.passed


def test_markdown_and_structured_versions_of_a_plan_agree() -> None:
    """On the twelve criteria, which the plan schema holds. The law packs also read the plan's
    prose (strategies, assistance, cooperation), which a structured plan has no place for."""
    markdown, structured = audit(PLANS / "god_plan.md"), audit(PLANS / "god_plan.yaml")
    differing = {c for c in CRITERIA if markdown.criteria[c].level != structured.criteria[c].level}
    assert not differing, differing
