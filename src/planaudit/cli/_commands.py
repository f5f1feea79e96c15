"""The smaller commands: extract, rules, schema, plugins."""
from __future__ import annotations

import json
from pathlib import Path

import click
import yaml
from tabulate import tabulate

from ..engine import Registry, criterion_title, default_registry, read_plan
from ..errors import UsageError
from ..extract import classify_sections
from ..model import Document
from ..model.schemas import SCHEMA_MODELS, shipped_dir
from ._common import emit, guarded, t

__all__ = ["extract", "plugins", "rules", "schema"]

_LANG = click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Språk: nb (standard) eller en.")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Skriv planen til fil.")
@click.option("--sections", is_flag=True, help="Vis kapitlene slik de er lest: side, overskrift og rolle.")
@_LANG
@guarded
def extract(file: Path, output: Path | None, sections: bool, lang: str) -> None:
    """Vis planen slik planaudit leser den, som YAML.

    Rett opp det som er lest feil og revider den rettede filen med «planaudit check».
    Med --sections vises i stedet kapitlene med side og rolle (mål, tiltak, økonomi ...).
    """
    document, plan = read_plan(file)
    if sections:
        emit(_section_table(document, lang), output)
        return
    data = plan.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    header = t(lang, f"# Plan lest fra {file} av planaudit. Rett gjerne, og kjør: planaudit check <denne filen>\n",
               f"# Plan read from {file} by planaudit. Correct it and run: planaudit check <this file>\n")
    text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    emit(text, output)


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
    """Vis reglene som er installert."""


@rules.command("list")
@_LANG
@guarded
def rules_list(lang: str) -> None:
    """Alle regler med kriterium og alvorlighetsgrad."""
    rows = [(info.id, info.name, criterion_title(info.criterion, lang), info.severity, info.summary)
            for info in default_registry().rule_infos()]
    headers = [t(lang, h_nb, h_en) for h_nb, h_en in
               (("ID", "ID"), ("Navn", "Name"), ("Kriterium", "Criterion"), ("Alvorlighet", "Severity"),
                ("Beskrivelse", "Summary"))]
    click.echo(tabulate(rows, headers=headers, maxcolwidths=[None, None, 24, None, 50]))


@rules.command("show")
@click.argument("rule_id")
@_LANG
@guarded
def rules_show(rule_id: str, lang: str) -> None:
    """Dokumentasjonen til én regel."""
    infos = {info.id.upper(): info for info in default_registry().rule_infos()}
    info = infos.get(rule_id.upper())
    if info is None:
        raise UsageError(rule_id, f"ukjent regel-ID (finnes: {', '.join(sorted(infos))})",
                         f"unknown rule id (known: {', '.join(sorted(infos))})")
    fields = [
        (t(lang, "Regel", "Rule"), f"{info.id} ({info.name})"),
        (t(lang, "Kriterium", "Criterion"), f"{criterion_title(info.criterion, lang)} [{info.criterion}]"),
        (t(lang, "Alvorlighet", "Severity"), info.severity),
        (t(lang, "Vekt", "Weight"), str(info.weight)),
        (t(lang, "Kilde", "Source"), info.citation),
        (t(lang, "Tillegg", "Plugin"), info.plugin),
    ]
    click.echo(f"{info.summary}\n")
    click.echo(tabulate(fields, tablefmt="plain"))
    click.echo(f"\n{info.rationale}\n")
    click.echo(f"{t(lang, 'Svakt', 'Weak')}: {info.bad_example}")
    click.echo(f"{t(lang, 'Godt', 'Good')}: {info.good_example}")


@click.command()
@click.argument("name", type=click.Choice(sorted(SCHEMA_MODELS)))
def schema(name: str) -> None:
    """Skriv JSON-skjemaet for plan, rapport eller regelpakke."""
    click.echo((shipped_dir() / f"{name}.schema.json").read_text(encoding="utf-8"), nl=False)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@_LANG
@guarded
def plugins(fmt: str, lang: str) -> None:
    """Installerte tillegg, versjoner og hva de registrerer."""
    registry = default_registry()
    rows = []
    for plugin in registry.plugins:
        name = f"{plugin.distribution}:{plugin.name}"
        rules_of = sorted(rid for rid, owner in registry.rule_plugin.items() if owner == name)
        rows.append({"plugin": plugin.name, "distribution": plugin.distribution, "version": plugin.version,
                     "registers": _registered(registry, name, rules_of, lang)})
    failures = [{"plugin": f.name, "distribution": f.distribution, "error": f.error} for f in registry.failures]
    if fmt == "json":
        click.echo(json.dumps({"plugins": rows, "failures": failures}, indent=2, ensure_ascii=False, sort_keys=True))
        return
    click.echo(tabulate([(r["plugin"], r["distribution"], r["version"], r["registers"]) for r in rows],
                        headers=[t(lang, "Tillegg", "Plugin"), t(lang, "Pakke", "Distribution"), t(lang, "Versjon", "Version"),
                                 t(lang, "Registrerer", "Registers")]))
    for failure in registry.failures:
        click.echo(f"\n{failure.message(lang)}", err=True)


def _registered(registry: Registry, plugin_name: str, rule_ids: list[str], lang: str) -> str:
    plugin = registry.manager.get_plugin(plugin_name)
    parts = []
    if rule_ids:
        parts.append(f"{len(rule_ids)} {t(lang, 'regler', 'rules')} ({rule_ids[0]}–{rule_ids[-1]})")
    for hook, word in (("planaudit_register_readers", t(lang, "lesere", "readers")),
                       ("planaudit_register_reporters", t(lang, "formater", "formats")),
                       ("planaudit_register_profiles", t(lang, "profiler", "profiles"))):
        impl = getattr(plugin, hook, None)
        if impl is not None:
            names = [getattr(item, "name", "?") for item in impl()]
            parts.append(f"{word}: {', '.join(names)}")
    return "; ".join(parts)
