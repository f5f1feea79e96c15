"""What a rule is: metadata, a check over (Document, Plan), and the assessment it returns.

A rule's class docstring is its documentation: a summary line, the rationale, then
``Kilde:`` (the source it implements), ``Svakt:`` (a weak plan) and ``Godt:`` (a good one).
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from ..model import Document, Finding, FindingLocation, Location, Plan, Severity

__all__ = ["Assessment", "Rule", "RuleContext", "RuleInfo"]

@dataclass(frozen=True)
class RuleContext:
    """What a rule sees: the document's layout, the extracted plan, and the output language."""

    document: Document
    plan: Plan
    lang: str = "nb"
    #: What rules of one audit may share about this document (e.g. rule packs' passages).
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def t(self, nb: str, en: str) -> str:
        """The text in the user's language."""
        return en if self.lang == "en" else nb


@dataclass
class Assessment:
    """A rule's verdict: the level it gives its criterion, why, and the findings to show."""

    level: int | None  # 0, 1 or 2; None: not assessed. run_rules reports any other level as an error.
    evidence: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    score: int | None = None


class RuleInfo(NamedTuple):
    id: str
    name: str
    criterion: str
    severity: Severity
    weight: float
    citation: str
    summary: str
    rationale: str
    bad_example: str
    good_example: str
    plugin: str
    pack: str = ""
    source: str = ""
    check: str = ""


def _finding_location(location: Location | None) -> FindingLocation:
    if location is None:
        return FindingLocation()
    section = " > ".join(location.section) if location.section else None
    return FindingLocation(page=location.page, line=location.line, section=section)


class Rule:
    """Base class of Python rules. Subclasses set the class attributes and ``check``."""

    id: ClassVar[str]
    name: ClassVar[str]
    criterion: ClassVar[str]
    severity: ClassVar[Severity] = "warning"
    weight: ClassVar[float] = 1.0
    citation: ClassVar[str] = ""

    def check(self, ctx: RuleContext) -> Assessment:
        raise NotImplementedError

    def finding(
        self,
        ctx: RuleContext,
        message: tuple[str, str],
        suggestion: tuple[str, str] | None = None,
        *,
        location: Location | None = None,
        evidence: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule; message and suggestion given as (bokmål, English)."""
        return Finding(
            rule=self.id,
            criterion=self.criterion,
            severity=severity or self.severity,
            message=ctx.t(*message),
            suggestion=ctx.t(*suggestion) if suggestion else None,
            location=_finding_location(location),
            evidence=_quote(evidence),
        )

    @classmethod
    def info(cls, plugin: str = "") -> RuleInfo:
        doc = _DocSections.parse(inspect.getdoc(cls) or "")
        return RuleInfo(
            id=cls.id, name=cls.name, criterion=cls.criterion, severity=cls.severity,
            weight=cls.weight, citation=cls.citation or doc["Kilde"],
            summary=doc["summary"], rationale=doc["rationale"],
            bad_example=doc["Svakt"], good_example=doc["Godt"], plugin=plugin,
        )


def _quote(text: str | None, limit: int = 300) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _DocSections(dict[str, str]):
    """A rule docstring split into summary, rationale and its labelled sections."""

    LABELS = ("Kilde", "Svakt", "Godt")

    @classmethod
    def parse(cls, doc: str) -> _DocSections:
        sections = cls()
        current = "rationale"
        lines = doc.splitlines()
        sections["summary"] = lines[0].strip() if lines else ""
        buffer: dict[str, list[str]] = {"rationale": []}
        for line in lines[1:]:
            label = next((lab for lab in cls.LABELS if line.startswith(f"{lab}:")), None)
            if label:
                current = label
                buffer[current] = [line[len(label) + 1:].strip()]
            else:
                buffer.setdefault(current, []).append(line.strip())
        for key, value in buffer.items():
            sections[key] = " ".join(part for part in value if part).strip()
        for key in ("rationale", *cls.LABELS):
            sections.setdefault(key, "")
        return sections
