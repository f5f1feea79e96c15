"""Title, municipality, period and status of a plan, from its first pages."""
from __future__ import annotations

import re
from collections import Counter

from ..model import Block, BlockKind, Document, PlanMetadata, PlanStatus
from ._lexicon import terms
from .timing import plan_period

__all__ = ["extract_metadata"]

# One line only: "HØYRINGSUTKAST\nLindefjord kommune" names Lindefjord.
_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][a-zæøåA-ZÆØÅ\-]+(?:[ \t][A-ZÆØÅ][a-zæøå\-]+)?)[ \t]+(?:kommune|kommunes|kommune sin)\b")
_NOT_NAMES = {"Den", "Det", "Hver", "Kvar", "Alle", "Hele", "Heile", "Vår", "Denne", "Dette", "Ny", "Nye",
              "Egen", "Eigen", "Annen", "Anna", "Samme", "Same", "Om", "For", "I", "Til"}
_STATUS: tuple[tuple[PlanStatus, re.Pattern[str]], ...] = (
    ("vedtatt", re.compile(r"\b(?:vedtatt|vedteke|godkjent)\b", re.IGNORECASE)),
    ("høring", re.compile(r"\b(?:høringsutkast|høyringsutkast|til høring|på høring|til høyring)\b", re.IGNORECASE)),
    ("utkast", re.compile(r"\b(?:utkast|forslag til)\b", re.IGNORECASE)),
)
_FRONT_BLOCKS = 40


_PLAN_NOUN = re.compile(r"plan|strategi|melding|program", re.IGNORECASE)


_NOT_TITLE = re.compile(r"^(?:" + "|".join(terms("metadata.not_titles")) + r")\W*$", re.IGNORECASE)
# A table-of-contents entry ("1 Innledning 2", "2.1 Mål ........ 7") or a web page's
# breadcrumb trail ("Hjem > Bolig > Boligstrategi").
_NOT_TITLE_SHAPE = re.compile(r"(?:\.{3,}|…)\s*\d+\s*$|^\d+(?:\.\d+)*\.?\s+\S.*\s\d{1,3}$|\S\s+[>›»/]\s+\S")
# What a cover page runs together with the title: "STRAUMFJORD KOMMUNE" before it, the
# status and the council decision after it.
_COVER_PREFIX = re.compile(r"^(?:[A-ZÆØÅ][A-ZÆØÅ\- ]+ KOMMUNE|[A-ZÆØÅ][\w\-]+ kommune)\s+(?=\S)")
_COVER_SUFFIX = re.compile(r"\s+(?:vedtatt|vedteke[nt]?|godkjent|utkast|høringsutkast|høyringsutkast|forslag)\b.*$",
                           re.IGNORECASE)


# A running header that names the municipality and the plan: "Aurvik – Boligplan 2026–2029".
_HEADER_PARTS = re.compile(r"^(?P<name>[A-ZÆØÅ][\wæøå\-]+(?: [A-ZÆØÅ][\wæøå\-]+)?)(?: kommune)?\s+[–\-|:]\s+(?P<rest>.+)$")


def _front_lines(document: Document) -> tuple[list[str], list[str]]:
    """Lines of the first blocks that could be a title: those on the first page, then the rest."""
    blocks = document.blocks[:_FRONT_BLOCKS]
    first_page = blocks[0].location.page if blocks else None

    def usable(chosen: list[Block]) -> list[str]:
        lines = (line.strip() for block in chosen for line in block.text.splitlines())
        return [line for line in lines if 5 < len(line) <= 160 and not _NOT_TITLE.match(line)
                and not _NOT_TITLE_SHAPE.search(line)][:12]

    return (usable([b for b in blocks if b.location.page == first_page]),
            usable([b for b in blocks if b.location.page != first_page]))


def _cover_title(line: str) -> str:
    """The title out of a cover page's lines run together into one paragraph."""
    trimmed = _COVER_SUFFIX.sub("", _COVER_PREFIX.sub("", line))
    return trimmed if _PLAN_NOUN.search(trimmed) else line


def _header_title(header: str | None) -> str | None:
    """The plan's name in a running header, without the municipality before it."""
    if not header:
        return None
    parts = _HEADER_PARTS.match(header)
    title = parts.group("rest") if parts else header
    return title if _PLAN_NOUN.search(title) else None


def _title(document: Document) -> str | None:
    """The document's own title if it names a plan; else the first line on the first page
    that does, the running header's, a later line's; else the document's own title, the
    first heading or the first line."""
    own = document.title if document.title and not _NOT_TITLE.match(document.title) else None
    if own and _PLAN_NOUN.search(own):
        return own
    first_page, later = _front_lines(document)
    named = next((_cover_title(line) for line in first_page if _PLAN_NOUN.search(line)), None) \
        or _header_title(document.metadata.get("running_header")) \
        or next((_cover_title(line) for line in later if _PLAN_NOUN.search(line)), None)
    if named or own:
        return named or own
    headings = [block.text for block in document.blocks[:_FRONT_BLOCKS]
                if block.kind is BlockKind.heading and not _NOT_TITLE_SHAPE.search(block.text)]
    first = headings or first_page + later
    return first[0][:200] if first else None


def _municipality(document: Document) -> str | None:
    """The name most often written "X kommune"; else the one a running header names."""
    names = Counter(name for name in _MUNICIPALITY.findall(document.text[:100_000]) if name not in _NOT_NAMES)
    if names:
        return names.most_common(1)[0][0]
    header = document.metadata.get("running_header") or ""
    if (named := _MUNICIPALITY.search(header)) and named.group(1) not in _NOT_NAMES:
        return named.group(1)
    parts = _HEADER_PARTS.match(header)
    return parts.group("name") if parts and _PLAN_NOUN.search(parts.group("rest")) else None


def extract_metadata(document: Document, language: str | None) -> PlanMetadata:
    front = "\n".join(block.text for block in document.blocks[:_FRONT_BLOCKS])
    title = _title(document)
    municipality = _municipality(document)
    period = plan_period(title or "") or plan_period(front)
    status = next((name for name, pattern in _STATUS if pattern.search(front)), None)
    return PlanMetadata(title=title, municipality=municipality, period=period, status=status,
                        language=language)
