"""``planaudit diff OLD NEW``: what changed between two versions of a plan."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..engine import ReportContext, audit, diff_reports, saved_report, version
from ..ingest import DEFAULT_MAX_BYTES, load_source
from ..model import AuditReport
from ..report.diff_report import DIFF_FORMATS, render_diff
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
)

__all__ = ["diff"]


@click.command(name="diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(DIFF_FORMATS), default="text",
              help="Utformat: text (standard), json eller html.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Skriv resultatet til fil.")
@PROFILE
@SELECT
@IGNORE
@click.option("--lang", type=click.Choice(["nb", "en"]), default=None, help="Språk: nb (standard) eller en.")
@STRICT
@MAX_SIZE
@OCR
@CONFIG
@click.option("--fail-on-regression", is_flag=True,
              help="Avslutt med 1 når et kriterium fikk lavere nivå eller poeng, eller det er nye funn med "
                   "alvorlighetsgrad feil.")
@RULE_PACKS
@guarded
def diff(old: Path, new: Path, fmt: str, output: Path | None, profile: str | None, select: tuple[str, ...],
         ignore: tuple[str, ...], lang: str | None, strict: bool, max_size: int | None, ocr: bool,
         config_path: Path | None,
         fail_on_regression: bool, rule_packs: tuple[Path, ...]) -> None:
    """Sammenlign to versjoner av en plan: kriterier som steg eller falt, funn som er rettet, og nye funn.

    OLD og NEW er planfiler (alle formater «check» leser) eller JSON-rapporter lagret med
    «planaudit check FIL --format json -o FIL». Planfiler revideres med de samme valgene som
    «check» (--profile, --select, --ignore, --rules, --config).

    Funn regnes som de samme når regel, kriterium og den siterte teksten er like, også om
    teksten har flyttet til en annen side. Avslutningskode 0; 1 med --fail-on-regression når
    noe ble dårligere; 2 ved feil i inndata eller bruk.

    Eksempel: planaudit diff utkast.pdf vedtatt.pdf --format html -o endringer.html
    """
    registry, config = load_settings(config_path, strict, lang or "nb", rule_packs)
    lang = lang or config.get("lang", "nb")
    options = audit_options(registry, config, profile=profile, lang=lang, select=select, ignore=ignore,
                            max_size=max_size, ocr=ocr)
    result = diff_reports(_version(old, options), _version(new, options))
    context = ReportContext(lang=lang, rules=tuple(registry.rule_infos()), tool_version=version(),
                            criterion_titles=registry.criterion_titles(lang))
    emit(render_diff(result, fmt, context), output)
    rule_errors = [note for report in (result.old, result.new) for note in report.notifications if note.level == "error"]
    for note in rule_errors:  # a rule that failed makes its criterion look changed: say so, as check does
        click.echo(f"planaudit: {note.message}", err=True)
    if rule_errors:
        raise SystemExit(EXIT_ERROR)
    raise SystemExit(EXIT_FINDINGS if fail_on_regression and result.regressed else EXIT_CLEAN)


def _version(path: Path, options: dict[str, Any]) -> AuditReport:
    """A saved JSON report as it is, anything else audited as a plan (the file read once)."""
    source = load_source(path, options.get("max_bytes", DEFAULT_MAX_BYTES))
    return saved_report(source) or audit(source.data, name=source.path, **options)
