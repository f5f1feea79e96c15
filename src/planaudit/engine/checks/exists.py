"""``exists``: the terms occur in the selected part of the plan (Vale's "existence", inverted)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...extract import TermError, Terms
from ...model import ExistsCheck
from ._base import CheckContext, CheckError, CompiledCheck, Outcome, levels_from_count, occurrences

__all__ = ["Exists", "compile_terms"]


def compile_terms(terms: list[str], key: str = "terms") -> list[Terms]:
    """One matcher per term, so ``all`` can ask for each; a bad term names the parameter."""
    try:
        return [Terms([term]) for term in terms]
    except TermError as err:
        raise CheckError(str(err), key) from None


class Exists:
    name = "exists"
    params = ExistsCheck

    def prepare(self, params: ExistsCheck, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        return compile_terms(params.terms), Terms(params.terms)

    def evaluate(self, params: ExistsCheck, prepared: tuple[list[Terms], Terms], ctx: CheckContext) -> Outcome:
        each, together = prepared
        passages = ctx.passages(params.select)
        found = occurrences(passages, together.finditer)
        if params.all:
            missing = [term for term, matcher in zip(params.terms, each)
                       if not any(matcher.search(p.text) for p in passages)]
            level = 2 if not missing else (1 if found and params.partial_min else 0)
            value = ", ".join(missing) if missing else str(len(found))
            return Outcome(level, value, tuple(found))
        return Outcome(levels_from_count(len(found), params.min, params.partial_min), str(len(found)), tuple(found))
