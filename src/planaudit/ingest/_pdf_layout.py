"""PDF lines to blocks: running headers and footers left out, headings by font size and
weight, tables, and prose split into paragraphs by spacing and short last lines.

Works on the lines ``_pdfium`` reads and ``_pdf_geometry`` groups; knows no PDF library.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import BlockKind
from ._layout import BlockSink, drop_running_lines, join_hyphenated, running_header
from ._pdf_geometry import Line, Rule, Table, find_tables

__all__ = ["Note", "PageText", "blocks_of"]

_NOT_LETTERS = re.compile(r"[\W\d_]+")
_ITEM_START = re.compile(r"^\s*(?:[•▪◦●■□➢►‣·–*]|-(?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))")
_SENTENCE_END = ".:;,!?"


@dataclass(frozen=True)
class Note:
    """A comment placed on the page (a PDF annotation with text) and the box it covers."""

    x0: float
    bottom: float
    x1: float
    top: float
    text: str


@dataclass
class PageText:
    """One page's lines in reading order, the rules drawn on it, and its comments."""

    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @functools.cached_property
    def letters(self) -> int:
        return sum(len(_NOT_LETTERS.sub("", line.text)) for line in self.lines)


@dataclass
class _Prose:
    """The lines of the paragraph being read on a page, and the list item it may carry on."""

    number: int
    chunk: list[tuple[int, str]] = field(default_factory=list)
    page_of: dict[int, int | None] = field(default_factory=dict)
    previous: Line | None = None
    item: Line | None = None

    def add(self, line: Line) -> None:
        key = len(self.page_of) + 1 + 1_000_000 * self.number
        self.page_of[key] = self.number
        self.chunk.append((key, line.text))
        self.previous = line


def blocks_of(pages: list[PageText]) -> BlockSink:
    """The pages' blocks, each with its page and section path."""
    return _Layout(pages).emit()


