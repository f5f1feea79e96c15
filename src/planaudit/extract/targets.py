"""Checkable targets in goals: a number with a unit, a share, a from–to change."""
from __future__ import annotations

import re

from ._lexicon import terms, terms_pattern
from .timing import find_timing

__all__ = ["find_horizon", "find_indicator", "find_target"]

_NUMBER = r"(?<![\d.,])(?!(?:19|20)\d{2}\b)\d+(?:[.,]\d+)?"
_WORD_NUMBERS = r"(?:to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|tolv|femten|tjue|tretti|hundre|halvparten|dobbelt|halvere\w*|doble\w*)"


def _target_pattern() -> re.Pattern[str]:
    units = "|".join(sorted(terms("goals.units"), key=len, reverse=True))
    # Baseline to target first: "fra 25 til 10", "frå 86 % (2024) til 89 %".
    change = rf"\bfr[aå]\s+{_NUMBER}\s*(?:%|prosent)?(?:\s*\([^)]{{1,20}}\))?\s+til\s+(?:under\s+|over\s+)?{_NUMBER}\s*(?:%|prosent)?"
    return re.compile(
        rf"{change}|(?:{_NUMBER}|\b{_WORD_NUMBERS}\b)\s*(?:{units})(?![\wæøå])"
        rf"|\b(?:under|over|minst|maks(?:imalt)?|høgst|høyst|inntil|innan|innen)\s+{_NUMBER}"
        rf"|\b(?:halvere\w*|doble\w*|null\s+\w+)\b",
        re.IGNORECASE,
    )


_TARGET = _target_pattern()


def find_target(text: str) -> str | None:
    """The checkable target in a goal, e.g. "20 boliger", "fra 25 til 10", "under 3 måneder"."""
    match = _TARGET.search(text)
    return match.group(0).strip() if match else None


def find_horizon(text: str) -> str | None:
    """When a goal is to be met; vague timing ("på sikt") is no horizon."""
    timing = find_timing(text)
    return timing.text if timing and not timing.vague else None


def find_indicator(text: str) -> str | None:
    match = terms_pattern("goals.indicators").search(text)
    return match.group(0) if match else None
