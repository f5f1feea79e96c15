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


_PLAN_NOUN = re.compile(r"plan|strategi|melding|program", re.IGNORECASE)


def _title(document: Document) -> str | None:
    """The document's own title, else the first line on the first page that names a plan,
    else the first heading, else the first line."""
    if document.title:
        return document.title
    front = [block for block in document.blocks[:_FRONT_BLOCKS] if len(block.text) > 5]
    first_page = [block for block in front[:8] if len(block.text) <= 160]
    for candidates in ([b for b in first_page if _PLAN_NOUN.search(b.text)],
                       [b for b in front if b.kind is BlockKind.heading],
                       front[:1]):
        if candidates:
            return candidates[0].text[:200]
    return None


def extract_metadata(document: Document, language: str | None) -> PlanMetadata:
    front = "\n".join(block.text for block in document.blocks[:_FRONT_BLOCKS])
    title = _title(document)
    names = Counter(name for name in _MUNICIPALITY.findall(document.text[:100_000]) if name not in _NOT_NAMES)
    municipality = names.most_common(1)[0][0] if names else None
    period = plan_period(title or "") or plan_period(front)
    status = next((name for name, pattern in _STATUS if pattern.search(front)), None)
    return PlanMetadata(title=title, municipality=municipality, period=period, status=status,
                        language=language)
