"""The ``html`` format: one self-contained page to open offline, read on screen and print.

For each plan: the title and facts, a summary (overall score, pass or fail under the
profile, findings by severity), a bar chart of the criteria with the same numbers in a
table after it, then per criterion its level, the plan text that decided it and its
findings (where, the quoted text, the suggestion). The statutory criteria that do not count
in the score come after, in their own group; then accepted findings with their reasons and
the notifications. Several plans make one page with a table of contents and a part per plan.

Everything taken from the plan or a plugin is escaped. The page has no script and fetches
nothing; the same reports give the same bytes (no date, nothing random).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath

from ..engine import ReportContext
from ..model import CRITERIA, AuditReport, CriterionScore, Finding, Notification
from ._chart import Bar, bar_chart
from ._common import (
    SEVERITIES,
    accepted_findings,
    baseline_line,
    location_label,
    number,
    open_findings,
    ordered_criteria,
    period_label,
    severity_name,
    summary_line,
    suppression_label,
    verdict,
)
from ._html import esc, page

__all__ = ["HtmlReporter"]

_MISSING = "–"
_LEVEL_WORDS = {0: ("ikke oppfylt", "not met"), 1: ("delvis oppfylt", "partly met"), 2: ("oppfylt", "met")}
_SEVERITY_TITLES = {"error": ("Feil", "Errors"), "warning": ("Advarsler", "Warnings"), "info": ("Info", "Info")}
#: A quote longer than this is cut; the plan itself has the rest.
_QUOTE_LIMIT = 600
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")

Criterion = tuple[str, CriterionScore]


class _Part:
    """Where a plan's part goes: its heading level and the prefix that keeps its ids unique."""

    def __init__(self, level: int, prefix: str) -> None:
        self.level = level
        self.prefix = prefix

    def heading(self, depth: int, text: str, anchor: str = "") -> str:
        tag = f"h{self.level + depth}"
        ident = f' id="{esc(self.anchor(anchor))}"' if anchor else ""
        return f"<{tag}{ident}>{esc(text)}</{tag}>"

    def anchor(self, name: str) -> str:
        return self.prefix + _UNSAFE_ID.sub("-", name)


def _plan_title(report: AuditReport) -> str:
    return report.plan.title or PurePath(report.document.path).name


def _verdict(passed: bool | None, context: ReportContext) -> tuple[str, str]:
    """The verdict in words and its CSS class."""
    css = "no-threshold" if passed is None else "passed" if passed else "failed"
    return verdict(passed, context), css


def _level_text(level: int, context: ReportContext) -> str:
    nb, en = _LEVEL_WORDS.get(level, ("", ""))
    return context.t(f"Nivå {level} av 2 ({nb})", f"Level {level} of 2 ({en})")


def _groups(report: AuditReport) -> tuple[list[Criterion], list[Criterion]]:
    """The scored criteria, and the statutory ones a pack shows with weight 0."""
    scored: list[Criterion] = []
    statutory: list[Criterion] = []
    for cid, score in ordered_criteria(report):
        (statutory if cid not in CRITERIA and score.weight == 0 else scored).append((cid, score))
    return scored, statutory


def _facts(report: AuditReport, context: ReportContext) -> str:
    document = report.document
    pages = str(document.pages) if document.pages is not None else _MISSING
    rows = [
        (context.t("Kommune", "Municipality"), report.plan.municipality or _MISSING),
        (context.t("Periode", "Period"), period_label(report.plan.period) or _MISSING),
        (context.t("Fil", "File"), document.path),
        (context.t("Sider", "Pages"), pages),
        (context.t("Språk", "Language"), document.language or _MISSING),
        (context.t("Profil", "Profile"), report.profile),
    ]
    items = "".join(f"<div><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>" for label, value in rows)
    return f'<dl class="facts">{items}</dl>'


def _counts(report: AuditReport, context: ReportContext) -> str:
    counts = Counter(finding.severity for finding in open_findings(report))
    rows = [(context.t(*_SEVERITY_TITLES[severity]), counts[severity]) for severity in SEVERITIES]
    rows.append((context.t("Godtatte funn", "Accepted findings"), len(accepted_findings(report))))
    items = "".join(f"<div><dt>{esc(label)}</dt><dd>{count}</dd></div>" for label, count in rows)
    return f'<dl class="counts">{items}</dl>'


def _summary(report: AuditReport, context: ReportContext, part: _Part) -> list[str]:
    words, css = _verdict(report.passed, context)
    score = (f'<p class="score">{esc(context.t("Samlet poengsum", "Overall score"))}: '
             f'<strong class="score-value">{report.score}/100</strong> '
             f'<span class="verdict {css}">{esc(words)}</span> '
             f'<span class="muted">({esc(context.t("profil", "profile"))} {esc(report.profile)})</span></p>')
    parts = [part.heading(1, context.t("Sammendrag", "Summary"), "summary"), score, _counts(report, context)]
    baseline = baseline_line(report, context)
    if baseline:
        parts.append(f'<p class="baseline">{esc(baseline)}</p>')
    return parts


