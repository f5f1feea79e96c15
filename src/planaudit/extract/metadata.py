"""Title, municipality, period and status of a plan, from its first pages."""
from __future__ import annotations

import re
from collections import Counter

from ..model import BlockKind, Document, PlanMetadata, PlanStatus
from .timing import plan_period

__all__ = ["extract_metadata"]

_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][a-zæøåA-ZÆØÅ\-]+(?:\s[A-ZÆØÅ][a-zæøå\-]+)?)\s+(?:kommune|kommunes|kommune sin)\b")
_NOT_NAMES = {"Den", "Det", "Hver", "Kvar", "Alle", "Hele", "Heile", "Vår", "Denne", "Dette", "Ny", "Nye",
              "Egen", "Eigen", "Annen", "Anna", "Samme", "Same", "Om", "For", "I", "Til"}
_STATUS: tuple[tuple[PlanStatus, re.Pattern[str]], ...] = (
    ("vedtatt", re.compile(r"\b(?:vedtatt|vedteke|godkjent)\b", re.IGNORECASE)),
    ("høring", re.compile(r"\b(?:høringsutkast|høyringsutkast|til høring|på høring|til høyring)\b", re.IGNORECASE)),
    ("utkast", re.compile(r"\b(?:utkast|forslag til)\b", re.IGNORECASE)),
)
_FRONT_BLOCKS = 40


def _title(document: Document) -> str | None:
    if document.title:
        return document.title
    for block in document.blocks[:_FRONT_BLOCKS]:
        if block.kind is BlockKind.heading and len(block.text) > 5:
            return block.text
    first = next((block.text for block in document.blocks if len(block.text) > 5), None)
    return first[:200] if first else None


def extract_metadata(document: Document, language: str | None) -> PlanMetadata:
    front = "\n".join(block.text for block in document.blocks[:_FRONT_BLOCKS])
    title = _title(document)
    names = Counter(name for name in _MUNICIPALITY.findall(document.text[:100_000]) if name not in _NOT_NAMES)
    municipality = names.most_common(1)[0][0] if names else None
    period = plan_period(title or "") or plan_period(front)
    status = next((name for name, pattern in _STATUS if pattern.search(front)), None)
    return PlanMetadata(title=title, municipality=municipality, period=period, status=status,
                        language=language)
