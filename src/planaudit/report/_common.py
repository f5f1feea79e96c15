"""Small helpers the reporters share: labels in the user's language, locations, counts.

Everything here turns one piece of an :class:`AuditReport` into text; the layout of a
whole report belongs to each reporter's own module.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..engine import ReportContext
from ..model import CRITERIA, AuditReport, CriterionScore, Finding, FindingLocation, Severity

__all__ = [
    "SEVERITIES",
    "accepted_findings",
    "baseline_line",
    "criteria_headers",
    "criteria_rows",
    "dump_json",
    "finding_heading",
    "header_fields",
    "location_label",
    "number",
    "open_findings",
    "ordered_criteria",
    "period_label",
    "quoted",
    "section_parts",
    "severity_name",
    "shorten",
    "summary_line",
    "suppression_label",
    "verdict",
]

#: Severities from the worst down; also the order of the counts in a summary.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

_SEVERITY_NB = {"error": "feil", "warning": "advarsel", "info": "info"}
_SEVERITY_PLURAL = {"error": ("feil", "errors"), "warning": ("advarsler", "warnings"),
                    "info": ("info", "info")}
_SECTION_SEPARATOR = " > "
_MISSING = "–"


def dump_json(data: Any) -> str:
    """Deterministic JSON: sorted keys, UTF-8 text as is, two-space indent, final newline."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def severity_name(severity: str, context: ReportContext) -> str:
    """``feil``/``advarsel``/``info`` in bokmål, the machine name in English."""
    return context.t(_SEVERITY_NB.get(severity, severity), severity)


def section_parts(section: str | None) -> list[str]:
    """A finding's section path (joined with `` > ``) as its headings, outermost first."""
    return [part.strip() for part in section.split(_SECTION_SEPARATOR)] if section else []


def location_label(location: FindingLocation, context: ReportContext) -> str:
    """Where a finding is, e.g. ``s. 14, 4.2 Tiltak`` (``p. 14, ...`` in English); "" if unknown.

    The line is shown only when the page is unknown (text input has lines, not pages).
    """
    parts: list[str] = []
    if location.page is not None:
        parts.append(f"{context.t('s.', 'p.')} {location.page}" + (" (OCR)" if location.ocr else ""))
    elif location.line is not None:
        parts.append(f"{context.t('linje', 'line')} {location.line}")
    if location.section:
        parts.append(location.section)
    return ", ".join(parts)


def finding_heading(finding: Finding, context: ReportContext) -> list[str]:
    """What a finding's first line names: severity, rule, criterion title and, if known, where."""
    where = location_label(finding.location, context)
    parts = [severity_name(finding.severity, context), finding.rule, context.title(finding.criterion)]
    return [*parts, where] if where else parts


def shorten(text: str, limit: int = 160) -> str:
    """The text on one line, cut at a word boundary with "…" when longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def quoted(text: str, context: ReportContext, limit: int = 160) -> str:
    """Quoted plan text, shortened: «...» in bokmål, “...” in English."""
    inner = shorten(text, limit)
    return context.t(f"«{inner}»", f"“{inner}”")


def number(value: float, context: ReportContext) -> str:
    """A weight or other decimal, with a decimal comma in bokmål (``1,5``)."""
    text = f"{value:g}"
    return context.t(text.replace(".", ","), text)


def period_label(period: tuple[int, int] | None) -> str:
    if period is None:
        return ""
    start, end = period
    return str(start) if start == end else f"{start}–{end}"


def verdict(passed: bool | None, context: ReportContext) -> str:
    if passed is None:
        return context.t("ingen grense", "no threshold")  # a profile without a pass score
    return context.t("bestått", "passed") if passed else context.t("ikke bestått", "failed")


def header_fields(report: AuditReport, context: ReportContext) -> list[tuple[str, str]]:
    """The lines under a document's heading: label and value, "–" where unknown."""
    plan = report.plan
    return [
        (context.t("Tittel", "Title"), plan.title or _MISSING),
        (context.t("Kommune", "Municipality"), plan.municipality or _MISSING),
        (context.t("Periode", "Period"), period_label(plan.period) or _MISSING),
        (context.t("Profil", "Profile"), report.profile),
        (context.t("Poengsum", "Score"), f"{report.score}/100, {verdict(report.passed, context)}"),
    ]


