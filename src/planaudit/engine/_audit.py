"""``audit()``: the one function the command line and the web service are shells over."""
from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ..errors import UsageError
from ..extract import extract_plan
from ..ingest import DEFAULT_MAX_BYTES, ReadOptions, Source, choose_reader, load_source
from ..model import AuditReport, Document, DocumentInfo, Finding, Notification, Plan, PlanSummary
from ._accept import ConfigAccept, accept_names, apply_accepts, resolve_accepts
from ._plugins import Registry, load_registry
from ._runner import run_rules
from .rule import Rule, RuleContext
from .scoring import overall_score, passes, score_criteria

__all__ = ["audit", "audit_with_plan", "default_registry", "read_plan", "select_rules", "version"]


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    return load_registry()


def version() -> str:
    try:
        return importlib.metadata.version("planaudit")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def read_plan(
    source: str | Path | bytes, *, name: str | None = None, registry: Registry | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES, options: ReadOptions = ReadOptions(),
) -> tuple[Document, Plan]:
    """Read a file (or bytes) with the right reader and extract its Plan."""
    registry = registry or default_registry()
    if isinstance(source, bytes):
        src = Source(name or "<bytes>", source, options)
    else:
        src = replace(load_source(source, max_bytes), options=options)
    reader = choose_reader(registry.readers, src)
    result = reader.read(src)
    if isinstance(result, Plan):
        fmt = "json" if src.head.lstrip().startswith(b"{") else "yaml"
        document = Document(path=src.path, sha256=src.sha256, format=fmt,
                            language=result.metadata.language, title=result.metadata.title)
        return document, result
    plan = extract_plan(result)
    return result.model_copy(update={"language": plan.metadata.language}), plan


