"""The ``table`` format (the default): a report for people reading a terminal.

Per document: the file as a heading, the plan's title, municipality, period, profile and
score with the verdict, a table of the criteria (level 0–2, score, weight), then each
finding (severity, rule, criterion, where, message, suggestion, quoted evidence), the
accepted findings in short with their reasons, a line on what ``--baseline`` left out, and
the notifications. Several documents follow one another, closed by a summary line. Norwegian
bokmål unless the context asks for English; every line fits in 100 columns.
"""
from __future__ import annotations

import textwrap

from tabulate import tabulate

from ..engine import ReportContext
from ..model import AuditReport, Finding, Notification
from ._common import (
    accepted_findings,
    baseline_line,
    criteria_headers,
    criteria_rows,
    finding_heading,
    header_fields,
    location_label,
    open_findings,
    quoted,
    severity_name,
    summary_line,
    suppression_label,
)

__all__ = ["WIDTH", "TableReporter"]

#: The widest line the table format writes.
WIDTH = 100
_INDENT = "    "


def _wrap(text: str, first: str = "", rest: str = "") -> str:
    return textwrap.fill(text, width=WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False)


def _heading(report: AuditReport, context: ReportContext) -> list[str]:
    title = _wrap(report.document.path)
    width = max(len(line) for line in title.splitlines())
    fields = header_fields(report, context)
    label_width = max(len(label) for label, _ in fields) + 2
    lines = [title, "=" * width]
    for label, value in fields:
        lines.append(_wrap(value, f"{label}:".ljust(label_width), " " * label_width))
    return lines


def _criteria_table(report: AuditReport, context: ReportContext) -> str:
    return tabulate(criteria_rows(report, context), headers=criteria_headers(context),
                    colalign=("left", "right", "right", "right"), disable_numparse=True,
                    maxcolwidths=[WIDTH - 40, None, None, None])


def _finding(finding: Finding, context: ReportContext) -> list[str]:
    lines = [_wrap(" · ".join(finding_heading(finding, context)), "  ", _INDENT),
             _wrap(finding.message, _INDENT, _INDENT)]
    if finding.suggestion:
        suggestion = f"{context.t('Forslag', 'Suggestion')}: {finding.suggestion}"
        lines.append(_wrap(suggestion, _INDENT, _INDENT))
    if finding.evidence:
        lines.append(_wrap(quoted(finding.evidence, context), _INDENT, _INDENT + " "))
    return lines


def _findings(report: AuditReport, context: ReportContext) -> list[str]:
    shown = open_findings(report)
    if not shown:
        lines = [context.t("Ingen funn.", "No findings.")]
    else:
        lines = [f"{context.t('Funn', 'Findings')} ({len(shown)}):"]
        for finding in shown:
            lines.extend(_finding(finding, context))
    return [*lines, *_accepted(report, context), *_baseline(report, context)]


def _accepted(report: AuditReport, context: ReportContext) -> list[str]:
    """The accepted findings in two lines each: what and where, then the reason."""
    accepted = accepted_findings(report)
    if not accepted:
        return []
    lines = ["", f"{context.t('Godtatte funn', 'Accepted findings')} ({len(accepted)}):"]
    for finding in accepted:
        parts = [finding.rule, context.title(finding.criterion), location_label(finding.location, context)]
        if finding.evidence:
            parts.append(quoted(finding.evidence, context, limit=60))
        lines.append(_wrap(" · ".join(part for part in parts if part), "  ", _INDENT))
        lines.append(_wrap(suppression_label(finding, context), _INDENT, _INDENT))
    return lines


def _baseline(report: AuditReport, context: ReportContext) -> list[str]:
    line = baseline_line(report, context)
    return ["", _wrap(line)] if line else []


def _notification(note: Notification, context: ReportContext) -> str:
    return _wrap(f"{severity_name(note.level, context)}: {note.message}", "  ", _INDENT)


def _notifications(report: AuditReport, context: ReportContext) -> list[str]:
    if not report.notifications:
        return []
    title = f"{context.t('Merknader', 'Notifications')} ({len(report.notifications)}):"
    return ["", title, *(_notification(note, context) for note in report.notifications)]


def _section(report: AuditReport, context: ReportContext) -> str:
    lines = [*_heading(report, context), "", _criteria_table(report, context), "",
             *_findings(report, context), *_notifications(report, context)]
    return "\n".join(lines)


class TableReporter:
    name = "table"
    extension = ".txt"

    def render(self, reports: list[AuditReport], context: ReportContext) -> str:
        if not reports:
            return context.t("Ingen dokumenter å vise.", "No documents to show.") + "\n"
        sections = [_section(report, context) for report in reports]
        if len(reports) > 1:
            sections.append(_wrap(summary_line(reports, context)))
        return "\n\n".join(sections) + "\n"
