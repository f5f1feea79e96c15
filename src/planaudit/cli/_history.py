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
                   "og utviklingen i poengsum fra eldste til nyeste.")
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


def _change(before: int | None, after: int) -> str:
    return "–" if before is None else f"{after - before:+d}"


def _bar(score: int) -> str:
    full = round(score * _BAR_WIDTH / 100)
    return "█" * full + "·" * (_BAR_WIDTH - full)


def _trend_table(trend: list[AuditRecord], municipality: str, lang: str) -> str:
    rows = []
    previous: int | None = None
    for record in trend:
        rows.append([_when(record), str(record.score), _change(previous, record.score), _bar(record.score)])
        previous = record.score
    headers = [t(lang, "Dato", "Date"), t(lang, "Poeng", "Score"), t(lang, "Endring", "Change"), ""]
    table = tabulate(rows, headers=headers, disable_numparse=True, colalign=("left", "right", "right", "left"))
    first, last = trend[0].score, trend[-1].score
    total = t(lang, "Bare én revisjon så langt: utviklingen vises når planen er revidert igjen.",
              "Only one audit so far: the trend shows once the plan is audited again.") if len(trend) == 1 else t(lang, f"Samlet endring: {last - first:+d} poeng over {len(trend)} revisjon(er) ({first} → {last}).",
              f"Overall change: {last - first:+d} points over {len(trend)} audit(s) ({first} → {last}).")
    heading = t(lang, f"Utvikling for {trend[-1].municipality or municipality}, eldste først:",
                f"Trend for {trend[-1].municipality or municipality}, oldest first:")
    return f"{heading}\n{table}\n{total}"


def _trend_json(trend: list[AuditRecord]) -> dict[str, Any]:
    points = []
    previous: int | None = None
    for record in trend:
        points.append({"id": record.id, "created": record.created.isoformat(), "score": record.score,
                       "change": None if previous is None else record.score - previous})
        previous = record.score
    first = trend[0].score if trend else None
    last = trend[-1].score if trend else None
    return {"points": points, "first": first, "last": last,
            "change": None if first is None or last is None else last - first}


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
