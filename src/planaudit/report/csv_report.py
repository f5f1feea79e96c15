"""The ``csv`` format: one row per finding, for spreadsheets and batch statistics.

Columns: ``file, municipality, rule, criterion, severity, page, section, message,
suggestion, evidence, suppressed``; ``suppressed`` holds the reason of an accepted finding
(a ``planaudit-godta`` marker or an ``[[accept]]`` entry) and is empty for the others, so
a filter on it gives the open findings. The header row keeps these English machine names, and ``rule``,
``criterion`` and ``severity`` hold ids (``PA003``, ``timeline``, ``warning``) whatever
the language, so a script can read any planaudit CSV; ``message`` and ``suggestion`` are in
the language of the run. Nothing follows the findings (no scores, no notifications): the
file stays rectangular. Text from the plan that starts like a spreadsheet formula
(``=``, ``+``, ``-``, ``@``) is prefixed with ``'`` so opening the file runs nothing.
"""
from __future__ import annotations

import csv
import io

from ..engine import ReportContext
from ..model import AuditReport, Finding

__all__ = ["COLUMNS", "CsvReporter"]

COLUMNS: tuple[str, ...] = (
    "file", "municipality", "rule", "criterion", "severity",
    "page", "section", "message", "suggestion", "evidence", "suppressed",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(report: AuditReport, finding: Finding) -> list[str]:
    page = finding.location.page
    return [
        _cell(report.document.path), _cell(report.plan.municipality), finding.rule,
        finding.criterion, finding.severity, "" if page is None else str(page),
        _cell(finding.location.section), _cell(finding.message), _cell(finding.suggestion),
        _cell(finding.evidence), _cell(finding.suppression.reason if finding.suppression else None),
    ]


class CsvReporter:
    name = "csv"
    extension = ".csv"

    def render(self, reports: list[AuditReport], context: ReportContext) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_row(report, finding) for report in reports for finding in report.findings)
        return buffer.getvalue()
