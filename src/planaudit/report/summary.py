"""The batch summary (``planaudit check --summary``): one row per plan, ranked by score.

Who reads it: a county governor or a Husbanken adviser comparing many municipalities'
plans, in a spreadsheet (CSV) or a browser (HTML). Each row holds the municipality, title,
period, overall score, the level (0–2) of every criterion, the verdict and the open
findings by severity. Plans are ranked by score, highest first, ties in file-path order;
equal scores share a rank (1, 2, 2, 4). Files that could not be audited are listed last
with the reason, so that none silently drops out of a comparison.

CSV headers and values are in the run's language (bokmål by default), unlike the
per-finding ``csv`` format, because this file is meant for people more than scripts. The
HTML summary is a static table (no script) whose rows link to each plan's own report.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..engine import ReportContext
from ..model import CRITERIA, AuditReport
from ._common import SEVERITIES, open_findings, period_label, summary_line, verdict
from ._html import esc, page

__all__ = ["BatchFailure", "Row", "rank", "render_csv", "render_html", "totals"]

# Text from a plan that starts like a spreadsheet formula gets a "'" so opening runs nothing
# (the same rule as the csv format).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class BatchFailure:
    """A file of the batch that could not be audited, and the one line that says why."""

    path: str
    message: str


@dataclass(frozen=True)
class Row:
    """A ranked plan: its rank (shared by equal scores) and its report."""

    rank: int
    report: AuditReport


@cache
def _labels() -> dict[str, Any]:
    text = (resources.files("planaudit.report") / "data" / "summary.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def rank(reports: Sequence[AuditReport]) -> list[Row]:
    """Reports by score (highest first), ties by file path; equal scores share a rank."""
    ordered = sorted(reports, key=lambda report: (-report.score, report.document.path))
    rows: list[Row] = []
    for position, report in enumerate(ordered, start=1):
        shared = rows and rows[-1].report.score == report.score
        rows.append(Row(rows[-1].rank if shared else position, report))
    return rows


def totals(reports: Sequence[AuditReport], failures: Sequence[BatchFailure], context: ReportContext) -> str:
    """One line over the batch: verdicts, mean score, findings, and how many files failed."""
    parts = [summary_line(reports, context)] if reports else []
    if failures:
        count = len(failures)
        parts.append(context.t(f"{count} {'fil' if count == 1 else 'filer'} kunne ikke revideres",
                               f"{count} {'file' if count == 1 else 'files'} could not be audited"))
    return "; ".join(parts)


def _criteria(reports: Sequence[AuditReport]) -> list[str]:
    """The twelve criteria, then any a rule pack added, by id."""
    extra = sorted({cid for report in reports for cid in report.criteria if cid not in CRITERIA})
    return [*CRITERIA, *extra]


def _short(criterion: str, context: ReportContext) -> str:
    names = _labels()["criteria"].get(criterion)
    return context.t(names["nb"], names["en"]) if names else context.title(criterion)


def _severity_counts(report: AuditReport) -> list[int]:
    counts = Counter(finding.severity for finding in open_findings(report))
    return [counts[severity] for severity in SEVERITIES]


def _headers(criteria: Sequence[str], context: ReportContext) -> list[str]:
    return [
        context.t("Rang", "Rank"), context.t("Kommune", "Municipality"), context.t("Tittel", "Title"),
        context.t("Periode", "Period"), context.t("Poengsum", "Score"), context.t("Resultat", "Result"),
        *(_short(criterion, context) for criterion in criteria),
        context.t("Åpne funn", "Open findings"), context.t("Funn: feil", "Findings: error"),
        context.t("Funn: advarsel", "Findings: warning"), context.t("Funn: info", "Findings: info"),
        context.t("Fil", "File"), context.t("Feilmelding", "Error message"),
    ]


def _failed(context: ReportContext) -> str:
    return context.t("feil", "error")


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(reports: Sequence[AuditReport], failures: Sequence[BatchFailure], context: ReportContext) -> str:
    """The summary as CSV: a header row, one row per plan by rank, then the failed files."""
    criteria = _criteria(reports)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_headers(criteria, context))
    for row in rank(reports):
        report = row.report
        levels = [str(report.criteria[c].level) if c in report.criteria else "" for c in criteria]
        counts = _severity_counts(report)
        writer.writerow([
            row.rank, _cell(report.plan.municipality), _cell(report.plan.title), period_label(report.plan.period),
            report.score, verdict(report.passed, context), *levels, sum(counts), *counts,
            _cell(report.document.path), "",
        ])
    blank = [""] * (len(criteria) + 4)
    for failure in failures:
        writer.writerow(["", "", "", "", "", _failed(context), *blank, _cell(failure.path), _cell(failure.message)])
    return buffer.getvalue()


# --- HTML -----------------------------------------------------------------------------------


def render_html(reports: Sequence[AuditReport], failures: Sequence[BatchFailure], context: ReportContext,
                links: Mapping[str, str] | None = None) -> str:
    """The summary as one HTML page; ``links`` maps a document path to the (relative)
    address of that plan's own report, which the plan's title then links to."""
    count = len(reports) + len(failures)
    title = context.t(f"Oversikt over {count} planer", f"Summary of {count} plans")
    parts = [f"<h1>{esc(title)}</h1>"]
    parts.append(f"<p>{esc(totals(reports, failures, context))}</p>")
    if reports:
        parts.append(_legend(context))
        parts.append(_ranking_table(reports, context, links or {}))
    if failures:
        parts.append(_failure_table(failures, context))
    parts.append('<p class="muted">' + esc(context.t(
        f"Laget med planaudit {context.tool_version}.", f"Made with planaudit {context.tool_version}.")) + "</p>")
    return page(title, "\n".join(parts), context.lang)


def _legend(context: ReportContext) -> str:
    return "<p>" + esc(context.t(
        "Nivå per kriterium: 0 = mangler, 1 = delvis oppfylt, 2 = oppfylt; – = ikke vurdert.",
        "Level per criterion: 0 = missing, 1 = partly met, 2 = met; – = not assessed.")) + "</p>"


def _ranking_table(reports: Sequence[AuditReport], context: ReportContext, links: Mapping[str, str]) -> str:
    criteria = _criteria(reports)
    caption = context.t("Planene rangert etter samlet poengsum, høyest først",
                        "The plans ranked by overall score, highest first")
    score = esc(context.t("Poengsum", "Score")) + '<span aria-hidden="true"> ▼</span>'
    head = [
        f'<th scope="col" class="num">{esc(context.t("Rang", "Rank"))}</th>',
        f'<th scope="col">{esc(context.t("Plan", "Plan"))}</th>',
        f'<th scope="col">{esc(context.t("Kommune", "Municipality"))}</th>',
        f'<th scope="col">{esc(context.t("Periode", "Period"))}</th>',
        f'<th scope="col" class="num" aria-sort="descending">{score}</th>',
        f'<th scope="col">{esc(context.t("Resultat", "Result"))}</th>',
        *(_criterion_header(criterion, context) for criterion in criteria),
        f'<th scope="col" class="num">{esc(context.t("Åpne funn", "Open findings"))}</th>',
    ]
    body = [_ranking_row(row, criteria, context, links) for row in rank(reports)]
    return ('<div class="wide" role="region" aria-labelledby="summary-caption" tabindex="0">\n<table>\n'
            f'<caption id="summary-caption">{esc(caption)}</caption>\n'
            f"<thead>\n<tr>{''.join(head)}</tr>\n</thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n</div>")


def _criterion_header(criterion: str, context: ReportContext) -> str:
    """A criterion's short name written upwards, so that fourteen level columns stay narrow;
    the full title is the abbreviation's expansion."""
    return (f'<th scope="col" class="upright"><span><abbr title="{esc(context.title(criterion))}">'
            f"{esc(_short(criterion, context))}</abbr></span></th>")


