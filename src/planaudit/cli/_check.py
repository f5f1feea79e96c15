"""``planaudit check``: audit plans and report."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..engine import (
    Config,
    ConfigAccept,
    ReportContext,
    apply_baseline,
    is_unused_accept_note,
    load_baseline,
    unused_config_accepts,
    version,
)
from ..errors import ConfigError, PlanauditError, UsageError
from ..model import AuditReport, Plan
from ..report.explain import explain_criterion, render_json, render_text, resolve_criterion
from ..report.summary import BatchFailure, totals
from ._batch import Settings, audit_batch, expand_inputs, plan_extensions
from ._common import (
    CONFIG,
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    IGNORE,
    MAX_SIZE,
    OCR,
    PROFILE,
    RULE_PACKS,
    SELECT,
    STRICT,
    audit_options,
    emit,
    guarded,
    load_settings,
    t,
)
from ._history import DATABASE, open_history, save_reports
from ._summary import report_folder, summary_kind, write_summary

if TYPE_CHECKING:
    from ..history import HistoryStore

__all__ = ["check"]

_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
T = TypeVar("T")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "-f", "fmt", default=None, help="Utformat: table (standard), json, markdown, html, sarif, csv.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Skriv rapporten til fil.")
@PROFILE
@click.option("--fail-under", type=click.IntRange(0, 100), default=None, help="Avslutt med 1 når samlet poengsum er lavere.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Avslutt med 1 ved funn med denne alvorlighetsgraden eller høyere.")
@SELECT
@IGNORE
@click.option("--lang", type=click.Choice(["nb", "en"]), default=None, help="Språk i rapporten: nb (standard) eller en.")
@STRICT
@MAX_SIZE
@OCR
@click.option("--explain", metavar="KRITERIUM", default=None,
              help="Vis hvorfor ett kriterium fikk sitt nivå: rubrikken, planens punkter, telling og funn "
                   "(kriterium-ID eller regel-ID, f.eks. responsibility eller PA002).")
@CONFIG
@click.option("--baseline", type=click.Path(path_type=Path), default=None,
              help="JSON-rapport fra en tidligere kjøring (--format json): vis bare funn som er nye siden den.")
@click.option("--warn-unused-accepts", is_flag=True,
              help="Advar på stderr om godkjenninger (planaudit-godta eller [[accept]]) som ikke traff noe funn.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Antall planer som revideres samtidig (standard: alle kjerner, eller jobs i konfigurasjonen).")
@click.option("--summary", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FIL.csv|FIL.html",
              help="Skriv en oversikt med én rad per plan, rangert etter poengsum. Med .html skrives også "
                   "hver plans rapport til mappen FIL-rapporter/ ved siden av, og oversikten lenker dit.")
@click.option("--save-history", is_flag=True,
              help="Lagre hver revisjon i historikken (se «planaudit history»).")
@DATABASE
@RULE_PACKS
@guarded
def check(files: tuple[Path, ...], fmt: str | None, output: Path | None, profile: str | None,
          fail_under: int | None, fail_on: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
          lang: str | None, strict: bool, max_size: int | None, ocr: bool, explain: str | None,
          config_path: Path | None, baseline: Path | None, warn_unused_accepts: bool,
          jobs: int | None, summary: Path | None, save_history: bool, database: str | None,
          rule_packs: tuple[Path, ...]) -> None:
    """Revider planer mot de tolv kriteriene og skriv en rapport.

    FILES er planfiler: PDF, Word (.docx), OpenDocument (.odt), HTML, Markdown, tekst, eller
    strukturert YAML/JSON. Formatet kjennes igjen på innholdet, ikke bare på filendelsen.
    En mappe gir planfilene i den og undermappene (sortert; skjulte filer, andre filtyper og
    planaudits egne rapporter hoppes over). Flere planer revideres samtidig (--jobs); en fil
    som ikke kan leses, gir én linje på stderr, og resten revideres likevel.

    Med --summary FIL.csv|FIL.html skrives en rangert oversikt med én rad per plan; uten
    --format og -o skrives da bare totalene til standard utdata, ikke hele rapporten.

    Avslutningskode 0: ingen funn over grensene; 1: funn på/over --fail-on eller poengsum under
    --fail-under; 2: feil i inndata, bruk, tillegg eller regel.

    Med --explain KRITERIUM vises i stedet hvorfor det ene kriteriet fikk sitt nivå (som tekst,
    eller JSON med --format json).

    Funn godtatt med «planaudit-godta REGEL: begrunnelse» i en kommentar i planen, eller med
    [[accept]] i konfigurasjonen, står i rapporten med begrunnelsen og teller ikke for --fail-on.
    Med --baseline FIL vises bare funn som ikke fantes i en lagret JSON-rapport.

    Med --ocr leses PDF-sider uten brukbart tekstlag (skannede sider, sider som bilder) med
    Tesseract; funn på slike sider er merket «(OCR)», og sitatene bør kontrolleres mot siden.

    Med --save-history lagres hver revisjon i historikken («planaudit history»): i databasen
    fra --database, PLANAUDIT_DATABASE_URL eller en SQLite-fil i brukerens datamappe.
    """
    registry, config = load_settings(config_path, strict, lang or "nb", rule_packs)
    lang = lang or config.get("lang", "nb")
    reporter = _from_config(config, "format", fmt, lambda name: registry.reporter(name), "table")
    options = audit_options(registry, config, profile=profile, lang=lang, select=select, ignore=ignore,
                            max_size=max_size, ocr=ocr) | {"warn_unused_accepts": warn_unused_accepts}
    accepts: tuple[ConfigAccept, ...] = options["accepts"]
    if baseline is not None and explain is not None:
        raise UsageError("--baseline", "kan ikke brukes sammen med --explain", "cannot be used with --explain")
    if summary is not None:
        _check_summary(summary, explain)
    saved = load_baseline(baseline, options["max_bytes"]) if baseline is not None else None
    store = _history_store(save_history, database)
    context = ReportContext(lang=lang, rules=tuple(registry.rule_infos()), tool_version=version(),
                            criterion_titles=registry.criterion_titles(lang))
    plans = expand_inputs(files, plan_extensions(registry.readers), _own_outputs(output, summary))
    batch = _Batch(plans, options, Settings(_config_file(config), strict, lang, rule_packs),
                   jobs or int(config.get("jobs", 0)) or os.cpu_count() or 1)
    if explain is None:
        reports, failed = batch.run(with_plan=False)
        if store is not None:  # the whole audit, before --baseline leaves findings out
            save_reports(store, reports, lang)
        if warn_unused_accepts:
            _warn_unused(reports, accepts, lang)
        if saved is not None:
            reports = [apply_baseline(report, saved) for report in reports]
        if summary is not None:
            write_summary(summary, reports, failed, context, registry)
        if summary is not None and fmt is None and output is None:
            _summary_totals(reports, failed, summary, context)
        elif reports:
            emit(reporter.render(reports, context), output)
    else:
        reports, failed = _explain_all(batch, explain, (reporter.name, fmt is not None), context, output)
        if store is not None:
            save_reports(store, reports, lang)
        if warn_unused_accepts:
            _warn_unused(reports, accepts, lang)
    rule_errors = [note for report in reports for note in report.notifications if note.level == "error"]
    for note in rule_errors:  # also where the format has no place for them (csv, -o FILE)
        click.echo(f"planaudit: {note.message}", err=True)
    if failed or rule_errors:
        raise SystemExit(EXIT_ERROR)
    threshold = fail_under if fail_under is not None else config.get("fail_under")
    severity = fail_on or config.get("fail_on")
    raise SystemExit(EXIT_FINDINGS if _over_limits(reports, threshold, severity) else EXIT_CLEAN)


def _from_config(config: Config, key: str, option: str | None, lookup: Callable[[str], T], default: str) -> T:
    """An option's value, from the command line or else the configuration file, which an
    error then names."""
    if option is not None or key not in config.values:
        return lookup(option or default)
    try:
        return lookup(config.values[key])
    except PlanauditError as err:
        raise ConfigError(str(config.source), err.nb, err.en) from None


@dataclass(frozen=True)
class _Batch:
    """The plans of one run and how to audit them: options, settings for workers, jobs."""

    files: list[Path]
    options: dict[str, Any]
    settings: Settings
    jobs: int

    def run(self, with_plan: bool) -> tuple[list[Any], list[BatchFailure]]:
        """Every file audited, in input order; a file that cannot be is one line on stderr."""
        progress = sys.stderr.isatty()
        outcomes = audit_batch(self.files, jobs=self.jobs, settings=self.settings, options=self.options,
                               with_plan=with_plan, progress=progress)
        failed = []
        for outcome in outcomes:
            if outcome.error is not None:
                click.echo(f"planaudit: {outcome.error}", err=True)
                failed.append(BatchFailure(str(outcome.path), outcome.error.removeprefix(f"{outcome.path}: ")))
        return [outcome.value for outcome in outcomes if outcome.error is None], failed


def _history_store(save_history: bool, database: str | None) -> HistoryStore | None:
    """With --save-history, the history, opened before any plan is audited so a database that
    cannot be used fails at once; closed when the command ends."""
    if not save_history:
        if database is not None:
            raise UsageError("--database", "brukes bare sammen med --save-history", "is only used with --save-history")
        return None
    store = open_history(database)
    click.get_current_context().call_on_close(store.close)
    return store


def _config_file(config: Config) -> Path | None:
    """The configuration file the run uses, for workers to load the same one."""
    return Path(config.source) if config.source else None


def _check_summary(summary: Path, explain: str | None) -> None:
    """A --summary that cannot be written is an error before any plan is audited."""
    if explain is not None:
        raise UsageError("--summary", "kan ikke brukes sammen med --explain", "cannot be used with --explain")
    summary_kind(summary)
    if not summary.absolute().parent.is_dir():
        raise UsageError(str(summary), "mappen for oversikten finnes ikke", "the summary's folder does not exist")


def _own_outputs(output: Path | None, summary: Path | None) -> list[Path]:
    """What this run writes, which a folder given as input must not read as plans."""
    written = [path for path in (output, summary) if path is not None]
    if summary is not None:
        written.append(report_folder(summary))
    return written


def _summary_totals(reports: list[AuditReport], failed: list[BatchFailure], summary: Path,
                    context: ReportContext) -> None:
    """With --summary and neither --format nor -o: totals and where the summary is, not the
    full report of every plan."""
    lines = [totals(reports, failed, context), context.t(f"Oversikt: {summary}", f"Summary: {summary}")]
    click.echo("\n".join(line for line in lines if line))


def _explain_all(batch: _Batch, name: str, fmt: tuple[str, bool], context: ReportContext,
                 output: Path | None) -> tuple[list[AuditReport], list[BatchFailure]]:
    """``--explain NAME``: why one criterion got its level in each file, instead of the report.

    ``fmt`` is the chosen format and whether the command line (not the configuration) chose
    it: json gives JSON, anything else text, but asking for e.g. sarif here is an error.
    """
    criterion = resolve_criterion(name, context.rules)
    fmt_name, explicit = fmt
    if explicit and fmt_name not in ("table", "json"):
        raise UsageError("--explain", "kan bare skrives som tekst (table) eller json",
                         "can only be written as text (table) or json")
    audited: list[tuple[AuditReport, Plan]]
    audited, failed = batch.run(with_plan=True)
    explanations = [explain_criterion(report, plan, criterion, context) for report, plan in audited]
    if explanations:
        emit(render_json(explanations) if fmt_name == "json" else render_text(explanations, context), output)
    return [report for report, _ in audited], failed


def _warn_unused(reports: list[AuditReport], accepts: tuple[ConfigAccept, ...], lang: str) -> None:
    """--warn-unused-accepts: a line on stderr for each marker (per document) and each
    configuration entry (over the whole run) that matched no finding."""
    for report in reports:
        for note in report.notifications:
            if is_unused_accept_note(note):
                click.echo(f"planaudit: {report.document.path}: {note.message}", err=True)
    for accept in unused_config_accepts(accepts, reports):
        click.echo("planaudit: " + t(lang, f"godkjenning i {accept.label(lang)} traff ingen funn",
                                     f"accept in {accept.label(lang)} matched no finding"), err=True)


def _over_limits(reports: list[AuditReport], fail_under: float | None, fail_on: str | None) -> bool:
    """Score under --fail-under, or a finding at or over --fail-on that nobody accepted."""
    if fail_under is not None and any(report.score < fail_under for report in reports):
        return True
    if fail_on is not None:
        floor = _SEVERITY_RANK[fail_on]
        return any(_SEVERITY_RANK[f.severity] >= floor for report in reports for f in report.findings
                   if f.suppression is None)
    return False