class _Layout:
    """Turns the pages' lines into blocks: tables, headings by font, prose by spacing."""

    def __init__(self, pages: list[PageText]) -> None:
        self.pages = pages
        lines = [line for page in pages for line in page.lines]
        self.body = _body_size(lines)
        self.heading_sizes = _heading_sizes(lines, self.body)
        self.sink = BlockSink()
        self.paragraph_gap = self.body
        self.right_edge = _right_edge(lines, self.body)
        self.numbering: dict[int, tuple[int, Line]] = {}

    def emit(self) -> BlockSink:
        dropped = self._running_lines()
        for page in self.pages:
            kept = [line for line in page.lines if id(line) not in dropped]
            self._page(page.number, kept, find_tables(kept, page.rules), _anchored(page.notes, kept))
        return self.sink

    def _running_lines(self) -> set[int]:
        """Running headers, footers and page numbers, by the shared text rules and, for small
        print in the outer margins, by position."""
        by_page: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for page in self.pages:
            for line in page.lines:
                number = len(self.numbering) + 1
                self.numbering[number] = (page.number, line)
                by_page[page.number].append((number, line.text))
        repeated = drop_running_lines(by_page)
        self.sink.running_header = running_header([self.numbering[number][1].text for number in sorted(repeated)])
        dropped = {id(self.numbering[number][1]) for number in repeated}
        for page in self.pages:
            margin = page.height * 0.06
            dropped.update(id(line) for line in page.lines
                           if (line.bottom > page.height - margin or line.top < margin)
                           and line.size < self.body * 0.95)
        return dropped

    def _page(self, number: int, lines: list[Line], tables: list[Table], notes: list[tuple[int, str]]) -> None:
        """One page's lines to blocks: a table where one starts, a heading where the font
        says so, else the line joins the paragraph or list item it carries on. A comment
        is placed once the line it sits beside has been read."""
        starts = {table.first: table for table in tables}
        self.paragraph_gap = _paragraph_gap(lines, self.body)
        prose = _Prose(number)
        pending = list(notes)
        index = 0
        while index < len(lines):
            if index in starts:
                self._flush(prose)
                self._table(starts[index], number, first_on_page=index == 0)
                index, prose.previous = starts[index].last + 1, None
            elif (after := self._heading(lines, index, number, prose)) is not None:
                index = after
            else:
                self._prose_line(prose, lines[index])
                index += 1
            while pending and pending[0][0] < index:
                self.sink.comment(pending.pop(0)[1], number)
        self._flush(prose)
        for _, text in pending:
            self.sink.comment(text, number)

    def _table(self, table: Table, number: int, first_on_page: bool) -> None:
        rows = self._with_carried_header(table.rows) if first_on_page else table.rows
        self.sink.add(BlockKind.table, "\n".join(" | ".join(row) for row in rows), number, None, rows=rows)

    def _heading(self, lines: list[Line], index: int, number: int, prose: _Prose) -> int | None:
        """Where reading goes on after the heading at ``index``, or None if there is none.
        A line in a heading's font that reads as a sentence, or runs long, stays text."""
        level = self._heading_level(lines[index])
        if level is None:
            return None
        heading, after = self._heading_text(lines, index)
        if len(heading) > 160 or heading[-1] in ".!?":
            return None
        self._flush(prose)
        self.sink.heading(heading, level, number, None)
        prose.previous = None
        return after

    def _prose_line(self, prose: _Prose, line: Line) -> None:
        previous, item = prose.previous, prose.item
        if previous is not None and item is not None and self._continues_item(item, previous, line):
            key, text = prose.chunk[-1]
            prose.chunk[-1] = (key, join_hyphenated([text, line.text]))
            prose.previous = line
            return
        prose.item = line if _ITEM_START.match(line.text) else None
        if previous is not None and self._breaks_paragraph(previous, line):
            self._flush(prose)
        prose.add(line)

    def _with_carried_header(self, rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        """A table that opens a page right after one that closed the page before goes on
        from it: without a repeated header row, it borrows that table's header."""
        last = self.sink.blocks[-1] if self.sink.blocks else None
        if last is None or last.kind is not BlockKind.table or not last.rows:
            return rows
        header = last.rows[0]
        if len(header) != len(rows[0]) or rows[0] == header:
            return rows
        return (header, *rows)

    def _flush(self, prose: _Prose) -> None:
        if prose.chunk:
            for key, _ in prose.chunk:
                self.sink.source_line[key] = None  # a PDF has pages, not source lines
            self.sink.paragraph_lines(list(prose.chunk), prose.page_of)
            prose.chunk.clear()

    def _heading_level(self, line: Line) -> int | None:
        text = line.text
        if len(text) > 150 or len(text.split()) > 15 or not (text[0].isupper() or text[0].isdigit()):
            return None
        for rank, size in enumerate(self.heading_sizes, start=1):
            if abs(line.size - size) <= 0.6:
                return rank
        if line.bold and abs(line.size - self.body) <= 0.6 and text[-1] not in _SENTENCE_END \
                and len(text.split()) <= 10 and len(line.column_groups) == 1:
            return len(self.heading_sizes) + 1
        return None

    def _heading_text(self, lines: list[Line], index: int) -> tuple[str, int]:
        """A heading that wraps continues on lines of the same size right below."""
        parts = [lines[index].text]
        first = lines[index]
        index += 1
        while index < len(lines) and abs(lines[index].size - first.size) <= 0.3 \
                and lines[index].bold == first.bold and lines[index - 1].bottom - lines[index].top < first.size \
                and first.size > self.body + 0.6:
            parts.append(lines[index].text)
            index += 1
        return " ".join(parts), index

    def _breaks_paragraph(self, previous: Line, line: Line) -> bool:
        """A wider gap, a change of size, or a line that ends well short of the margin
        before one that starts with a capital: the mark of a paragraph's last line."""
        gap = previous.bottom - line.top
        if gap > self.paragraph_gap or gap < -line.size or abs(previous.size - line.size) > 1.0:
            return True
        short = previous.x1 < self.right_edge - 0.25 * (self.right_edge - previous.x0)
        return short and (line.text[:1].isupper() or line.text[:1].isdigit())

    def _continues_item(self, item: Line, previous: Line, line: Line) -> bool:
        """A line set in at the text of the list item above it (a hanging indent) carries
        that item on, whatever letter it starts with."""
        text_start = item.column_groups[0][1].x0 if len(item.column_groups[0]) > 1 else item.x0 + 6.0
        gap = previous.bottom - line.top
        return abs(line.x0 - text_start) <= 4.0 and line.x0 > item.x0 + 3.0 and 0 <= gap <= self.paragraph_gap \
            and not _ITEM_START.match(line.text)


def _anchored(notes: list[Note], lines: list[Line]) -> list[tuple[int, str]]:
    """Each comment with the index of the line it sits beside: the nearest line in height,
    then in width (a two-column page has two lines at each height), in line order."""
    if not lines:
        return [(0, note.text) for note in notes]
    anchored = []
    for note in notes:
        middle = (note.top + note.bottom) / 2

        def distance(item: tuple[int, Line], note: Note = note, middle: float = middle) -> tuple[float, float]:
            line = item[1]
            dy = 0.0 if line.bottom <= middle <= line.top else min(abs(middle - line.top), abs(middle - line.bottom))
            dx = max(line.x0 - note.x1, note.x0 - line.x1, 0.0)
            return round(dy), dx

        index, _ = min(enumerate(lines), key=distance)
        anchored.append((index, note.text))
    return sorted(anchored, key=lambda pair: pair[0])


def _body_size(lines: list[Line]) -> float:
    weights: dict[float, int] = defaultdict(int)
    for line in lines:
        weights[round(line.size * 2) / 2] += len(line.text)
    return max(weights, key=lambda size: weights[size]) if weights else 10.0


def _heading_sizes(lines: list[Line], body: float) -> list[float]:
    """Font sizes above the body text that open short lines, largest first (Word's third
    heading level is 12 points over 11-point text)."""
    sizes = {round(line.size * 2) / 2 for line in lines
             if line.size >= body * 1.08 and len(line.text) <= 150}
    return sorted(sizes, reverse=True)[:6]


def _right_edge(lines: list[Line], body: float) -> float:
    """Where full lines of body text end: the right margin of the text column."""
    ends = sorted(line.x1 for line in lines if abs(line.size - body) <= 0.6)
    return ends[int(len(ends) * 0.9)] if ends else 0.0


def _paragraph_gap(lines: list[Line], body: float) -> float:
    """Space between lines above which a new paragraph begins: the page's usual gap between
    lines of body text (its lower quartile, so many short paragraphs do not raise it) plus a
    third of the font size, and never more than one and a half blank lines."""
    gaps = sorted(previous.bottom - line.top for previous, line in zip(lines, lines[1:])
                  if abs(line.size - body) <= 0.6 and abs(previous.size - body) <= 0.6 and previous.bottom > line.top)
    usual = gaps[len(gaps) // 4] if len(gaps) >= 4 else body * 0.4
    return min(usual + body * 0.35, body * 1.5)
