"""The plugin's Python rules, one module per rule named by its id."""
from __future__ import annotations

from planaudit import Rule

from .dk001_activity_goals import ActivityGoals

__all__ = ["RULES", "ActivityGoals"]

RULES: tuple[type[Rule], ...] = (ActivityGoals,)
