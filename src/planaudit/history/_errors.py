"""The one error the history raises: which database, and what is wrong with it."""
from __future__ import annotations

from ..errors import PlanauditError

__all__ = ["HistoryError"]


class HistoryError(PlanauditError):
    """The audit history cannot be used: the database cannot be opened or reached, its
    driver is missing, or its schema is newer than this planaudit. The subject is the
    database URL with the password masked."""
