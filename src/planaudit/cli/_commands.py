"""The smaller commands: extract, rules, schema, plugins."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click
import yaml
from tabulate import tabulate

from ..engine import Registry, ReportContext, default_registry, read_plan
from ..errors import UsageError
from ..extract import classify_sections
from ..ingest import OcrUnavailable, ReadOptions, ocr_status
from ..model import Document
from ..model.schemas import SCHEMA_MODELS, shipped_dir
from ..report.rule_docs import rule_docs
from ._common import OCR, RULE_PACKS, emit, guarded, t

__all__ = ["extract", "plugins", "rules", "schema"]

_LANG = click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Språk: nb (standard) eller en.")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Skriv planen til fil.")
@click.option("--sections", is_flag=True, help="Vis kapitlene slik de er lest: side, overskrift og rolle.")
@OCR
@_LANG
@guarded
def extract(file: Path, output: Path | None, sections: bool, ocr: bool, lang: str) -> None:
    """Vis planen slik planaudit leser den, som YAML.

    Rett opp det som er lest feil og revider den rettede filen med «planaudit check».
    Med --sections vises i stedet kapitlene med side og rolle (mål, tiltak, økonomi ...).
    Med --ocr leses skannede PDF-sider med Tesseract, som i «planaudit check --ocr»: se
    her hva OCR fikk ut av dem før planen revideres.
    """
    document, plan = read_plan(file, options=_read_options(ocr))
    if sections:
        emit(_section_table(document, lang), output)
        return
    data = plan.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    header = t(lang, f"# Plan lest fra {file} av planaudit. Rett gjerne, og kjør: planaudit check <denne filen>\n",
               f"# Plan read from {file} by planaudit. Correct it and run: planaudit check <this file>\n")
    text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    emit(text, output)


def _read_options(ocr: bool) -> ReadOptions:
    """How ``extract`` reads: with --ocr, every core reads pages (one file, nothing else to
    share them with); OCR asked for and not installed is the one line ``check --ocr`` gives."""
    if not ocr:
        return ReadOptions()
    try:
        ocr_status().require()
    except OcrUnavailable as err:
        raise UsageError("--ocr", err.nb, err.en) from None
    return ReadOptions(ocr=True, jobs=os.cpu_count() or 1)


def _section_table(document: Document | None, lang: str) -> str:
    if document is None:
        return t(lang, "Strukturerte planer har ingen kapitler å vise.\n", "Structured plans have no sections to show.\n")
    pages: dict[tuple[str, ...], int | None] = {}
    for block in document.blocks:
        pages.setdefault(block.location.section, block.location.page)
    rows = [(pages.get(path) or "", "  " * (len(path) - 1) + path[-1], ", ".join(sorted(roles)))
            for path, roles in classify_sections(document).items()]
    headers = [t(lang, "Side", "Page"), t(lang, "Kapittel", "Section"), t(lang, "Rolle", "Role")]
    return tabulate(rows, headers=headers) + "\n"


@click.group()
def rules() -> None:
    """Vis, dokumenter og kontroller reglene og regelpakkene."""


@rules.command("list")
@RULE_PACKS
@_LANG
@guarded
def rules_list(rule_packs: tuple[Path, ...], lang: str) -> None:
    """Alle regler med kriterium og alvorlighetsgrad."""
    registry = default_registry().with_packs(rule_packs)
    titles = registry.criterion_titles(lang)
    rows = [(info.id, info.name, titles.get(info.criterion, info.criterion), info.severity, info.summary)
            for info in registry.rule_infos()]
    headers = [t(lang, h_nb, h_en) for h_nb, h_en in
               (("ID", "ID"), ("Navn", "Name"), ("Kriterium", "Criterion"), ("Alvorlighet", "Severity"),
                ("Beskrivelse", "Summary"))]
    click.echo(tabulate(rows, headers=headers, maxcolwidths=[None, None, 24, None, 50]))


@rules.command("show")
@click.argument("rule_id")
@RULE_PACKS
@_LANG
@guarded
def rules_show(rule_id: str, rule_packs: tuple[Path, ...], lang: str) -> None:
    """Dokumentasjonen til én regel."""
    registry = default_registry().with_packs(rule_packs)
    infos = {info.id.upper(): info for info in registry.rule_infos()}
    info = infos.get(rule_id.upper())
    if info is None:
        raise UsageError(rule_id, f"ukjent regel-ID (finnes: {', '.join(sorted(infos))})",
                         f"unknown rule id (known: {', '.join(sorted(infos))})")
    title = registry.criterion_titles(lang).get(info.criterion, info.criterion)
    fields = [
        (t(lang, "Regel", "Rule"), f"{info.id} ({info.name})"),
        (t(lang, "Kriterium", "Criterion"), f"{title} [{info.criterion}]"),
        (t(lang, "Alvorlighet", "Severity"), info.severity),
        (t(lang, "Vekt", "Weight"), str(info.weight)),
        (t(lang, "Kilde", "Source"), info.citation),
        (t(lang, "Tillegg", "Plugin"), info.plugin),
    ]
    if info.pack:
        fields.append((t(lang, "Regelpakke", "Rule pack"), f"{info.pack} ({info.source})"))
    click.echo(f"{info.summary}\n")
    click.echo(tabulate(fields, tablefmt="plain"))
    click.echo(f"\n{info.rationale}\n")
    click.echo(f"{t(lang, 'Svakt', 'Weak')}: {info.bad_example}")
    click.echo(f"{t(lang, 'Godt', 'Good')}: {info.good_example}")
    if info.check:
        click.echo(f"\n{t(lang, 'Sjekk', 'Check')}:\n{info.check}")


@rules.command("validate")
@click.argument("packs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_LANG
@guarded
def rules_validate(packs: tuple[Path, ...], lang: str) -> None:
    """Kontroller regelpakker (YAML) mot skjemaet og sjekktypene, uten å revidere noe.

    En feil gir én linje «fil:linje: melding» og avslutningskode 2.
    """
    base = default_registry().without_packs(packs)
    registry = base.with_packs(packs)
    for loaded in registry.packs[len(base.packs):]:
        ids = [rule.id for rule in loaded.rules]
        count = t(lang, f"{len(ids)} regel" if len(ids) == 1 else f"{len(ids)} regler",
                  f"{len(ids)} rule" if len(ids) == 1 else f"{len(ids)} rules")
        click.echo(t(lang, f"{loaded.source}: regelpakke {loaded.pack.pack} {loaded.pack.version} er gyldig, "
                           f"{count} ({', '.join(ids)})",
                     f"{loaded.source}: rule pack {loaded.pack.pack} {loaded.pack.version} is valid, "
                     f"{count} ({', '.join(ids)})"))


@rules.command("docs")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/rules"),
              show_default=True, help="Mappen dokumentasjonen skrives til.")
@click.option("--plugin", "distribution", default=None,
              help="Bare reglene fra denne pakken (f.eks. planaudit); standard: alle installerte.")
@RULE_PACKS
@_LANG
@guarded
def rules_docs(output: Path, distribution: str | None, rule_packs: tuple[Path, ...], lang: str) -> None:
    """Skriv regeldokumentasjon (Markdown) fra reglenes metadata: en oversikt og én side per regel."""
    registry = default_registry().with_packs(rule_packs)
    infos = [info for info in registry.rule_infos()
             if distribution is None or info.plugin.split(":")[0] == distribution]
    if not infos:
        raise UsageError("--plugin", f"ingen regler fra {distribution!r}", f"no rules from {distribution!r}")
    context = ReportContext(lang=lang, criterion_titles=registry.criterion_titles(lang))
    pages = rule_docs(infos, context)
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, text in pages.items():
            (output / name).write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(str(output), f"kan ikke skrive ({err.strerror})", f"cannot write ({err.strerror})") from None
    click.echo(t(lang, f"Skrev {len(pages)} sider til {output}", f"Wrote {len(pages)} pages to {output}"))


@click.command()
@click.argument("name", type=click.Choice([*sorted(SCHEMA_MODELS), "openapi"]))
def schema(name: str) -> None:
    """Skriv JSON-skjemaet for plan, rapport eller regelpakke, eller OpenAPI-dokumentet for HTTP-API-et
    («planaudit serve»)."""
    file = "openapi.json" if name == "openapi" else f"{name}.schema.json"
    click.echo((shipped_dir() / file).read_text(encoding="utf-8"), nl=False)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@_LANG
@guarded
def plugins(fmt: str, lang: str) -> None:
    """Installerte tillegg, versjoner og hva de registrerer (regler, regelpakker, lesere, formater, profiler, sjekktyper)."""
    registry = default_registry()
    rows = [{"plugin": plugin.name, "distribution": plugin.distribution, "version": plugin.version,
             **_registrations(registry, f"{plugin.distribution}:{plugin.name}")} for plugin in registry.plugins]
    failures = [{"plugin": f.name, "distribution": f.distribution, "error": f.error} for f in registry.failures]
    if fmt == "json":
        click.echo(json.dumps({"plugins": rows, "failures": failures}, indent=2, ensure_ascii=False, sort_keys=True))
        return
    click.echo(tabulate([(r["plugin"], r["distribution"], r["version"], _summary(r, lang)) for r in rows],
                        headers=[t(lang, "Tillegg", "Plugin"), t(lang, "Pakke", "Distribution"), t(lang, "Versjon", "Version"),
                                 t(lang, "Registrerer", "Registers")], maxcolwidths=[None, None, None, 70]))
    for failure in registry.failures:
        click.echo(f"\n{failure.message(lang)}", err=True)


def _registrations(registry: Registry, plugin_name: str) -> dict[str, Any]:
    """What one plugin registered: rules written in Python, rule packs with their rules, and the rest by name."""
    pack_rules = {rule.id for loaded in registry.packs for rule in loaded.rules}
    owned = sorted(rid for rid, owner in registry.rule_plugin.items() if owner == plugin_name)
    packs = [{"pack": loaded.pack.pack, "version": loaded.pack.version, "rules": [rule.id for rule in loaded.rules]}
             for loaded in registry.packs if loaded.rules and loaded.rules[0].id in owned]
    plugin = registry.manager.get_plugin(plugin_name)
    named: dict[str, list[str]] = {}
    for hook, key in (("planaudit_register_readers", "readers"), ("planaudit_register_reporters", "reporters"),
                      ("planaudit_register_profiles", "profiles"), ("planaudit_register_check_types", "check_types")):
        impl = getattr(plugin, hook, None)
        if impl is not None:
            answer = impl()
            named[key] = sorted(answer) if isinstance(answer, dict) else [getattr(item, "name", "?") for item in answer]
    return {"rules": [rid for rid in owned if rid not in pack_rules], "packs": packs, **named}


def _summary(row: dict[str, Any], lang: str) -> str:
    parts = []
    rules_of = row["rules"]
    if rules_of:
        word = t(lang, "regel", "rule") if len(rules_of) == 1 else t(lang, "regler", "rules")
        parts.append(f"{len(rules_of)} {word} ({_span(rules_of)})")
    for pack in row["packs"]:
        parts.append(f"{t(lang, 'regelpakke', 'rule pack')} {pack['pack']} {pack['version']} ({_span(pack['rules'])})")
    for key, nb, en in (("readers", "lesere", "readers"), ("reporters", "formater", "formats"),
                        ("profiles", "profiler", "profiles"), ("check_types", "sjekktyper", "check types")):
        if row.get(key):
            parts.append(f"{t(lang, nb, en)}: {', '.join(row[key])}")
    return "; ".join(parts)


def _span(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"
