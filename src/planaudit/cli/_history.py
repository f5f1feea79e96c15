"""``planaudit history``: past audits, newest first, and how a municipality's score moved;
``planaudit history show ID``: one stored report in any format; and what ``check
--save-history`` uses to store its reports.

SQLAlchemy and Alembic are imported inside the commands, never at module level, so
``planaudit check`` without ``--save-history`` starts without them.
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from tabulate import tabulate

from ..engine import ReportContext, version
from ..errors import UsageError
from ..model import AuditReport
from ..report._common import dump_json
from ._common import emit, guarded, load_settings, t

if TYPE_CHECKING:
    from ..history import AuditRecord, HistoryStore

__all__ = ["DATABASE", "history", "open_history", "save_reports"]

FORMATS = ("table", "json", "csv")
CSV_COLUMNS: tuple[str, ...] = (
    "id", "created", "municipality", "title", "period", "document_name", "document_sha256", "document_format",
    "pages", "profile", "score", "passed", "planaudit_version", "source", "has_document",
)
_BAR_WIDTH = 20
_TITLE_WIDTH = 40
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

DATABASE = click.option(
    "--database", metavar="URL", default=None,
    help="Historikkens database: sqlite:///FIL, postgresql://bruker@vert/database eller en filsti "
         "(standard: PLANAUDIT_DATABASE_URL, ellers historikk.sqlite3 i brukerens datamappe).")
_LANG = click.option("--lang", type=click.Choice(["nb", "en"]), default=None, help="Språk: nb (standard) eller en.")


def open_history(database: str | None) -> HistoryStore:
    """The history store, imported only now: SQLAlchemy is for the commands that use it."""
    from ..history import HistoryStore

    return HistoryStore.open(database)


def save_reports(store: HistoryStore, reports: list[AuditReport], lang: str) -> None:
    """``check --save-history``: each report stored (source "cli"); where, said on a terminal."""
    for report in reports:
        store.add(report, document_name=Path(report.document.path).name, source="cli")
    if reports and sys.stderr.isatty():  # standard output stays the report alone (-f json)
        click.echo("planaudit: " + t(lang, f"lagret {len(reports)} revisjon(er) i historikken ({store.url})",
                                     f"saved {len(reports)} audit(s) in the history ({store.url})"), err=True)


@click.group(name="history", invoke_without_command=True)
@click.option("--municipality", "-m", metavar="KOMMUNE", default=None,
              help="Bare revisjoner av denne kommunen («Storlia» og «Storlia kommune» er den samme), "
                   "og utviklingen i poengsum fra eldste til nyeste (endringen regnes bare mellom "
                   "revisjoner med samme profil).")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=50, show_default=True,
              help="Høyst så mange revisjoner (de nyeste).")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="table",
              help="Utformat: table (standard), json eller csv.")
@DATABASE
@_LANG
@click.pass_context
@guarded
def history(ctx: click.Context, municipality: str | None, limit: int, fmt: str, database: str | None,
            lang: str | None) -> None:
    """Vis tidligere revisjoner, nyeste først, og utviklingen i poengsum for en kommune.

    Revisjoner lagres av «planaudit check FIL --save-history» og av «planaudit serve».
    Historikken ligger i en SQLite-fil i brukerens datamappe, eller i databasen som
    --database eller miljøvariabelen PLANAUDIT_DATABASE_URL peker på (PostgreSQL eller SQLite).

    Eksempler: planaudit history -m Storlia;  planaudit history show ID --format html -o rapport.html
    """
    if ctx.invoked_subcommand is not None:  # the options reach "show" as its defaults
        ctx.obj = {"database": database, "lang": lang}
        return
    lang = lang or "nb"
    store = open_history(database)
    try:
        records = store.list(municipality=municipality, limit=limit)
        trend = store.trend(municipality)[-limit:] if municipality else []
    finally:
        store.close()
    click.echo(_render(records, trend, municipality, fmt, lang, store.url), nl=False)


@history.command(name="show")
@click.argument("audit_id", metavar="ID")
@click.option("--format", "-f", "fmt", default="table",
              help="Utformat: table (standard), json, markdown, html, sarif, csv.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Skriv rapporten til fil.")
@DATABASE
@_LANG
@click.pass_context
@guarded
def show(ctx: click.Context, audit_id: str, fmt: str, output: Path | None, database: str | None,
         lang: str | None) -> None:
    """Vis en lagret revisjon (ID fra «planaudit history») som rapport i valgfritt format."""
    parent: dict[str, Any] = ctx.obj or {}
    requested = lang or parent.get("lang")
    registry, config = load_settings(None, False, requested or "nb")
    lang = requested or config.get("lang", "nb")
    reporter = registry.reporter(fmt)
    store = open_history(database or parent.get("database"))
    try:
        report = store.report(audit_id.strip().lower())
    finally:
        store.close()
    if report is None:
        raise UsageError(audit_id, f"ingen revisjon med denne ID-en i historikken ({store.url})",
                         f"no audit with this id in the history ({store.url})")
    context = ReportContext(lang=lang, rules=tuple(registry.rule_infos()), tool_version=version(),
                            criterion_titles=registry.criterion_titles(lang))
    emit(reporter.render([report], context), output)


# --- rendering --------------------------------------------------------------------------------


def _render(records: list[AuditRecord], trend: list[AuditRecord], municipality: str | None, fmt: str,
            lang: str, where: str) -> str:
    if fmt == "json":
        listed = [record.model_dump(mode="json") for record in records]
        return dump_json(listed if municipality is None else
                         {"municipality": municipality, "audits": listed, "trend": _trend_json(trend)})
    if fmt == "csv":
        return _csv(records)
    return _table(records, trend, municipality, lang, where)


def _when(record: AuditRecord) -> str:
    """The audit's time on the user's clock."""
    return record.created.astimezone().strftime("%Y-%m-%d %H:%M")


def _passed(passed: bool | None, lang: str) -> str:
    return "–" if passed is None else t(lang, "ja" if passed else "nei", "yes" if passed else "no")


def _short(text: str | None, width: int) -> str:
    if not text:
        return "–"
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(records: list[AuditRecord], trend: list[AuditRecord], municipality: str | None, lang: str,
           where: str) -> str:
    if not records:
        if municipality:
            return t(lang, f"Ingen revisjoner av «{municipality}» i historikken ({where}).\n",
                     f"No audits of “{municipality}” in the history ({where}).\n")
        return t(lang, f"Ingen revisjoner i historikken ennå ({where}). Lagre med «planaudit check FIL "
                       "--save-history» eller last opp i «planaudit serve».\n",
                 f"No audits in the history yet ({where}). Save with “planaudit check FILE --save-history” "
                 "or upload in “planaudit serve”.\n")
    headers = [t(lang, "Dato", "Date"), t(lang, "Kommune", "Municipality"), "Plan", t(lang, "Profil", "Profile"),
               t(lang, "Poeng", "Score"), t(lang, "Bestått", "Passed"), "ID"]
    rows = [[_when(r), _short(r.municipality, 30), _short(r.title or r.document_name, _TITLE_WIDTH), r.profile,
             str(r.score), _passed(r.passed, lang), r.id] for r in records]
    heading = t(lang, f"Revisjoner i historikken, nyeste først ({where}):",
                f"Audits in the history, newest first ({where}):")
    parts = [heading, tabulate(rows, headers=headers, disable_numparse=True, colalign=_ALIGN)]
    if trend:
        parts.append(_trend_table(trend, municipality or "", lang))
    parts.append(t(lang, "Vis en rapport: planaudit history show ID", "Show a report: planaudit history show ID"))
    return "\n\n".join(parts) + "\n"


_ALIGN = ("left", "left", "left", "left", "right", "left", "left")


def _change(change: int | None) -> str:
    return "–" if change is None else f"{change:+d}"


def _bar(score: int) -> str:
    full = round(score * _BAR_WIDTH / 100)
    return "█" * full + "·" * (_BAR_WIDTH - full)


def _trend_table(trend: list[AuditRecord], municipality: str, lang: str) -> str:
    from ..history import score_changes

    rows = [[_when(record), record.profile, str(record.score), _change(change), _bar(record.score)]
            for record, change in zip(trend, score_changes(trend))]
    headers = [t(lang, "Dato", "Date"), t(lang, "Profil", "Profile"), t(lang, "Poeng", "Score"),
               t(lang, "Endring", "Change"), ""]
    table = tabulate(rows, headers=headers, disable_numparse=True,
                     colalign=("left", "left", "right", "right", "left"))
    heading = t(lang, f"Utvikling for {trend[-1].municipality or municipality}, eldste først:",
                f"Trend for {trend[-1].municipality or municipality}, oldest first:")
    return f"{heading}\n{table}\n{_trend_total(trend, lang)}"


def _trend_total(trend: list[AuditRecord], lang: str) -> str:
    """The overall change, per profile when the profile changed along the way."""
    from ..history import profile_series

    series = profile_series(trend)
    if len(series) == 1:
        one = series[0]
        if one.change is None:
            return t(lang, "Bare én revisjon så langt: utviklingen vises når planen er revidert igjen.",
                     "Only one audit so far: the trend shows once the plan is audited again.")
        return t(lang, f"Samlet endring: {one.change:+d} poeng over {len(one.scores)} revisjon(er) "
                       f"({one.first} → {one.last}).",
                 f"Overall change: {one.change:+d} points over {len(one.scores)} audit(s) "
                 f"({one.first} → {one.last}).")
    lines = [t(lang, "Profilen er byttet underveis: endringen regnes bare mellom revisjoner med samme profil, "
                     "siden poeng etter ulike profiler ikke kan sammenlignes.",
               "The profile changed along the way: a change is only computed between audits with the same "
               "profile, since scores by different profiles cannot be compared.")]
    for one in series:
        if one.change is None:
            lines.append(t(lang, f"Profilen {one.profile}: bare én revisjon så langt.",
                           f"The profile {one.profile}: only one audit so far."))
        else:
            lines.append(t(lang, f"Samlet endring med profilen {one.profile}: {one.change:+d} poeng over "
                                 f"{len(one.scores)} revisjon(er) ({one.first} → {one.last}).",
                           f"Overall change with the profile {one.profile}: {one.change:+d} points over "
                           f"{len(one.scores)} audit(s) ({one.first} → {one.last})."))
    return "\n".join(lines)


def _trend_json(trend: list[AuditRecord]) -> dict[str, Any]:
    """The points with their change from the same profile's previous audit; ``first``,
    ``last`` and ``change`` are of the latest audit's profile, ``profiles`` of each."""
    from ..history import profile_series, score_changes

    points = [{"id": record.id, "created": record.created.isoformat(), "profile": record.profile,
               "score": record.score, "change": change} for record, change in zip(trend, score_changes(trend))]
    series = {one.profile: one for one in profile_series(trend)}
    latest = series[trend[-1].profile] if trend else None
    return {"points": points, "profile": latest.profile if latest else None,
            "first": latest.first if latest else None, "last": latest.last if latest else None,
            "change": latest.change if latest else None,
            "profiles": [{"profile": one.profile, "audits": len(one.scores), "first": one.first, "last": one.last,
                          "change": one.change} for one in series.values()]}


def _cell(value: object) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading '."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(records: list[AuditRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        data = record.model_dump(mode="json")
        data["period"] = f"{record.period[0]}-{record.period[1]}" if record.period else None
        data["passed"] = None if record.passed is None else str(record.passed).lower()
        data["has_document"] = str(record.has_document).lower()
        writer.writerow([_cell(data[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()
