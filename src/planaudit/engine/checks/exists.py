"""``exists``: the terms (or sentences) occur in the selected part of the plan."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...extract import Terms
from ...model import ExistsCheck
from ._base import CheckContext, CompiledCheck, Outcome, Passage, levels_from_count, occurrences
from ._matchers import Finder, compile_entries, compile_source

__all__ = ["Exists"]


class Exists:
    name = "exists"
    params = ExistsCheck

    def prepare(self, params: ExistsCheck, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        return compile_source(params), compile_entries(params.terms)

    def evaluate(self, params: ExistsCheck, prepared: tuple[Finder, list[Terms]], ctx: CheckContext) -> Outcome:
        finder, entries = prepared
        passages = ctx.passages(params.select)
        found = occurrences(passages, finder)
        if params.all or params.min_distinct:
            return _distinct(params, entries, passages, found)
        return Outcome(levels_from_count(len(found), params.min, params.partial_min), str(len(found)), tuple(found))


def _distinct(params: ExistsCheck, entries: list[Terms], passages: tuple[Passage, ...],
              found: list[Passage]) -> Outcome:
    """Level by how many entries of ``terms`` occur somewhere: all of them, or ``min_distinct``."""
    present = sum(1 for entry in entries if any(entry.search(passage.text) for passage in passages))
    needed = len(entries) if params.all else (params.min_distinct or 1)
    return Outcome(levels_from_count(present, needed, params.partial_min), f"{present}/{len(entries)}", tuple(found))
