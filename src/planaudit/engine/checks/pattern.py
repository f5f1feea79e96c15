"""``pattern``: a regular expression that must (or must not) occur."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...model import PatternCheck
from ._base import CheckContext, CompiledCheck, Outcome, levels_from_count, occurrences
from ._matchers import compile_regex

__all__ = ["Pattern"]


class Pattern:
    name = "pattern"
    params = PatternCheck

    def prepare(self, params: PatternCheck, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        return compile_regex(params.regex)

    def evaluate(self, params: PatternCheck, prepared: re.Pattern[str], ctx: CheckContext) -> Outcome:
        found = occurrences(ctx.passages(params.select), prepared.finditer)
        if params.expect == "absent":
            return Outcome(0 if found else 2, str(len(found)), offending=tuple(found))
        return Outcome(levels_from_count(len(found), params.min, None), str(len(found)), tuple(found))
