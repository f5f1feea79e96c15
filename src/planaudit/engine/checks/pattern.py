"""``pattern``: a regular expression that must (or must not) occur."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...model import PatternCheck
from ._base import CheckContext, CheckError, CompiledCheck, Outcome, levels_from_count, occurrences

__all__ = ["Pattern", "compile_regex"]


def compile_regex(regex: str, key: str = "regex") -> re.Pattern[str]:
    try:
        pattern = re.compile(regex, re.IGNORECASE)
    except re.error as err:
        raise CheckError(f"invalid regular expression: {err}", key) from None
    if pattern.match(""):
        raise CheckError("the regular expression matches the empty text, so it matches everywhere", key)
    return pattern


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
