"""``absent``: words (or sentences) the plan should not lean on ("ved behov", "etter hvert");
each one is a finding."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...model import AbsentCheck
from ._base import CheckContext, CompiledCheck, Outcome, occurrences
from ._matchers import Finder, compile_source

__all__ = ["Absent"]


class Absent:
    name = "absent"
    params = AbsentCheck

    def prepare(self, params: AbsentCheck, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        return compile_source(params)

    def evaluate(self, params: AbsentCheck, prepared: Finder, ctx: CheckContext) -> Outcome:
        found = occurrences(ctx.passages(params.select), prepared)
        level = 2 if len(found) <= params.max else 0
        return Outcome(level, str(len(found)), offending=tuple(found) if level < 2 else ())
