"""The Markdown subset the templates are written in, parsed into a few blocks so that the
same text can be written as Word: headings, paragraphs, guidance, bullet lists and pipe
tables.

Guidance is a paragraph wholly in ``*...*``: italic in both formats, and an instruction to
the planner rather than plan text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Block", "parse"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^[-*+]\s+(.*)$")
_GUIDANCE = re.compile(r"^\*(?!\*)(.+?)\*$")
_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Block:
    """kind: heading, paragraph, guidance, item or table. ``rows`` for tables, header first."""

    kind: str
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()


def _cells(line: str) -> tuple[str, ...]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") else line
    return tuple(cell.strip() for cell in line.split("|"))


def _paragraph(lines: list[str]) -> Block:
    text = " ".join(line.strip() for line in lines)
    guidance = _GUIDANCE.match(text)
    return Block("guidance", guidance.group(1).strip()) if guidance else Block("paragraph", text)


def parse(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    pending: list[str] = []
    table: list[tuple[str, ...]] = []

    def flush() -> None:
        if pending:
            blocks.append(_paragraph(pending))
            pending.clear()
        if table:
            blocks.append(Block("table", rows=tuple(table)))
            table.clear()

    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            if pending:
                flush()
            if not _RULE.match(stripped):  # the |---| line under the header draws nothing
                table.append(_cells(stripped))
            continue
        if table:
            flush()
        heading, item = _HEADING.match(stripped), _ITEM.match(stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            blocks.append(Block("heading", heading.group(2), level=len(heading.group(1))))
        elif item:
            flush()
            blocks.append(Block("item", item.group(1).strip()))
        else:
            pending.append(stripped)
    flush()
    return blocks
