"""Section roles: what a heading says its section is for (mål, tiltak, økonomi ...).

The vocabulary, bokmål and nynorsk, is in ``data/lexicon.yaml`` under ``section_roles``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import BlockKind, Document
from ._lexicon import terms, terms_pattern
from ._match import Probe, find

__all__ = ["ROLES", "classify_sections", "contents_blocks", "roles_of_heading", "roles_of_path", "roles_of_section"]

ROLES: tuple[str, ...] = tuple(terms("section_roles"))
_NUMBER = re.compile(r"^\s*[\d.]+\s*")
_YEARS = re.compile(r"\b(?:19|20)\d\d\s*[-–—]\s*(?:(?:19|20)?\d\d)\b")


@lru_cache(maxsize=4096)
def roles_of_heading(title: str) -> frozenset[str]:
    """Roles a heading names, e.g. "3.2 Mål og strategiar" → {mål, strategi}. The plan's own
    title ("Boligsosial handlingsplan 2026–2029": unnumbered, a period of years) names the
    whole document, not a section of it."""
    if _is_document_title(title):
        return frozenset()
    probe = Probe(_NUMBER.sub("", title)[:120])
    return frozenset(role for role in ROLES if find(f"section_roles.{role}", probe))


def _is_document_title(title: str) -> bool:
    return not _NUMBER.match(title) and bool(_YEARS.search(title)) and bool(terms_pattern("plan_title").search(title))


def roles_of_path(path: tuple[str, ...]) -> frozenset[str]:
    """Every role named by any heading above a block (the widest reading)."""
    roles: set[str] = set()
    for title in path:
        roles |= roles_of_heading(title)
    return frozenset(roles)


def roles_of_section(path: tuple[str, ...]) -> frozenset[str]:
    """The role of a section: what its own heading names, else what the nearest heading
    above it names ("4 Tiltak > 4.2 Bolig for vanskeligstilte" is a tiltak section, while
    "Boligsosial handlingsplan > 3 Kunnskapsgrunnlag" is not one)."""
    for title in reversed(path):
        roles = roles_of_heading(title)
        if roles:
            return roles
    return frozenset()


def classify_sections(document: Document) -> dict[tuple[str, ...], frozenset[str]]:
    """Every section path of a document, in reading order, with its roles."""
    sections: dict[tuple[str, ...], frozenset[str]] = {}
    for block in document.blocks:
        path = block.location.section
        if path and path not in sections:
            sections[path] = roles_of_section(path)
    return sections


_CONTENTS_TITLE = re.compile(r"^\s*(?:innhold|innholdsfortegnelse|innholdsliste|innhald|innhaldsliste|"
                             r"innhaldsoversikt|innholdsoversikt)\s*:?\s*$", re.IGNORECASE)
_CONTENTS_ENTRY_LENGTH = 90


_LEADERS = re.compile(r"\.{5,}|…{3,}|(?:\s\.){4,}")


def contents_blocks(document: Document) -> frozenset[int]:
    """Indexes of the blocks of a table of contents: lines with dot leaders ("3 Mål ..... 7"),
    and, written without them, the short lines after "Innhold" up to the first line that is
    no entry or repeats one (the chapter the contents pointed to)."""
    found: set[int] = set()
    entries: set[str] = set()
    in_contents = False
    for index, block in enumerate(document.blocks):
        if _LEADERS.search(block.text):
            found.add(index)
            continue
        text = " ".join(block.text.split()).lower()
        if _CONTENTS_TITLE.match(text):
            in_contents, entries = True, set()
            continue
        if not in_contents:
            continue
        if text in entries or block.kind is BlockKind.heading or len(text) > _CONTENTS_ENTRY_LENGTH \
                or text.endswith((".", ":")):
            in_contents = False
            continue
        entries.add(text)
        found.add(index)
    return frozenset(found)
