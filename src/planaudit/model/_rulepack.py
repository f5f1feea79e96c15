"""Declarative rule packs: YAML files that describe rules with a fixed set of check types.

A pack is validated in two steps. The pack and its rules are checked against
:class:`RulePack`, where a rule's ``check`` is only a mapping with a ``type``; then each
check is checked against the parameters of its type: one of the built-in types below,
or a type a plugin registers with its own parameter model. The published JSON Schema
(``planaudit schema rulepack``) spells out the built-in check types for editors.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ._report import Severity

__all__ = [
    "BUILTIN_CHECKS",
    "AbsentCheck",
    "ConditionalCheck",
    "CountCheck",
    "ExistsCheck",
    "FieldPresentCheck",
    "ItemKind",
    "MetricCheck",
    "PackCriterion",
    "PackRule",
    "PatternCheck",
    "ReferenceCheck",
    "RulePack",
    "Selector",
    "SentencePattern",
    "Text",
]

_FROZEN = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

ItemKind = Literal[
    "goals", "measures", "actors", "participation", "references", "follow_up", "political",
    "organisation", "knowledge",
]
BlockKindName = Literal["heading", "paragraph", "list_item", "table"]
ItemField = Literal["responsible", "deadline", "cost", "target", "horizon", "indicator", "goal"]
ReferenceKind = Literal[
    "samfunnsdel", "arealdel", "planstrategi", "kommuneplan", "økonomiplan", "handlingsprogram",
    "budsjett", "status",
]

_TERMS = ("terms: words or phrases, case-insensitive and whole words; 'bolig*' also matches "
          "longer words, '=vedta' every inflection of the lemma (vedtar, vedtok, vedtatt); an entry "
          "may be a list of alternatives (synonyms, bokmål and nynorsk) that count as one")

Term = str | list[str]


class Text(BaseModel):
    """A user-facing text in Norwegian bokmål, with an English translation."""

    model_config = _FROZEN

    nb: str = Field(min_length=1)
    en: str | None = None

    def get(self, lang: str) -> str:
        return (self.en or self.nb) if lang == "en" else self.nb


class Selector(BaseModel):
    """Where a check looks: sections by role, kinds of block, or the plan's extracted items."""

    model_config = _FROZEN

    sections: tuple[str, ...] = Field(default=(), description=(
        "section roles to look in (innledning, kunnskapsgrunnlag, mål, strategi, tiltak, økonomi, "
        "organisering, medvirkning, oppfølging, vedlegg); empty: the whole plan"))
    exclude_sections: tuple[str, ...] = Field(default=(), description="section roles to leave out")
    blocks: tuple[BlockKindName, ...] = Field(default=(), description="block kinds; empty: all")
    items: ItemKind | None = Field(default=None, description=(
        "look in the texts of these extracted plan items instead of the blocks"))


class _Check(BaseModel):
    model_config = _FROZEN

    select: Selector = Field(default_factory=Selector)


class SentencePattern(BaseModel):
    """A sentence that says something: terms from every group together, none of ``unless``."""

    model_config = _FROZEN

    all_of: list[list[str]] = Field(min_length=1, description=(
        "groups of terms; a sentence counts when it holds a term from every group"))
    unless: list[str] = Field(default_factory=list, description="terms that keep a sentence from counting")
    figures: bool = Field(default=False, description=(
        "the sentence must also hold a figure: a number that is no year, date, amount of money, "
        "paragraph or chapter number"))


class _Matched(_Check):
    """Checks that count occurrences of ``terms``, or sentences that fit ``sentences``."""

    terms: list[Term] = Field(default_factory=list, description=_TERMS)
    sentences: SentencePattern | None = None

    def _one_of(self, *sources: object) -> None:
        if sum(1 for source in sources if source) != 1:
            raise ValueError(f"{self.type} needs exactly one of terms, sentences"  # type: ignore[attr-defined]
                             + (", regex" if len(sources) > 2 else ""))


class ExistsCheck(_Matched):
    """Level 2 when the terms (or sentences) occur at least ``min`` times; 1 when at least
    ``partial_min``. With ``all`` or ``min_distinct`` it counts which entries of ``terms`` occur."""

    type: Literal["exists"]
    min: int = Field(default=1, ge=1)
    partial_min: int | None = Field(default=None, ge=1)
    all: bool = Field(default=False, description="every entry of terms must occur, not just one of them")
    min_distinct: int | None = Field(default=None, ge=1, description=(
        "at least this many entries of terms must occur (e.g. two of three aspects); "
        "partial_min then counts entries too"))

    @model_validator(mode="after")
    def _source(self) -> ExistsCheck:
        self._one_of(self.terms, self.sentences)
        if (self.all or self.min_distinct) and not self.terms:
            raise ValueError("all and min_distinct count entries of terms")
        return self


class AbsentCheck(_Matched):
    """Level 2 when the terms (or sentences) occur at most ``max`` times; each one is a finding."""

    type: Literal["absent"]
    max: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _source(self) -> AbsentCheck:
        self._one_of(self.terms, self.sentences)
        return self


class PatternCheck(_Check):
    """A regular expression (Python syntax, case-insensitive) that must or must not occur."""

    type: Literal["pattern"]
    regex: str = Field(min_length=1)
    expect: Literal["present", "absent"] = "present"
    min: int = Field(default=1, ge=1)