def _criteria_table(rows: Sequence[Criterion], caption: str, context: ReportContext) -> str:
    head = [context.t("Kriterium", "Criterion"), context.t("Nivå (0–2)", "Level (0–2)"),
            context.t("Poeng", "Score"), context.t("Vekt", "Weight")]
    numeric = ' class="num"'
    header = "".join(f'<th scope="col"{numeric if i else ""}>{esc(text)}</th>' for i, text in enumerate(head))
    body = []
    for cid, score in rows:
        words = context.t(*_LEVEL_WORDS.get(score.level, ("", "")))
        body.append(
            f'<tr><th scope="row">{esc(context.title(cid))}</th>'
            f'<td class="num level-{score.level}">{score.level} ({esc(words)})</td>'
            f'<td class="num">{score.score}</td><td class="num">{esc(number(score.weight, context))}</td></tr>')
    return (f'<table class="criteria"><caption>{esc(caption)}</caption>'
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _chart(rows: Sequence[Criterion], context: ReportContext, part: _Part) -> str:
    level = context.t("nivå", "level")
    bars = [Bar(context.title(cid), score.score, f"{score.score} · {level} {score.level}",
                f"level-{score.level}") for cid, score in rows]
    title = context.t("Poeng per kriterium (0–100)", "Score per criterion (0–100)")
    description = context.t("Tallene står også i tabellen under figuren.",
                            "The same numbers are in the table below the chart.")
    return f'<div class="chart-wrap">{bar_chart(bars, title, part.anchor("chart"), description)}</div>'


def _overview(rows: Sequence[Criterion], context: ReportContext, part: _Part) -> list[str]:
    caption = context.t("Nivå, poeng og vekt per kriterium", "Level, score and weight per criterion")
    return [part.heading(1, context.t("Kriterier", "Criteria"), "criteria"),
            _chart(rows, context, part), _criteria_table(rows, caption, context)]


def _muted(text: str) -> str:
    return f'<p class="muted">{esc(text)}</p>'


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1].rstrip() + "…"
    return f"<blockquote>{esc(text)}</blockquote>"


def _severity(severity: str, context: ReportContext) -> str:
    """The severity in words; its colour only repeats what the word says."""
    return f'<span class="severity severity-{esc(severity)}">{esc(severity_name(severity, context))}</span>'


def _finding(finding: Finding, context: ReportContext) -> str:
    where = location_label(finding.location, context) or context.t("uten plassering", "no location")
    head = (f'<p class="finding-head">{_severity(finding.severity, context)} · '
            f'<span class="rule">{esc(finding.rule)}</span> · <span class="where">{esc(where)}</span></p>')
    parts = [head, f'<p class="message">{esc(finding.message)}</p>']
    if finding.evidence:
        parts.append(_quote(finding.evidence))
    if finding.suggestion:
        parts.append(f'<p class="suggestion"><strong>{esc(context.t("Forslag", "Suggestion"))}:</strong> '
                     f"{esc(finding.suggestion)}</p>")
    return f'<li class="finding">{"".join(parts)}</li>'


def _findings(findings: Sequence[Finding], context: ReportContext) -> str:
    if not findings:
        return _muted(context.t("Ingen funn.", "No findings."))
    worst_first = sorted(findings, key=lambda finding: SEVERITIES.index(finding.severity))
    label = f"{context.t('Funn', 'Findings')} ({len(findings)})"
    items = "".join(_finding(finding, context) for finding in worst_first)
    return f'<p class="findings-label"><strong>{esc(label)}</strong></p><ol class="findings">{items}</ol>'


def _evidence(score: CriterionScore, context: ReportContext) -> str:
    if not score.evidence:
        return _muted(context.t("Ingen tekst fra planen er registrert som grunnlag.",
                                "No plan text was recorded as evidence."))
    label = context.t("Dette i planen avgjorde nivået", "What in the plan decided the level")
    items = "".join(f"<li>{esc(line)}</li>" for line in score.evidence)
    return f'<p class="evidence-label"><strong>{esc(label)}:</strong></p><ul class="evidence">{items}</ul>'


def _criterion(criterion: Criterion, findings: Sequence[Finding], context: ReportContext, part: _Part) -> str:
    cid, score = criterion
    level = f'<span class="level-{score.level}">{esc(_level_text(score.level, context))}</span>'
    facts = (f'<p class="criterion-level">{level}'
             f' · {esc(context.t("poeng", "score"))} {score.score}/100'
             f' · {esc(context.t("vekt", "weight"))} {esc(number(score.weight, context))}</p>')
    body = [part.heading(2, context.title(cid), f"c-{cid}"), facts, _evidence(score, context),
            _findings(findings, context)]
    return f'<section class="criterion">{"".join(body)}</section>'


def _details(rows: Sequence[Criterion], shown: Sequence[Finding], context: ReportContext,
             part: _Part) -> list[str]:
    return [_criterion(row, [f for f in shown if f.criterion == row[0]], context, part) for row in rows]