def ordered_criteria(report: AuditReport) -> list[tuple[str, CriterionScore]]:
    """The report's criteria in the rubric's order, then any a plugin added, by id."""
    known = [(cid, report.criteria[cid]) for cid in CRITERIA if cid in report.criteria]
    extra = sorted((cid, score) for cid, score in report.criteria.items() if cid not in CRITERIA)
    return known + extra


def criteria_headers(context: ReportContext) -> list[str]:
    return [context.t("Kriterium", "Criterion"), context.t("Nivå (0–2)", "Level (0–2)"),
            context.t("Poeng", "Score"), context.t("Vekt", "Weight")]


def criteria_rows(report: AuditReport, context: ReportContext) -> list[list[str]]:
    """One row per criterion: title, level, score, weight (all as text)."""
    return [[context.title(cid), str(score.level), str(score.score), number(score.weight, context)]
            for cid, score in ordered_criteria(report)]


def open_findings(report: AuditReport) -> list[Finding]:
    """The findings nobody accepted: those a report lists as findings."""
    return [finding for finding in report.findings if finding.suppression is None]


def accepted_findings(report: AuditReport) -> list[Finding]:
    """The findings accepted with a reason, in a marker or the configuration."""
    return [finding for finding in report.findings if finding.suppression is not None]


def suppression_label(finding: Finding, context: ReportContext) -> str:
    """Why a finding is accepted and where that was said: "Begrunnelse: ... (side 4)"."""
    suppression = finding.suppression
    if suppression is None:
        return ""
    where = suppression.source or context.t("konfigurasjonen", "the configuration")
    return f"{context.t('Begrunnelse', 'Reason')}: {suppression.reason} ({where})"


def baseline_line(report: AuditReport, context: ReportContext) -> str | None:
    """One line on what --baseline left out, or None when it was not used."""
    summary = report.baseline
    if summary is None:
        return None
    if not summary.in_baseline:
        return context.t("Grunnlinjen har ingen rapport for dette dokumentet; alle funn vises.",
                         "The baseline has no report for this document; all findings are shown.")
    return context.t(
        f"Grunnlinje: {summary.unchanged} funn fra før vises ikke, {summary.fixed} er rettet.",
        f"Baseline: {summary.unchanged} earlier {'finding' if summary.unchanged == 1 else 'findings'} not shown, "
        f"{summary.fixed} fixed.")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _severity_counts(findings: Iterable[Finding], context: ReportContext) -> str:
    counts = Counter(finding.severity for finding in findings)
    parts = []
    for severity in SEVERITIES:
        nb_many, en_many = _SEVERITY_PLURAL[severity]
        parts.append(_plural(counts[severity], context.t(_SEVERITY_NB[severity], severity),
                             context.t(nb_many, en_many)))
    return ", ".join(parts)


def summary_line(reports: Sequence[AuditReport], context: ReportContext) -> str:
    """One line over several documents: verdicts, mean score, findings by severity (those
    not accepted), how many were accepted, notifications."""
    passed = sum(1 for report in reports if report.passed)
    failed = sum(1 for report in reports if report.passed is False)
    mean = round(sum(report.score for report in reports) / len(reports)) if reports else 0
    findings = [finding for report in reports for finding in open_findings(report)]
    accepted = sum(len(accepted_findings(report)) for report in reports)
    notes = sum(len(report.notifications) for report in reports)
    parts = [
        _plural(len(reports), context.t("dokument", "document"), context.t("dokumenter", "documents"))
        + f": {passed} {verdict(True, context)}, {failed} {verdict(False, context)}",
        context.t(f"gjennomsnittlig poengsum {mean}/100", f"mean score {mean}/100"),
        _plural(len(findings), context.t("funn", "finding"), context.t("funn", "findings"))
        + f" ({_severity_counts(findings, context)})",
    ]
    if accepted:
        parts.append(context.t(f"{accepted} godtatt", f"{accepted} accepted"))
    parts.append(_plural(notes, context.t("merknad", "notification"), context.t("merknader", "notifications")))
    return "; ".join(parts)