def _ranking_row(row: Row, criteria: Sequence[str], context: ReportContext, links: Mapping[str, str]) -> str:
    report = row.report
    name = report.plan.title or report.document.path
    href = links.get(report.document.path)
    plan = f'<a href="{esc(href)}">{esc(name)}</a>' if href else esc(name)
    plan += f'<br><small class="muted path">{esc(report.document.path)}</small>'
    status = "passed" if report.passed else "failed" if report.passed is False else "muted"
    findings = sum(_severity_counts(report))
    cells = [
        f'<td class="num">{row.rank}</td>',
        f'<th scope="row">{plan}</th>',
        f"<td>{esc(report.plan.municipality or '–')}</td>",
        f'<td class="period">{esc(period_label(report.plan.period) or "–")}</td>',
        f'<td class="num">{report.score}</td>',
        f'<td class="{status}">{esc(verdict(report.passed, context))}</td>',
        *(_level_cell(report, criterion) for criterion in criteria),
        f'<td class="num">{findings}</td>',
    ]
    return f"<tr>{''.join(cells)}</tr>"


def _level_cell(report: AuditReport, criterion: str) -> str:
    score = report.criteria.get(criterion)
    if score is None:
        return '<td class="level-none muted">–</td>'
    return f'<td class="level-{score.level}">{score.level}</td>'


def _failure_table(failures: Sequence[BatchFailure], context: ReportContext) -> str:
    heading = context.t("Filer som ikke kunne revideres", "Files that could not be audited")
    rows = "\n".join(
        f'<tr><th scope="row">{esc(failure.path)}</th><td class="failed">{esc(_failed(context))}</td>'
        f"<td>{esc(failure.message)}</td></tr>" for failure in failures)
    caption = context.t("Filene og hvorfor de ikke kunne leses", "The files and why they could not be read")
    return (f"<h2>{esc(heading)}</h2>\n<table>\n<caption>{esc(caption)}</caption>\n<thead>\n<tr>"
            f'<th scope="col">{esc(context.t("Fil", "File"))}</th>'
            f'<th scope="col">{esc(context.t("Status", "Status"))}</th>'
            f'<th scope="col">{esc(context.t("Feilmelding", "Error message"))}</th>'
            f"</tr>\n</thead>\n<tbody>\n{rows}\n</tbody>\n</table>")
