"""Whether a goal or measure has a field, as the rubric counts it."""
from __future__ import annotations

from typing import Any

__all__ = ["ITEM_FIELDS", "has_field"]

#: The fields each kind of item can be asked for.
ITEM_FIELDS: dict[str, frozenset[str]] = {
    "goals": frozenset({"target", "horizon", "indicator"}),
    "measures": frozenset({"responsible", "deadline", "cost", "goal"}),
}

# A field that is there but only in words the rubric does not count ("kommunen",
# "løpende", "krever midler") has a flag beside it on the item.
_WEAK_FLAG = {"responsible": "responsible_generic", "deadline": "deadline_vague", "cost": "cost_generic"}


def has_field(item: Any, field: str, strict: bool = True) -> bool:
    if not getattr(item, field, None):
        return False
    return not (strict and getattr(item, _WEAK_FLAG.get(field, ""), False))