class CountCheck(_Matched):
    """Occurrences of the terms, sentences or regex within bounds; ``partial_min`` gives level 1."""

    type: Literal["count"]
    regex: str | None = None
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    partial_min: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_source(self) -> CountCheck:
        self._one_of(self.terms, self.sentences, self.regex)
        if self.min is None and self.max is None:
            raise ValueError("count needs min, max or both")
        return self


class FieldPresentCheck(_Check):
    """The share of goals or measures that have the fields, against a threshold."""

    type: Literal["field_present"]
    items: Literal["goals", "measures"]
    fields: list[ItemField] = Field(min_length=1, description="every one of them must be present")
    threshold: float = Field(default=0.5, gt=0, le=1, description="share (inclusive) for level 2")
    partial: float | None = Field(default=None, ge=0, le=1, description=(
        "share (inclusive) for level 1; default: any item at all"))
    strict: bool = Field(default=True, description=(
        "generic responsibility ('kommunen'), vague deadlines ('løpende') and budget needs "
        "without figure or source do not count"))


class ReferenceCheck(_Check):
    """The plan cites a named plan or law: level 2 for ``names`` or ``kinds``, 1 for ``partial``."""

    type: Literal["reference"]
    names: list[Term] = Field(default_factory=list, description=_TERMS)
    kinds: list[ReferenceKind] = Field(default_factory=list, description="plan references the extractor found")
    explicit: bool = Field(default=False, description="only references that tie the plan to the other one")
    partial: list[Term] = Field(default_factory=list, description="terms that count as a weaker reference")

    @model_validator(mode="after")
    def _something(self) -> ReferenceCheck:
        if not (self.names or self.kinds):
            raise ValueError("reference needs names or kinds")
        return self


class ConditionalCheck(BaseModel):
    """If the ``if`` check passes, the ``then`` check decides; otherwise ``otherwise``."""

    model_config = _FROZEN

    type: Literal["conditional"]
    if_: dict[str, Any] = Field(alias="if", description="a check")
    then: dict[str, Any] = Field(description="a check")
    otherwise: Literal["skip", "pass", "fail"] | dict[str, Any] = Field(default="skip", description=(
        "skip: the rule does not assess the plan; pass: level 2; fail: level 0; or a check that decides"))


class MetricCheck(BaseModel):
    """A number computed from the plan, within bounds.

    ``value`` is an arithmetic expression (+ - * / and parentheses) over counts: ``goals``,
    ``measures``, ``actors``, ``participation``, ``references``, ``follow_up``, ``political``,
    ``organisation``, ``knowledge``, an item kind with a field (``measures.responsible``:
    measures that have one), ``pages``, ``words``, ``tables``.
    """

    model_config = _FROZEN

    type: Literal["metric"]
    value: str = Field(min_length=1)
    min: float | None = None
    max: float | None = None
    partial_min: float | None = None

    @model_validator(mode="after")
    def _bounded(self) -> MetricCheck:
        if self.min is None and self.max is None:
            raise ValueError("metric needs min, max or both")
        return self


#: The check types every planaudit has, by name.
BUILTIN_CHECKS: dict[str, type[BaseModel]] = {
    "exists": ExistsCheck,
    "absent": AbsentCheck,
    "pattern": PatternCheck,
    "count": CountCheck,
    "field_present": FieldPresentCheck,
    "reference": ReferenceCheck,
    "conditional": ConditionalCheck,
    "metric": MetricCheck,
}


class PackCriterion(BaseModel):
    """A criterion a pack adds beside the twelve built-in ones."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    weight: float = Field(default=1.0, ge=0, description=(
        "weight in the overall score unless a profile sets one; 0 shows the criterion without scoring it"))
    description: Text | None = None


class PackRule(BaseModel):
    model_config = _FROZEN

    id: str = Field(pattern=r"^[A-Z]{2,8}[0-9]{3}$", description="the pack's prefix and three digits")
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", description="dotted name, e.g. 'lov.behovsoversikt'")
    criterion: str
    title: Text = Field(description="one line: what a good plan does")
    rationale: Text | None = Field(default=None, description="why: the source and what it asks")
    severity: Severity = "warning"
    weight: float = Field(default=1.0, ge=0)
    message: Text = Field(description=(
        "shown when the check fails; may use {value} (what was counted, e.g. '3 av 10'), and in "
        "findings about one place {quote}"))
    suggestion: Text | None = None
    citation: str = Field(min_length=1, description="the source and section the rule implements")
    examples: dict[Literal["good", "bad"], str] = Field(default_factory=dict)
    fail_level: Literal[0, 1] = Field(default=0, description="the level a failed check gives the criterion")
    check: dict[str, Any] = Field(description="a check: a mapping with 'type' and that type's parameters")


class RulePack(BaseModel):
    model_config = _FROZEN

    pack: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="pack name")
    version: str = "0"
    prefix: str = Field(pattern=r"^[A-Z]{2,8}$", description="every rule id starts with it")
    title: Text | None = None
    description: Text | None = None
    criteria: list[PackCriterion] = Field(default_factory=list)
    rules: list[PackRule] = Field(min_length=1)
