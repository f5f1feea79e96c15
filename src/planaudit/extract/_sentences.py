"""Sentences with their place in the document, and the section roles around them."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Block, BlockKind, Document, Location
from ._match import Probe
from .sections import contents_blocks, roles_of_path

__all__ = ["Sentence", "sentences"]

_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"“•])|\s+•\s+")
_MAX_SENTENCE = 600


@dataclass(frozen=True)
class Sentence:
    text: str
    location: Location
    kind: BlockKind
    roles: frozenset[str]
    probe: Probe


def _pieces(block: Block) -> list[str]:
    if block.kind is BlockKind.table:
        return [" | ".join(cell for cell in row if cell) for row in block.rows]
    pieces = []
    for piece in _SPLIT.split(block.text):
        piece = piece.strip()
        while len(piece) > _MAX_SENTENCE:
            cut = piece.rfind(" ", 0, _MAX_SENTENCE)
            cut = cut if cut > 0 else _MAX_SENTENCE
            pieces.append(piece[:cut])
            piece = piece[cut:].strip()
        if piece:
            pieces.append(piece)
    return pieces


def sentences(document: Document) -> Iterator[Sentence]:
    """Every sentence (table row, list item) of the document, in order."""
    contents = contents_blocks(document)
    for index, block in enumerate(document.blocks):
        if index in contents:
            continue  # a table of contents line names chapters, it says nothing
        roles = roles_of_path(block.location.section)
        for piece in _pieces(block):
            yield Sentence(piece, block.location, block.kind, roles, Probe(piece))
