"""``conditional``: if one check passes, another decides ("a plan with a housing-need survey
must also say how the survey is followed up")."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...model import ConditionalCheck
from ._base import CheckContext, CompiledCheck, Outcome

__all__ = ["Conditional"]

_OTHERWISE = {"skip": None, "pass": 2, "fail": 0}


class Conditional:
    name = "conditional"
    params = ConditionalCheck

    def prepare(self, params: ConditionalCheck,
                compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        otherwise = compile_child(params.otherwise, "otherwise") if isinstance(params.otherwise, dict) else None
        return compile_child(params.if_, "if"), compile_child(params.then, "then"), otherwise

    def evaluate(self, params: ConditionalCheck,
                 prepared: tuple[CompiledCheck, CompiledCheck, CompiledCheck | None], ctx: CheckContext) -> Outcome:
        condition, consequence, alternative = prepared
        if condition.run(ctx).level == 2:
            return consequence.run(ctx)
        if alternative is not None:
            return alternative.run(ctx)
        return Outcome(_OTHERWISE[str(params.otherwise)])