def _statutory(rows: Sequence[Criterion], shown: Sequence[Finding], context: ReportContext,
               part: _Part) -> list[str]:
    if not rows:
        return []
    note = context.t("Disse kriteriene vises, men teller ikke i samlet poengsum (vekt 0). Nivået er den svakeste "
                     "regelens, poengene snittet av reglene: ett lovkrav som mangler, gir nivå 0 selv med høy poengsum.",
                     "These criteria are shown but do not count in the overall score (weight 0). The level is the "
                     "weakest rule's, the score the rules' mean: one requirement missing gives level 0 even with a "
                     "high score.")
    caption = context.t("Lovkrav: nivå og poeng", "Legal requirements: level and score")
    return [part.heading(1, context.t("Lovkrav", "Legal requirements"), "statutory"),
            _muted(note), _criteria_table(rows, caption, context),
            *_details(rows, shown, context, part)]


def _others(report: AuditReport, shown: Sequence[Finding], context: ReportContext, part: _Part) -> list[str]:
    """Findings about a criterion the report does not score, so none is lost."""
    others = [finding for finding in shown if finding.criterion not in report.criteria]
    if not others:
        return []
    return [part.heading(1, context.t("Andre funn", "Other findings"), "other"), _findings(others, context)]


def _accepted(report: AuditReport, context: ReportContext, part: _Part) -> list[str]:
    accepted = accepted_findings(report)
    if not accepted:
        return []
    items = []
    for finding in accepted:
        where = location_label(finding.location, context)
        head = " · ".join(part_ for part_ in (finding.rule, context.title(finding.criterion), where) if part_)
        quote = _quote(finding.evidence) if finding.evidence else ""
        items.append(f'<li class="finding accepted"><p class="finding-head">{esc(head)}</p>'
                     f'<p class="message">{esc(finding.message)}</p>{quote}'
                     f'<p class="reason">{esc(suppression_label(finding, context))}</p></li>')
    title = f"{context.t('Godtatte funn', 'Accepted findings')} ({len(accepted)})"
    return [part.heading(1, title, "accepted"), f'<ol class="findings">{"".join(items)}</ol>']


def _notification(note: Notification, context: ReportContext) -> str:
    rule = f' <span class="rule">({esc(note.rule)})</span>' if note.rule else ""
    return f"<li>{_severity(note.level, context)}: {esc(note.message)}{rule}</li>"


def _notifications(report: AuditReport, context: ReportContext, part: _Part) -> list[str]:
    if not report.notifications:
        return []
    title = f"{context.t('Merknader', 'Notifications')} ({len(report.notifications)})"
    items = "".join(_notification(note, context) for note in report.notifications)
    return [part.heading(1, title, "notifications"), f'<ul class="notifications">{items}</ul>']


def _plan(report: AuditReport, context: ReportContext, part: _Part) -> str:
    scored, statutory = _groups(report)
    shown = open_findings(report)
    details_title = context.t("Vurdering per kriterium", "Assessment by criterion")
    parts = [
        part.heading(0, _plan_title(report), "plan"), _facts(report, context),
        *_summary(report, context, part), *_overview(scored, context, part),
        part.heading(1, details_title, "details"), *_details(scored, shown, context, part),
        *_statutory(statutory, shown, context, part), *_others(report, shown, context, part),
        *_accepted(report, context, part), *_notifications(report, context, part),
    ]
    return "\n".join(parts)


def _contents(reports: Sequence[AuditReport], context: ReportContext) -> str:
    items = []
    for index, report in enumerate(reports, start=1):
        words, _ = _verdict(report.passed, context)
        items.append(f'<li><a href="#p{index}-plan">{esc(_plan_title(report))}</a> '
                     f"<span class=\"muted\">– {report.score}/100, {esc(words)}</span></li>")
    label = context.t("Innhold", "Contents")
    return (f'<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">{esc(label)}</h2>'
            f'<ol>{"".join(items)}</ol></nav>')


def _footer(context: ReportContext) -> str:
    version = f" {context.tool_version}" if context.tool_version else ""
    return esc(context.t(
        f"Laget med planaudit{version}. Vurderingen er maskinell og bør leses sammen med planen.",
        f"Made with planaudit{version}. The assessment is automatic; read it with the plan."))


class HtmlReporter:
    name = "html"
    extension = ".html"

    def render(self, reports: list[AuditReport], context: ReportContext) -> str:
        if len(reports) == 1:
            title = _plan_title(reports[0])
            body = f'<article class="plan">{_plan(reports[0], context, _Part(1, ""))}</article>'
            return page(f"{title} – planaudit", body, context.lang, footer=_footer(context))
        heading = context.t("Revisjonsrapport fra planaudit", "planaudit audit report")
        parts = [f"<h1>{esc(heading)}</h1>"]
        if not reports:
            parts.append(f"<p>{esc(context.t('Ingen dokumenter å vise.', 'No documents to show.'))}</p>")
        else:
            overall = f'<p class="overall">{esc(summary_line(reports, context))}</p>'
            parts += [overall, _contents(reports, context)]
        for index, report in enumerate(reports, start=1):
            part = _Part(2, f"p{index}-")
            parts.append(f'<article class="plan">{_plan(report, context, part)}</article>')
        return page(heading, "\n".join(parts), context.lang, footer=_footer(context))
