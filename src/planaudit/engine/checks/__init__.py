"""The check types of declarative rule packs, one module each, and what they share.

A plugin adds its own with ``planaudit_register_check_types``: an object with ``name``,
``params`` (a pydantic model whose ``type`` field is a literal of that name), ``prepare``
and ``evaluate`` (see :class:`CheckType`).
"""
from __future__ import annotations

from ._base import CheckContext, CheckError, CheckType, CompiledCheck, Outcome, Passage
from .absent import Absent
from .conditional import Conditional
from .count import Count
from .exists import Exists
from .field_present import FieldPresent
from .metric import Metric
from .pattern import Pattern
from .reference import Reference

__all__ = [
    "CheckContext",
    "CheckError",
    "CheckType",
    "CompiledCheck",
    "Outcome",
    "Passage",
    "builtin_check_types",
]


def builtin_check_types() -> dict[str, CheckType]:
    kinds: list[CheckType] = [Exists(), Absent(), Pattern(), Count(), FieldPresent(), Reference(),
                              Conditional(), Metric()]
    return {kind.name: kind for kind in kinds}
