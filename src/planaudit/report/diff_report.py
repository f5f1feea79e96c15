"""``planaudit diff`` written out: text for the terminal, JSON for tools, HTML to keep or send.

All three say the same: the two versions and their scores, the criteria whose level or
score changed (up or down, in words as well as arrows, so that nothing rests on colour or a
symbol alone), the findings fixed since the old version and the new ones, each with rule,
criterion, where it is and the quoted plan text, and how many stayed as they were.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable

from ..engine import CriterionChange, ReportContext, ReportDiff
from ..model import AuditReport, CriterionScore, Finding
from ._common import dump_json, location_label, period_label, quoted, severity_name, verdict
from ._html import esc, page

__all__ = ["DIFF_FORMATS", "change_label", "render_diff", "render_html", "render_json", "render_text"]

#: The ``--format`` names of ``planaudit diff``.
DIFF_FORMATS = ("text", "json", "html")

_ARROWS = {"up": "↑", "down": "↓", "same": "=", "added": "+", "removed": "−"}
_WORDS = {"up": ("opp", "up"), "down": ("ned", "down"), "same": ("uendret", "unchanged"),
          "added": ("ny", "new"), "removed": ("fjernet", "removed")}
_MISSING = "–"
#: The widest line of the text form, as in the table format.
_WIDTH = 100
_INDENT = "    "


def render_diff(diff: ReportDiff, fmt: str, context: ReportContext) -> str:
    """The diff in one of :data:`DIFF_FORMATS`."""
    if fmt == "json":
        return render_json(diff)
    if fmt == "html":
        return render_html(diff, context)
    return render_text(diff, context)


def render_json(diff: ReportDiff) -> str:
    return dump_json(diff.to_dict())


def change_label(change: CriterionChange, context: ReportContext) -> str:
    """``↑ opp`` / ``↓ down``: the arrow and the word."""
    nb, en = _WORDS[change.change]
    return f"{_ARROWS[change.change]} {context.t(nb, en)}"


def _level(score: CriterionScore | None) -> str:
    return _MISSING if score is None else f"{score.level} ({score.score})"


def _document_name(report: AuditReport) -> str:
    return report.plan.title or report.document.path


def _score_line(diff: ReportDiff, context: ReportContext) -> str:
    old, new = diff.old, diff.new
    line = f"{context.t('Poengsum', 'Score')}: {old.score} → {new.score} ({diff.score_change:+d})"
    return f"{line}; {verdict(old.passed, context)} → {verdict(new.passed, context)}"


def _notes(diff: ReportDiff, context: ReportContext) -> list[str]:
    """What makes the comparison less than like for like."""
    notes = []
    old, new = diff.old.plan.municipality, diff.new.plan.municipality
    if old and new and old != new:
        notes.append(context.t(f"Merk: planene er fra ulike kommuner ({old} og {new}), ikke to versjoner av én plan.",
                               f"Note: the plans are from different municipalities ({old} and {new}), "
                               "not two versions of one plan."))
    if diff.old.profile != diff.new.profile:
        notes.append(context.t(
            f"Merk: versjonene er vurdert med ulike profiler ({diff.old.profile} og {diff.new.profile}).",
            f"Note: the versions were assessed under different profiles ({diff.old.profile} and {diff.new.profile})."))
    return notes


def _finding_parts(finding: Finding, context: ReportContext) -> list[str]:
    """Severity, rule, criterion title and, when known, where."""
    where = location_label(finding.location, context)
    parts = [severity_name(finding.severity, context), finding.rule, context.title(finding.criterion)]
    return [*parts, where] if where else parts


# --- text ---------------------------------------------------------------------------------------


def _wrap(text: str, first: str, rest: str) -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)


def render_text(diff: ReportDiff, context: ReportContext) -> str:
    labels = [f"{context.t('Før', 'Old')}:", f"{context.t('Nå', 'New')}:"]
    width = max(len(label) for label in labels) + 1
    lines = [context.t("Endringer mellom to versjoner", "Changes between two versions"),
             *(_wrap(report.document.path, "  " + label.ljust(width), " " * (width + 2))
               for label, report in zip(labels, (diff.old, diff.new))),
             _score_line(diff, context), *(_wrap(note, "", "") for note in _notes(diff, context)), ""]
    lines.extend(_criteria_text(diff, context))
    for heading, findings in _finding_groups(diff, context):
        none = f" {context.t('ingen', 'none')}." if not findings else ""
        lines.extend(["", f"{heading} ({len(findings)}):{none}"])
        for finding in findings:
            lines.append(_wrap(" · ".join(_finding_parts(finding, context)), "  ", _INDENT))
            lines.append(_wrap(finding.message, _INDENT, _INDENT))
            if finding.evidence:
                lines.append(_wrap(quoted(finding.evidence, context), _INDENT, _INDENT + " "))
    lines.extend(["", context.t(f"Uendrede funn: {len(diff.unchanged)}.", f"Unchanged findings: {len(diff.unchanged)}.")])
    return "\n".join(lines) + "\n"


def _criteria_text(diff: ReportDiff, context: ReportContext) -> list[str]:
    changed = diff.changed_criteria
    if not changed:
        return [context.t("Ingen kriterier endret nivå eller poeng.", "No criterion changed level or score.")]
    rows = [(context.title(c.criterion), _level(c.old), _level(c.new), change_label(c, context)) for c in changed]
    header = (context.t("Kriterium", "Criterion"), context.t("Før", "Old"), context.t("Nå", "New"),
              context.t("Endring", "Change"))
    widths = [max(len(row[col]) for row in (header, *rows)) for col in range(4)]
    lines = [context.t(f"Kriterier som endret seg ({len(changed)} av {len(diff.criteria)}), nivå (poeng):",
                       f"Criteria that changed ({len(changed)} of {len(diff.criteria)}), level (score):")]
    for row in (header, *rows):
        lines.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return lines


def _finding_groups(diff: ReportDiff, context: ReportContext) -> list[tuple[str, tuple[Finding, ...]]]:
    return [(context.t("Rettet", "Fixed"), diff.fixed), (context.t("Nye funn", "New findings"), diff.added)]


# --- HTML ---------------------------------------------------------------------------------------


def render_html(diff: ReportDiff, context: ReportContext) -> str:
    title = context.t("Endringer mellom to versjoner", "Changes between two versions")
    body = [f"<h1>{esc(title)}</h1>", _versions_html(diff, context)]
    body.extend(f'<p class="muted">{esc(note)}</p>' for note in _notes(diff, context))
    body.append(_criteria_html(diff, context))
    for heading, findings in _finding_groups(diff, context):
        body.append(_findings_html(f"{heading} ({len(findings)})", findings, context))
    body.append(f"<p>{esc(context.t('Uendrede funn', 'Unchanged findings'))}: {len(diff.unchanged)}</p>")
    return page(f"{title}: {_document_name(diff.new)}", "\n".join(body), context.lang)


def _verdict_html(report: AuditReport, context: ReportContext) -> str:
    css = "" if report.passed is None else ' class="passed"' if report.passed else ' class="failed"'
    return f"<span{css}>{esc(verdict(report.passed, context))}</span>"


def _versions_html(diff: ReportDiff, context: ReportContext) -> str:
    """The two versions side by side: file, title, period, score and verdict."""
    caption = context.t("Versjonene som er sammenlignet", "The versions compared")
    rows: list[tuple[str, Callable[[AuditReport], str]]] = [
        (context.t("Fil", "File"), lambda r: esc(r.document.path)),
        (context.t("Tittel", "Title"), lambda r: esc(r.plan.title or _MISSING)),
        (context.t("Periode", "Period"), lambda r: esc(period_label(r.plan.period) or _MISSING)),
        (context.t("Poengsum", "Score"), lambda r: f"{r.score}/100"),
        (context.t("Resultat", "Result"), lambda r: _verdict_html(r, context)),
        (context.t("Funn", "Findings"), lambda r: str(len(r.findings))),
    ]
    head = (f'<tr><td></td><th scope="col">{esc(context.t("Før", "Old"))}</th>'
            f'<th scope="col">{esc(context.t("Nå", "New"))}</th></tr>')
    body = "".join(f'<tr><th scope="row">{esc(label)}</th><td>{cell(diff.old)}</td><td>{cell(diff.new)}</td></tr>'
                   for label, cell in rows)
    change = context.t(f"Poengsummen endret seg med {diff.score_change:+d}.",
                       f"The score changed by {diff.score_change:+d}.")
    return (f"<table>\n<caption>{esc(caption)}</caption>\n<thead>{head}</thead>\n<tbody>{body}</tbody>\n</table>\n"
            f"<p>{esc(change)}</p>")


def _criteria_html(diff: ReportDiff, context: ReportContext) -> str:
    """Every criterion, with the change written out; up and down also coloured."""
    heading = context.t("Kriterier", "Criteria")
    changed = len(diff.changed_criteria)
    caption = context.t(f"Nivå (0–2) og poeng før og nå; {changed} av {len(diff.criteria)} endret",
                        f"Level (0–2) and score, old and new; {changed} of {len(diff.criteria)} changed")
    columns = (context.t("Kriterium", "Criterion"), context.t("Før", "Old"), context.t("Nå", "New"),
               context.t("Endring", "Change"))
    head = "".join(f'<th scope="col">{esc(name)}</th>' for name in columns)
    rows = []
    for change in diff.criteria:
        css = {"up": "level-2", "down": "level-0"}.get(change.change)
        arrow, word = _ARROWS[change.change], context.t(*_WORDS[change.change])
        cell = f'<span aria-hidden="true">{esc(arrow)}</span> {esc(word)}'
        css_attr = f' class="{css}"' if css else ""
        rows.append(f'<tr><th scope="row">{esc(context.title(change.criterion))}</th>'
                    f"<td>{esc(_level(change.old))}</td><td>{esc(_level(change.new))}</td>"
                    f"<td{css_attr}>{cell}</td></tr>")
    return (f"<h2>{esc(heading)}</h2>\n<table>\n<caption>{esc(caption)}</caption>\n"
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")


def _findings_html(heading: str, findings: tuple[Finding, ...], context: ReportContext) -> str:
    if not findings:
        return f"<h2>{esc(heading)}</h2>\n<p>{esc(context.t('Ingen.', 'None.'))}</p>"
    items = []
    for finding in findings:
        parts = " · ".join(esc(part) for part in _finding_parts(finding, context))
        item = f"<li><p><strong>{parts}</strong></p>\n<p>{esc(finding.message)}</p>"
        if finding.evidence:
            item += f"\n<blockquote>{esc(quoted(finding.evidence, context, limit=400))}</blockquote>"
        items.append(item + "</li>")
    return f"<h2>{esc(heading)}</h2>\n<ul>\n" + "\n".join(items) + "\n</ul>"
