"""Markdown and plain text: headings, lists, pipe tables, page markers and form feeds.

Parsed with markdown-it-py (CommonMark + GFM tables). Text converted from PDFs keeps its
layout habits (numbered headings inside paragraphs, "•" bullets, running footers), so the
paragraph lines go through the shared layout rules as well.

HTML comments (``<!-- ... -->``) other than page markers are the author's comments: they are
taken out of the text before parsing and surfaced as ``Document.comments``, each in the
section of the last block at or before its line.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import Block, BlockKind, Comment, Document, Location
from ._layout import (
    MAX_COMMENTS,
    BlockSink,
    drop_running_lines,
    running_header,
    heading_level,
    join_hyphenated,
    table_cells,
)
from ._registry import Source
from ._text import decode_text, looks_like_text

__all__ = ["MarkdownReader"]

_PAGE_MARKER = re.compile(r"^\s*<!--\s*(?:side|page|seksjon|section)\s+(\d+)\s*-->\s*$", re.IGNORECASE)
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_MARKER_TEXT = re.compile(r"\s*(?:side|page|seksjon|section)\s+\d+\s*", re.IGNORECASE)
_MARKDOWN_HINT = re.compile(r"^(#{1,6}\s|\|.*\||[-*+]\s|\d+\.\s|<!--)", re.MULTILINE)


class MarkdownReader:
    name = "markdown"
    extensions: tuple[str, ...] = (".md", ".markdown", ".txt", ".text")
    media_types: tuple[str, ...] = ("text/markdown", "text/plain")

    def sniff(self, source: Source) -> int:
        return 1 if looks_like_text(source.head) else 0

    def read(self, source: Source) -> Document:
        text = decode_text(source)
        body, found = _take_comments(text)
        paginated = _paginate(body)
        lines, page_of, paged = paginated.lines, paginated.page_of, paginated.paged
        by_page: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for number, line in enumerate(lines, start=1):
            page = page_of[number]
            if page is not None:
                by_page[page].append((number, line))
        dropped = drop_running_lines(by_page)
        running = running_header([lines[number - 1] for number in sorted(dropped)])
        for number in dropped:
            lines[number - 1] = ""
        sink = BlockSink(source_line=paginated.source_line)
        plain = source.suffix in _PLAIN_TEXT or (source.suffix not in (".md", ".markdown")
                                                  and not _MARKDOWN_HINT.search(text))
        if plain:
            _read_plain(sink, lines, page_of)
        else:
            tokens = MarkdownIt("commonmark").enable("table").parse("\n".join(lines))
            _Walker(sink, lines, page_of).walk(tokens)
        fmt = "text" if plain else "markdown"
        # A page counts when something is on it: pdftotext ends its output with a form feed.
        pages = max(filter(None, (page_of[n] for n, line in enumerate(lines, start=1) if line.strip())),
                    default=None)
        return Document(
            path=source.path, sha256=source.sha256, format=fmt,
            pages=pages if paged else None, blocks=tuple(sink.blocks),
            metadata={"running_header": running} if running else {},
            comments=_anchored(found, sink.blocks, paginated),
        )


def _take_comments(text: str) -> tuple[str, list[tuple[str, int]]]:
    """The text without its comments, and each comment with the source line it starts on.

    A page marker alone on its line stays (``_paginate`` reads it); a comment's own line
    breaks stay too, so every other line keeps its number.
    """
    if "<!--" not in text:
        return text, []
    found: list[tuple[str, int]] = []
    pieces: list[str] = []
    kept_from = counted = 0
    line = 1
    # Only up to the last "-->": an unclosed "<!--" after it would be searched to the end
    # of the text once per "<!--".
    for match in _COMMENT.finditer(text, 0, text.rfind("-->") + 3):
        inner = match.group(1)
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        alone = not text[line_start:match.start()].strip() and \
            not text[match.end():len(text) if line_end < 0 else line_end].strip()
        if alone and _MARKER_TEXT.fullmatch(inner):
            continue  # a page marker
        pieces.append(text[kept_from:match.start()])
        pieces.append("\n" * inner.count("\n"))
        kept_from = match.end()
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if inner.strip() and len(found) < MAX_COMMENTS:
            found.append((inner.strip(), line))
    pieces.append(text[kept_from:])
    return "".join(pieces), found


def _anchored(found: list[tuple[str, int]], blocks: list[Block], pages: _Pages) -> tuple[Comment, ...]:
    """Each comment in the section of the last block that starts at or before its line."""
    page_at: dict[int, int | None] = {}
    for number, source in pages.source_line.items():
        if source is not None:
            page_at.setdefault(source, pages.page_of.get(number))
    lines = [(block.location.line, block) for block in blocks if block.location.line is not None]
    comments = []
    index = 0
    last: Block | None = None
    for text, line in found:  # in source order, as are the blocks
        while index < len(lines) and (lines[index][0] or 0) <= line:
            last = lines[index][1]
            index += 1
        location = Location(page=page_at.get(line), line=line,
                            block=last.location.block if last is not None else None,
                            section=last.location.section if last is not None else ())
        comments.append(Comment(text=text, location=location))
    return tuple(comments)


# Plain text (often pdftotext output) is not Markdown: "2. kvartal 2025" is no list item and an
# indented line no code block. Only the layout rules apply.
_PLAIN_TEXT = (".txt", ".text")


def _read_plain(sink: BlockSink, lines: list[str], page_of: dict[int, int | None]) -> None:
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            chunk.append((number, line))
        elif chunk:
            sink.paragraph_lines(chunk, page_of)
            chunk = []
    if chunk:
        sink.paragraph_lines(chunk, page_of)


@dataclass
class _Pages:
    """The text as lines without page markers or form feeds, with each line's page and the
    line of the source it came from (a form feed inside a line splits it in two)."""

    lines: list[str]
    page_of: dict[int, int | None]
    source_line: dict[int, int | None]
    paged: bool


def _paginate(text: str) -> _Pages:
    source_lines = text.split("\n")
    paged = "\f" in text or any(_PAGE_MARKER.match(line) for line in source_lines if "<!--" in line)
    page: int | None = 1 if paged else None
    pages = _Pages([], {}, {}, paged)
    for source_number, line in enumerate(source_lines, start=1):
        marker = _PAGE_MARKER.match(line)
        if marker:
            page = int(marker.group(1))
            line = ""
        for piece_index, piece in enumerate(line.split("\f")):
            if piece_index and page is not None:
                page += 1
            pages.lines.append(piece)
            number = len(pages.lines)
            pages.page_of[number] = page
            pages.source_line[number] = source_number
    return pages


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")


def _plain(text: str) -> str:
    """Inline Markdown as the reader sees it: links by their text, no emphasis marks."""
    if "[" in text:
        text = _LINK.sub(r"\1", text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub(r"\2", text)
    return text


# A bullet whose lazy continuation swallowed this many cell-like lines is a table cell, not an
# item with its "Ansvar:" and "Tid:" lines.
_SWEPT_TABLE_LINES = 6


class _Walker:
    """Turns markdown-it's token stream into blocks with source lines and pages."""

    def __init__(self, sink: BlockSink, lines: list[str], page_of: dict[int, int | None]) -> None:
        self.sink = sink
        self.lines = lines
        self.page_of = page_of

    def walk(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            index = self._step(tokens, index)

    def _step(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        first = token.map[0] + 1 if token.map else None
        page = self.page_of.get(first) if first else None
        if token.type == "heading_open":
            text = _plain(tokens[index + 1].content).strip()
            if text:
                self.sink.heading(text, int(token.tag[1]), page, first)
            return index + 3
        if token.type == "ordered_list_open":
            return self._numbered_heading(tokens, index, page, first)
        if token.type == "list_item_open":
            return self._list_item(tokens, index, page, first)
        if token.type == "table_open":
            return self._table(tokens, index, page, first)
        if token.type == "paragraph_open" and token.map:
            start, end = token.map
            numbered = [(number + 1, _plain(self.lines[number])) for number in range(start, end)]
            self.sink.paragraph_lines(numbered, self.page_of)
            return index + 3
        if token.type in ("fence", "code_block"):
            self.sink.add(BlockKind.paragraph, token.content, page, first)
        return index + 1

    def _numbered_heading(self, tokens: list[Token], index: int, page: int | None, first: int | None) -> int:
        """"4. Tiltak" alone is a numbered heading, though Markdown reads a one-item list."""
        close = next(i for i in range(index, len(tokens))
                     if tokens[i].type == "ordered_list_close" and tokens[i].level == tokens[index].level)
        items = [t for t in tokens[index:close] if t.type == "list_item_open" and t.level == tokens[index].level + 1]
        inlines = [t for t in tokens[index:close] if t.type == "inline"]
        if len(items) == 1 and len(inlines) == 1 and "\n" not in inlines[0].content:
            text = f"{items[0].info}. {_plain(inlines[0].content).strip()}"
            level = heading_level(text)
            if level is not None:
                self.sink.heading(text, level, page, first)
                return close + 1
        return index + 1

    def _list_item(self, tokens: list[Token], index: int, page: int | None, first: int | None) -> int:
        """The item's own paragraph becomes a list item; nested lists follow as their own items.

        A numbered heading that Markdown took as a lazy continuation line of the item
        ("3. ... møte\n3.2 Fra budsjettet:") ends the item and opens its section.
        """
        number = tokens[index].info if tokens[index].markup in (".", ")") else ""
        index += 1
        texts = []
        while tokens[index].type not in ("list_item_close", "bullet_list_open", "ordered_list_open"):
            if tokens[index].type == "inline":
                texts.append(_plain(tokens[index].content))
            index += 1
        lines = [line for text in texts for line in text.split("\n")]
        ordinal = bool(number and lines and lines[0][:1].islower())
        if number and lines:  # keep "2." of "2. kvartal 2025" or "2. Tiltak": it is the plan's text
            lines[0] = f"{number}. {lines[0]}"
        numbered = [(first + n, line) for n, line in enumerate(lines)] if first is not None else []
        if numbered and (ordinal or (len(numbered) >= _SWEPT_TABLE_LINES and table_cells(numbered))):
            # "1. kvartal 2025" is a date, and "+ Husbanken-tilskudd" a cell: in a flattened
            # table the lines Markdown swept into such an "item" are the table's next cells.
            self.sink.paragraph_lines(numbered, self.page_of, as_cells=True)
            return index if tokens[index].type != "list_item_close" else index + 1
        cut = next((i for i, line in enumerate(lines) if i and heading_level(line) is not None), len(lines))
        self.sink.add(BlockKind.list_item, join_hyphenated(lines[:cut]), page, first)
        if cut < len(lines) and first is not None:
            rest = [(first + offset, lines[offset]) for offset in range(cut, len(lines))]
            self.sink.paragraph_lines(rest, self.page_of)
        return index if tokens[index].type != "list_item_close" else index + 1

    def _table(self, tokens: list[Token], index: int, page: int | None, first: int | None) -> int:
        rows: list[tuple[str, ...]] = []
        row: list[str] = []
        while tokens[index].type != "table_close":
            kind = tokens[index].type
            if kind == "tr_open":
                row = []
            elif kind == "inline":
                row.append(_plain(tokens[index].content).strip())
            elif kind == "tr_close":
                rows.append(tuple(row))
            index += 1
        text = "\n".join(" | ".join(cells) for cells in rows)
        self.sink.add(BlockKind.table, text, page, first, rows=tuple(rows))
        return index + 1
