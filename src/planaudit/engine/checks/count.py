"""``count``: how often the terms, sentences or a regular expression occur, within bounds."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...model import CountCheck
from ._base import CheckContext, CompiledCheck, Outcome, occurrences
from ._matchers import compile_source

__all__ = ["Count"]


class Count:
    name = "count"
    params = CountCheck

    def prepare(self, params: CountCheck, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        return compile_source(params)

    def evaluate(self, params: CountCheck, prepared: Callable[[str], Any], ctx: CheckContext) -> Outcome:
        found = occurrences(ctx.passages(params.select), prepared)
        count = len(found)
        if params.max is not None and count > params.max:
            return Outcome(0, str(count), offending=tuple(found[params.max:]))
        if params.min is None or count >= params.min:
            return Outcome(2, str(count), tuple(found))
        partial = params.partial_min is not None and count >= params.partial_min
        return Outcome(1 if partial else 0, str(count), tuple(found))
