"""The same plan as PDF, Word, ODT, HTML and Markdown audits the same: the same level on every
criterion, and each finding on the same page and in the same section whichever format the
municipality published. The files are made by fixtures/generate.py from fixtures/source/."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from planaudit import audit
from planaudit.model import AuditReport

FORMATS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "formats"
PLANS = sorted({path.stem for path in FORMATS_DIR.glob("*.md")})
FORMATS = ("pdf", "docx", "odt", "html")


def _levels(report: AuditReport) -> dict[str, int | None]:
    return {criterion: score.level for criterion, score in report.criteria.items()}


def _placed(report: AuditReport) -> Counter[tuple[str, int | None, str | None]]:
    return Counter((finding.rule, finding.location.page if finding.location else None,
                    finding.location.section if finding.location else None) for finding in report.findings)


@pytest.fixture(scope="module")
def markdown_reports() -> dict[str, AuditReport]:
    return {plan: audit(FORMATS_DIR / f"{plan}.md") for plan in PLANS}


def test_every_plan_exists_in_every_format() -> None:
    assert PLANS, "fixtures/plans/formats is empty: run fixtures/generate.py"
    for plan in PLANS:
        for fmt in FORMATS:
            assert (FORMATS_DIR / f"{plan}.{fmt}").is_file(), f"{plan}.{fmt} missing"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("plan", PLANS)
def test_format_gives_the_markdown_levels(plan: str, fmt: str, markdown_reports: dict[str, AuditReport]) -> None:
    report = audit(FORMATS_DIR / f"{plan}.{fmt}")
    assert report.document.format == fmt
    assert report.document.pages == markdown_reports[plan].document.pages
    assert _levels(report) == _levels(markdown_reports[plan])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("plan", PLANS)
def test_format_places_findings_on_the_same_page_and_section(
        plan: str, fmt: str, markdown_reports: dict[str, AuditReport]) -> None:
    report = audit(FORMATS_DIR / f"{plan}.{fmt}")
    assert _placed(report) == _placed(markdown_reports[plan])


PRODUCERS_DIR = FORMATS_DIR.parent / "producers"
PRODUCED = sorted(path.name for path in PRODUCERS_DIR.iterdir() if path.suffix != ".md")


@pytest.mark.parametrize("name", PRODUCED)
def test_a_file_saved_by_libreoffice_audits_like_the_original(name: str, markdown_reports: dict[str, AuditReport]) -> None:
    plan = name.split(".", 1)[0]
    report = audit(PRODUCERS_DIR / name)
    original = markdown_reports[plan]
    assert _levels(report) == _levels(original)
    if report.document.pages is not None:
        assert report.document.pages == original.document.pages
        assert _placed(report) == _placed(original)
    else:
        assert Counter(finding.rule for finding in report.findings) == Counter(finding.rule for finding in original.findings)
