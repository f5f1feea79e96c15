"""The ``markdown`` format: the table report as Markdown, for wikis, issues and e-mail.

Headings per document, a pipe table of the criteria, findings as a list with the quoted
plan text in block quotes, the accepted findings with their reasons, a line on what
``--baseline`` left out, the notifications, and for several documents a summary. Text
taken from the plan or a plugin is escaped, so it cannot add headings, links or HTML.
"""
from __future__ import annotations

import re

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

__all__ = ["MarkdownReporter", "escape"]

#: Characters that start emphasis, code, links, HTML, headings or table cells anywhere.
_SPECIAL = re.compile(r"([\\`*_\[\]<#|~])")
#: What starts a list, block quote, rule or setext underline at the beginning of a line.
_BLOCK_START = re.compile(r"^(?:[-+=>]|\d+[.)](?=\s|$))")


def escape(text: str) -> str:
    """Inline text on one line, with Markdown's punctuation backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _paragraph(text: str) -> str:
    """Escaped text that begins a line: it cannot start a list, heading or rule either."""
    text = escape(text)
    start = _BLOCK_START.match(text)
    if start is None:
        return text
    marker = start.group(0)
    return f"{marker[:-1]}\\{marker[-1]}{text[len(marker):]}"


def _pipe_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM pipe table: the first column left-aligned, the others (numbers) right."""
    alignment = ["---", *(["---:"] * (len(headers) - 1))]
    escaped = [[escape(cell) for cell in row] for row in (headers, *rows)]
    return ["| " + " | ".join(cells) + " |" for cells in (escaped[0], alignment, *escaped[1:])]


def _finding(finding: Finding, context: ReportContext) -> list[str]:
    severity, *rest = (escape(part) for part in finding_heading(finding, context))
    lines = ["- " + " · ".join([f"**{severity}**", *rest]), "", f"  {_paragraph(finding.message)}"]
    if finding.suggestion:
        lines += ["", f"  *{context.t('Forslag', 'Suggestion')}:* {escape(finding.suggestion)}"]
    if finding.evidence:
        lines += ["", f"  > {escape(quoted(finding.evidence, context))}"]
    return [*lines, ""]


def _accepted(report: AuditReport, context: ReportContext) -> list[str]:
    accepted = accepted_findings(report)
    if not accepted:
        return []
    lines = [f"### {context.t('Godtatte funn', 'Accepted findings')} ({len(accepted)})", ""]
    for finding in accepted:
        parts = [finding.rule, context.title(finding.criterion), location_label(finding.location, context)]
        if finding.evidence:
            parts.append(quoted(finding.evidence, context, limit=60))
        lines.append("- " + " · ".join(escape(part) for part in parts if part)
                     + f" — {escape(suppression_label(finding, context))}")
    return [*lines, ""]


def _notification(note: Notification, context: ReportContext) -> str:
    return f"- **{escape(severity_name(note.level, context))}**: {escape(note.message)}"


def _section(report: AuditReport, context: ReportContext) -> list[str]:
    lines = [f"## {escape(report.document.path)}", ""]
    lines += [f"- **{escape(label)}:** {escape(value)}" for label, value in header_fields(report, context)]
    lines += ["", f"### {context.t('Kriterier', 'Criteria')}", ""]
    lines += [*_pipe_table(criteria_headers(context), criteria_rows(report, context)), ""]
    shown = open_findings(report)
    lines += [f"### {context.t('Funn', 'Findings')} ({len(shown)})", ""]
    if not shown:
        lines += [context.t("Ingen funn.", "No findings."), ""]
    for finding in shown:
        lines += _finding(finding, context)
    lines += _accepted(report, context)
    baseline = baseline_line(report, context)
    if baseline:
        lines += [_paragraph(baseline), ""]
    if report.notifications:
        title = f"### {context.t('Merknader', 'Notifications')} ({len(report.notifications)})"
        lines += [title, "", *(_notification(note, context) for note in report.notifications), ""]
    return lines


class MarkdownReporter:
    name = "markdown"
    extension = ".md"

    def render(self, reports: list[AuditReport], context: ReportContext) -> str:
        lines = [f"# {context.t('Revisjonsrapport fra planaudit', 'planaudit audit report')}", ""]
        if not reports:
            lines += [context.t("Ingen dokumenter å vise.", "No documents to show."), ""]
        for report in reports:
            lines += _section(report, context)
        if len(reports) > 1:
            summary = escape(summary_line(reports, context))
            lines += [f"## {context.t('Oppsummering', 'Summary')}", "", summary, ""]
        return "\n".join(lines).rstrip("\n") + "\n"
