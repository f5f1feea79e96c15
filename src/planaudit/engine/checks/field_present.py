"""``field_present``: the share of goals or measures that carry responsible, deadline, cost, target..."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...extract import roles_of_path
from ...model import FieldPresentCheck
from ._base import CheckContext, CheckError, CompiledCheck, Outcome, Passage
from ._fields import ITEM_FIELDS, has_field

__all__ = ["FieldPresent"]


class FieldPresent:
    name = "field_present"
    params = FieldPresentCheck

    def prepare(self, params: FieldPresentCheck, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        wrong = sorted(set(params.fields) - ITEM_FIELDS[params.items])
        if wrong:
            raise CheckError(f"{params.items} have no field {', '.join(wrong)} "
                             f"(they have: {', '.join(sorted(ITEM_FIELDS[params.items]))})", "fields")
        if params.select.items or params.select.blocks:
            raise CheckError("field_present selects by sections only", "select")
        return None

    def evaluate(self, params: FieldPresentCheck, prepared: None, ctx: CheckContext) -> Outcome:
        wanted, unwanted = set(params.select.sections), set(params.select.exclude_sections)
        items = [item for item in getattr(ctx.rule.plan, params.items)
                 if (not wanted or roles_of_path(item.location.section) & wanted)
                 and not roles_of_path(item.location.section) & unwanted]
        complete = [item for item in items if all(has_field(item, f, params.strict) for f in params.fields)]
        lacking = tuple(Passage(item.text, item.location) for item in items if item not in complete)
        share = len(complete) / len(items) if items else 0.0
        if items and share >= params.threshold:
            level = 2
        elif params.partial is None:
            level = 1 if complete else 0
        else:
            level = 1 if items and share >= params.partial else 0
        found = tuple(Passage(item.text, item.location) for item in complete)
        return Outcome(level, f"{len(complete)}/{len(items)}", found, lacking)
