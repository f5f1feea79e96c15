"""A municipality's score over time, compared like with like.

Scores made with different scoring profiles are not comparable (each profile weighs the
criteria differently and requires other levels), so a change is only ever computed between
audits made with the same profile: 54 by kommune and then 100 by husbanken is no gain of
46 points, and the next kommune audit is compared with the kommune audit before it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["ProfileSeries", "profile_series", "score_changes"]


class Scored(Protocol):
    """What the trend reads of an audit (``AuditRecord`` has it)."""

    @property
    def profile(self) -> str: ...

    @property
    def score(self) -> int: ...


@dataclass(frozen=True)
class ProfileSeries:
    """The scores of one profile's audits, oldest first."""

    profile: str
    scores: tuple[int, ...]

    @property
    def first(self) -> int:
        return self.scores[0]

    @property
    def last(self) -> int:
        return self.scores[-1]

    @property
    def change(self) -> int | None:
        """From the first to the last audit; None with only one."""
        return self.last - self.first if len(self.scores) > 1 else None


def score_changes(records: Sequence[Scored]) -> list[int | None]:
    """Each audit's change from the previous audit with the same profile (records oldest
    first); None for the first audit of each profile."""
    last: dict[str, int] = {}
    changes: list[int | None] = []
    for record in records:
        before = last.get(record.profile)
        changes.append(None if before is None else record.score - before)
        last[record.profile] = record.score
    return changes


def profile_series(records: Sequence[Scored]) -> list[ProfileSeries]:
    """One series per profile, in the order each profile was first used."""
    scores: dict[str, list[int]] = {}
    for record in records:
        scores.setdefault(record.profile, []).append(record.score)
    return [ProfileSeries(profile, tuple(values)) for profile, values in scores.items()]