def select_rules(registry: Registry, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[type[Rule]]:
    """Rules chosen by rule id or criterion id; an unknown name is a usage error."""
    rules = [registry.rules[rid] for rid in sorted(registry.rules)]
    known = {rule.id for rule in rules} | {rule.criterion for rule in rules}
    select, ignore = list(select), list(ignore)
    for name in (*select, *ignore):
        if name not in known:
            raise UsageError("--select/--ignore", f"ukjent regel eller kriterium {name!r}",
                             f"unknown rule or criterion {name!r}")
    if select:
        rules = [rule for rule in rules if rule.id in select or rule.criterion in select]
    return [rule for rule in rules if rule.id not in ignore and rule.criterion not in ignore]


def audit(
    source: str | Path | bytes,
    *,
    profile: str = "kommune",
    lang: str = "nb",
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    registry: Registry | None = None,
    accepts: Sequence[ConfigAccept] = (),
    warn_unused_accepts: bool = False,
    ocr: bool = False,
    ocr_jobs: int = 1,
    ocr_progress: Callable[[int, int], None] | None = None,
) -> AuditReport:
    """Audit one plan file (or its bytes) against the registered rules under a profile.

    Findings accepted by a ``planaudit-godta`` marker in the document or by one of
    ``accepts`` (the configuration's ``[[accept]]`` entries) stay in the report with their
    suppression; with ``warn_unused_accepts``, a marker that matches nothing is a warning.
    With ``ocr``, PDF pages without a usable text layer are read by Tesseract, ``ocr_jobs``
    pages at a time, and findings on those pages say so (``location.ocr``); ``ocr_progress``
    is told (pages read, pages to read) as OCR goes.
    """
    return audit_with_plan(source, profile=profile, lang=lang, select=select, ignore=ignore, name=name,
                           max_bytes=max_bytes, registry=registry, accepts=accepts,
                           warn_unused_accepts=warn_unused_accepts, ocr=ocr, ocr_jobs=ocr_jobs,
                           ocr_progress=ocr_progress)[0]


def audit_with_plan(
    source: str | Path | bytes,
    *,
    profile: str = "kommune",
    lang: str = "nb",
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    registry: Registry | None = None,
    accepts: Sequence[ConfigAccept] = (),
    warn_unused_accepts: bool = False,
    ocr: bool = False,
    ocr_jobs: int = 1,
    ocr_progress: Callable[[int, int], None] | None = None,
) -> tuple[AuditReport, Plan]:
    """:func:`audit`, and the Plan the rules judged.

    The report says which level a criterion got; the Plan holds the items that decided it.
    Explaining a level needs both from one reading, since reading and extracting a large
    PDF twice would cost as much as the audit itself.
    """
    registry = registry or default_registry()
    chosen_profile = registry.profile(profile)
    rules = select_rules(registry, select or chosen_profile.select, ignore)
    known = accept_names(registry)
    accepts = resolve_accepts(accepts, known)
    document, plan = read_plan(source, name=name, registry=registry, max_bytes=max_bytes,
                               options=ReadOptions(ocr=ocr, jobs=ocr_jobs, progress=ocr_progress))
    ctx = RuleContext(document=document, plan=plan, lang=lang)
    results, notifications = run_rules(rules, ctx)
    criteria = score_criteria(((rule.criterion, result) for rule, result in results), chosen_profile,
                              registry.criterion_weights())
    score = overall_score(criteria)
    findings = _marked_ocr(sorted((f for _, result in results for f in result.findings), key=_finding_order),
                           document)
    findings, accept_notes = apply_accepts(findings, document, known, accepts, lang, warn_unused_accepts)
    notes = [*_load_notes(registry, lang), *_language_notes(document, lang, _norwegian_rules(registry, rules)),
             *_reading_notes(document, lang), *notifications, *accept_notes]
    report = AuditReport(
        planaudit_version=version(),
        document=DocumentInfo(path=document.path, sha256=document.sha256, format=document.format,
                              pages=document.pages, language=document.language),
        plan=PlanSummary(title=plan.metadata.title, municipality=plan.metadata.municipality,
                         period=plan.metadata.period, goals=len(plan.goals), measures=len(plan.measures)),
        profile=chosen_profile.name,
        passed=passes(criteria, score, chosen_profile),
        criteria=criteria,
        score=score,
        findings=findings,
        notifications=notes,
    )
    return report, plan


def _marked_ocr(findings: list[Finding], document: Document) -> list[Finding]:
    """Findings on pages read by OCR say so, whichever rule made them: their quote is
    Tesseract's reading of the page image, to be checked against it."""
    pages = _page_numbers(document.metadata.get("ocr_pages", ""))
    if not pages:
        return findings
    return [finding.model_copy(update={"location": finding.location.model_copy(update={"ocr": True})})
            if finding.location.page in pages else finding for finding in findings]


def _page_numbers(listed: str) -> frozenset[int]:
    return frozenset(int(part) for part in listed.split(",") if part.strip().isdigit())


def _finding_order(finding: Finding) -> tuple[int, int, str, str]:
    return (finding.location.page or 0, finding.location.line or 0, finding.rule, finding.message)


def _load_notes(registry: Registry, lang: str) -> list[Notification]:
    return [Notification(level="warning", message=failure.message(lang)) for failure in registry.failures]


def _reading_notes(document: Document, lang: str) -> list[Notification]:
    """What the reader could not read: pages without a text layer (scanned pages in an
    otherwise digital PDF) or pages it had to skip."""
    notes = []
    readings: tuple[tuple[str, Literal["warning", "info"], str, str], ...] = (
        ("ocr_pages", "info", "er lest med OCR (Tesseract); kontroller sitatene mot sidebildet",
         "were read with OCR (Tesseract); check the quotes against the page image"),
        ("pages_without_text", "warning", "har ikke noe tekstlag (skannet?) og er ikke revidert; les dem med --ocr",
         "have no text layer (scanned?) and were not audited; read them with --ocr"),
        ("garbled_pages", "warning", "har et tekstlag som ikke kan leses (feil tegnkoding?); les dem med --ocr",
         "have a text layer that cannot be read (broken character encoding?); read them with --ocr"),
        ("ocr_failed_pages", "warning", "kunne ikke leses med OCR og er ikke revidert",
         "could not be read with OCR and were not audited"),
        ("unreadable_pages", "warning", "kunne ikke leses og er ikke revidert",
         "could not be read and were not audited"),
    )
    for key, level, nb, en in readings:
        pages = document.metadata.get(key)
        if pages:
            notes.append(Notification(level=level, message=(
                f"Pages {pages} {en}" if lang == "en" else f"Side {pages} {nb}"), code=f"reading.{key}"))
    return notes


_LANGUAGE_NAMES = {"da": ("dansk", "Danish"), "sv": ("svensk", "Swedish"), "en": ("engelsk", "English")}


def _norwegian_rules(registry: Registry, rules: Sequence[type[Rule]]) -> bool:
    """Whether any rule run is planaudit's own, built on Norwegian vocabulary."""
    return any(registry.rule_plugin.get(rule.id, "").startswith("planaudit:") for rule in rules)


def _language_notes(document: Document, lang: str, norwegian_rules: bool = True) -> list[Notification]:
    """A warning when planaudit's Norwegian rules read a document in another language; a
    plugin's rules for that language (and a profile that runs only them) need none."""
    if document.language in (None, "nb", "nn") or not norwegian_rules:
        return []
    nb, en = _LANGUAGE_NAMES.get(document.language, (document.language, document.language))
    return [Notification(level="warning", message=(
        f"The document seems to be in {en}; the criteria and vocabulary are built for Norwegian, "
        "so levels may be too low" if lang == "en" else
        f"Dokumentet ser ut til å være på {nb}; kriteriene og ordlistene er laget for norsk, "
        "så nivåene kan bli for lave"))]
