"""What a check type is, what it sees, and what it returns."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from ...extract import roles_of_path, sentences
from ...model import BlockKind, Location, Plan, Selector
from ..rule import RuleContext

__all__ = ["CheckContext", "CheckError", "CheckType", "CompiledCheck", "Outcome", "Passage", "levels_from_count", "occurrences"]


class CheckError(ValueError):
    """A check that cannot be compiled; ``key`` names the parameter at fault."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Passage:
    """A piece of the plan a check found or objects to, and where it is."""

    text: str
    location: Location


@dataclass(frozen=True)
class Outcome:
    """A check's verdict: level 2 passed, 1 partly, 0 failed, None not assessed (does not apply)."""

    level: int | None
    value: str = ""
    found: tuple[Passage, ...] = ()
    offending: tuple[Passage, ...] = ()


@runtime_checkable
class CheckType(Protocol):
    """A check type for rule packs: its parameter model, how to prepare it, how to run it."""

    @property
    def name(self) -> str:
        """The ``type`` name in a pack."""

    @property
    def params(self) -> type[BaseModel]:
        """The pydantic model of its parameters (``type`` included)."""

    def prepare(self, params: Any, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        """Work done once when the pack loads (compile terms, parse expressions); raise
        :class:`CheckError` for what the schema cannot catch."""

    def evaluate(self, params: Any, prepared: Any, ctx: CheckContext) -> Outcome:
        """The outcome on one plan."""


@dataclass(frozen=True)
class CompiledCheck:
    kind: CheckType
    params: BaseModel
    prepared: Any = None

    def run(self, ctx: CheckContext) -> Outcome:
        return self.kind.evaluate(self.params, self.prepared, ctx)


@dataclass
class CheckContext:
    """The plan as checks see it: the rule context and passages chosen by selectors.

    Every rule of a pack gets its own CheckContext, so what is worth keeping (the document's
    sentences, the passages of each selector) lives in the audit's shared scratch space.
    """

    rule: RuleContext

    @property
    def _cache(self) -> dict[Selector, tuple[Passage, ...]]:
        return self.rule.shared.setdefault("pack_passages", {})  # type: ignore[no-any-return]

    @property
    def _sentences(self) -> tuple[Any, ...]:
        shared = self.rule.shared
        if "pack_sentences" not in shared:
            document = self.rule.document
            shared["pack_sentences"] = (tuple(sentences(document)) if document.blocks
                                        else _item_sentences(self.rule.plan))
        return shared["pack_sentences"]  # type: ignore[no-any-return]

    def passages(self, selector: Selector) -> tuple[Passage, ...]:
        """The sentences (or plan items) a selector picks, in document order."""
        if selector not in self._cache:
            self._cache[selector] = self._select(selector)
        return self._cache[selector]

    def _select(self, selector: Selector) -> tuple[Passage, ...]:
        wanted, unwanted = set(selector.sections), set(selector.exclude_sections)
        if selector.items:
            items = getattr(self.rule.plan, selector.items)
            return tuple(Passage(item.text, item.location) for item in items
                         if _roles_fit(roles_of_path(item.location.section), wanted, unwanted))
        kinds = set(selector.blocks)
        return tuple(Passage(sentence.text, sentence.location) for sentence in self._sentences
                     if (not kinds or sentence.kind.value in kinds)
                     and _roles_fit(sentence.roles, wanted, unwanted))


# A structured plan (YAML/JSON) has items but no text: its items are its sentences, each in
# the section role where a written plan would have it.
_ITEM_ROLES: dict[str, frozenset[str]] = {
    "goals": frozenset({"mål"}), "measures": frozenset({"tiltak"}), "knowledge": frozenset({"kunnskapsgrunnlag"}),
    "participation": frozenset({"medvirkning"}), "follow_up": frozenset({"oppfølging"}),
    "organisation": frozenset({"organisering"}), "political": frozenset({"innledning"}),
    "references": frozenset({"innledning"}), "actors": frozenset(),
}


@dataclass(frozen=True)
class _ItemSentence:
    text: str
    location: Location
    kind: BlockKind
    roles: frozenset[str]


def _item_sentences(plan: Plan) -> tuple[_ItemSentence, ...]:
    return tuple(_ItemSentence(item.text, item.location, BlockKind.paragraph, roles)
                 for kind, roles in _ITEM_ROLES.items() for item in getattr(plan, kind))


def _roles_fit(roles: frozenset[str], wanted: set[str], unwanted: set[str]) -> bool:
    return (not wanted or bool(roles & wanted)) and not roles & unwanted


def occurrences(passages: tuple[Passage, ...], finditer: Callable[[str], Any]) -> list[Passage]:
    """One passage per match, in order (a sentence with two matches counts twice)."""
    return [passage for passage in passages for _ in finditer(passage.text)]


def levels_from_count(count: int, minimum: int, partial: int | None) -> int:
    """2 at or over ``minimum``, 1 at or over ``partial``, else 0."""
    if count >= minimum:
        return 2
    return 1 if partial is not None and count >= partial else 0
