"""Time expressions: deadlines, periods, recurring schedules, and vague timing."""
from __future__ import annotations

import re
from typing import Literal, NamedTuple

from ._lexicon import terms, terms_pattern

__all__ = ["Timing", "find_timing", "find_years", "plan_period"]

TimingKind = Literal["date", "quarter", "season", "month", "period", "year", "recurring", "vague"]

_MONTHS = "|".join(terms("timing.months"))
_SEASONS = "|".join(terms("timing.seasons"))
_YEAR = r"20[0-9]{2}"
_SPECIFIC_PATTERNS: tuple[tuple[TimingKind, str], ...] = (
    ("date", rf"\b\d{{1,2}}\.\s?\d{{1,2}}\.\s?(?:{_YEAR}|\d{{2}})\b|\b\d{{1,2}}\.\s?(?:{_MONTHS})\s+{_YEAR}\b"),
    ("quarter", rf"\b[1-4]\.\s?(?:kvartal|tertial|halvår)(?:\s+{_YEAR})?"),
    ("season", rf"\b(?:{_SEASONS})\s+(?:{_YEAR})\b"),
    ("month", rf"\b(?:{_MONTHS})\s+{_YEAR}\b"),
    ("period", rf"\b{_YEAR}\s?[-–/]\s?(?:{_YEAR}|\d{{2}})\b"),
    ("year", rf"\b(?:innen|innan|i løpet av|i løpet|fram mot|frem mot|fra|frå|til|før|etter|i|ila\.?|utgangen av|slutten av|"
             rf"oppstart|start|ferdig|ferdigstilt|ferdigstilles|klar|år)\s+(?:utgangen av\s+)?{_YEAR}\b"),
    ("year", rf"^\s*{_YEAR}\s*$|\(\s*{_YEAR}\s*\)|\b{_YEAR}\b(?=\s*[:;,.]?\s*$)"),
)
_SPECIFIC: tuple[tuple[TimingKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _SPECIFIC_PATTERNS
)
_ANY_YEAR = re.compile(rf"\b{_YEAR}\b")
_PERIOD = re.compile(rf"\b({_YEAR})\s?[-–]\s?({_YEAR}|\d{{2}})\b")


class Timing(NamedTuple):
    text: str
    kind: TimingKind

    @property
    def vague(self) -> bool:
        return self.kind == "vague"


def find_timing(text: str, *, bare_year: bool = False) -> Timing | None:
    """The most specific time expression in a text, or None.

    ``bare_year``: a year standing anywhere counts (in a measure's own deadline cell).
    """
    for kind, pattern in _SPECIFIC:
        match = pattern.search(text)
        if match:
            return Timing(match.group(0).strip(), kind)
    if bare_year:
        match = _ANY_YEAR.search(text)
        if match:
            return Timing(match.group(0), "year")
    match = terms_pattern("timing.recurring").search(text)
    if match:
        return Timing(match.group(0), "recurring")
    match = terms_pattern("timing.vague").search(text)
    if match:
        return Timing(match.group(0), "vague")
    return None


def find_years(text: str) -> list[int]:
    return [int(year) for year in _ANY_YEAR.findall(text)]


def plan_period(text: str) -> tuple[int, int] | None:
    """A plan period such as "2024–2028" (or "2023-27"), if the text holds one."""
    for match in _PERIOD.finditer(text):
        start = int(match.group(1))
        end_text = match.group(2)
        end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
        if start < end <= start + 20:
            return (start, end)
    return None
