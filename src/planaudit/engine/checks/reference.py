"""``reference``: the plan cites a named plan or law, or ties itself to one of the municipality's plans."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...extract import Terms
from ...model import ReferenceCheck
from ._base import CheckContext, CompiledCheck, Outcome, Passage, occurrences
from ._matchers import compile_entries, flatten

__all__ = ["Reference"]


class Reference:
    name = "reference"
    params = ReferenceCheck

    def prepare(self, params: ReferenceCheck, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        compile_entries(params.names, "names")
        compile_entries(params.partial, "partial")
        return (Terms(flatten(params.names)) if params.names else None,
                Terms(flatten(params.partial)) if params.partial else None)

    def evaluate(self, params: ReferenceCheck, prepared: tuple[Terms | None, Terms | None],
                 ctx: CheckContext) -> Outcome:
        names, partial = prepared
        passages = ctx.passages(params.select)
        found = occurrences(passages, names.finditer) if names else []
        found += [Passage(ref.text, ref.location) for ref in ctx.rule.plan.references
                  if ref.kind in params.kinds and (ref.explicit or not params.explicit)]
        if found:
            return Outcome(2, str(len(found)), tuple(found))
        weak = occurrences(passages, partial.finditer) if partial else []
        return Outcome(1 if weak else 0, str(len(weak)), tuple(weak))
