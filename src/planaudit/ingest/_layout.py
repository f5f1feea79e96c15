"""Layout knowledge every reader of paged text shares: page breaks, running headers and
footers, numbered headings, bullets and hyphenation. No Norwegian, only typography."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Block, BlockKind, Comment, Location

__all__ = [
    "MAX_COMMENTS",
    "BlockSink",
    "drop_running_lines",
    "heading_level",
    "running_header",
    "join_hyphenated",
    "split_bullets",
    "table_cells",
]

# "3.2 Mål", "1.0 Innledning", "4. Tiltak": one or two digit parts, then a capitalised title.
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$")
_TOC_LEADER = re.compile(r"\.{4,}|…{2,}")
_BULLET = re.compile(r"^\s*[•▪◦●■□➢►‣·\-–*]\s+")
# A line that opens with a word, a number and a colon: "Mål 2:", "Tiltak 3.1:", "Delmål 1.2)".
_LABELLED_ITEM = re.compile(r"^\s*[A-ZÆØÅ][\wæøå]{1,15}\s\d{1,2}(?:\.\d{1,2})*\s*[:.)]\s")
# A run of mostly short lines is a table flattened by PDF conversion, a cell per line, not
# a paragraph wrapped at the page margin.
# Wrapped prose runs to the margin (60–100 characters in converted plans, 45 and more in
# two-column layouts); cells wrap within a column.
_CELL_LINES = 4
_CELL_MEDIAN = 36
_CELL_WIDTH = 42


def table_cells(lines: list[tuple[int, str]]) -> bool:
    """Whether a run of lines is a flattened table: a cell per line, or a row per line
    each opening with its number ("3.1 Bygge 12 boliger … Eiendom KF 2026")."""
    texts = [text.strip() for _, text in lines if text.strip()]
    if len(texts) < 3 or sum(1 for text in texts if _BULLET.match(text)) >= 2:
        return False  # a bulleted list keeps its items' wrapped lines and "Ansvar:" lines together
    if sum(1 for text in texts if _ROW_NUMBER.match(text)) >= max(3, 0.6 * len(texts)):
        return True
    widths = sorted(len(text) for text in texts)
    short = sum(1 for width in widths if width <= _CELL_WIDTH)
    return len(widths) >= _CELL_LINES and widths[len(widths) // 2] <= _CELL_MEDIAN and short >= 0.6 * len(widths)


_ROW_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+\S")
_TRAILING_FIGURES = re.compile(r"(?:\s\d[\d ,.]*){2,}$")
_LONE_BULLET = re.compile(r"^\s*[•▪◦●■□➢►‣·]\s*$")
_INLINE_BULLET = re.compile(r"\s+[•▪●■➢►]\s+")
_LONE_NUMBER = re.compile(r"^\d{1,4}$")
# "plan- og bygningsloven": a hyphen before a conjunction stands for a shared word part.
_CONJUNCTION = re.compile(r"^(?:og|eller|samt|and|or|til)\b")
# Headings and table rows are content even when they recur at the top of every page.
_STRUCTURAL = re.compile(r"^\s*(?:#|\|)")


def heading_level(line: str) -> int | None:
    """The level of a numbered heading line ("3.2 Mål" → 2), or None if it is not one."""
    match = _NUMBERED_HEADING.match(line.strip())
    if not match or _TOC_LEADER.search(line):
        return None
    number, title = match.groups()
    if not title[0].isupper() or len(title) > 70 or len(title.split()) > 9:
        return None
    # "3.2 Fra budsjettdokumentet 2022:" introduces its section; a full stop ends a sentence.
    if title.rstrip()[-1] in ".,;!?" or sum(ch.isdigit() for ch in title) > len(title) // 3:
        return None
    if _TRAILING_FIGURES.search(title):
        return None  # "3.3 Tilstandsvurdering 400 0 0 0": a table row, figure after figure
    parts = [part for part in number.split(".") if part]
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return len(parts)


def _numbering_depth(text: str) -> int | None:
    match = _NUMBERED_HEADING.match(text.strip())
    return len([part for part in match.group(1).split(".") if part]) if match else None


def _outnumbered(open_heading: str, depth: int | None) -> bool:
    """A numbered heading closes an open one numbered as deep or deeper, whatever their markup:
    "## 5 Mål" ends "2 Lovverk" though conversion made one a Markdown heading and not the other."""
    open_depth = _numbering_depth(open_heading)
    return depth is not None and open_depth is not None and open_depth >= depth


def split_bullets(line: str) -> tuple[bool, list[str]]:
    """(whether the line starts with a bullet, the items or text pieces it holds)."""
    starts = bool(_BULLET.match(line))
    body = _BULLET.sub("", line, count=1) if starts else line
    pieces = [piece.strip() for piece in _INLINE_BULLET.split(body) if piece.strip()]
    return starts or len(pieces) > 1, pieces


def join_hyphenated(lines: list[str]) -> str:
    """Join lines of one paragraph, mending words split at a line end ("bolig-" + "sosial")."""
    text = ""
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line[:1].islower() \
                and not _CONJUNCTION.match(line):
            text = text[:-1] + line
        elif text:
            text += " " + line
        else:
            text = line
    return text


# A page number or "side 3" / "page 3 of 20" at either end of a running header or footer.
_PAGE_PART = re.compile(r"^\s*(?:(?:side|page|s\.)\s*)?\d{1,3}(?:\s*(?:av|of|/)\s*\d{1,3})?(?!\d)\s*[–\-|]?\s*"
                        r"|\s*[–\-|]?\s*(?:(?:side|page|s\.)\s*)?(?<![\d–\-])\d{1,3}(?:\s*(?:av|of|/)\s*\d{1,3})?\s*$", re.IGNORECASE)


def running_header(lines: list[str]) -> str | None:
    """The text that most often runs along the page edges, without its page number: it often
    names the plan and the municipality ("Havnås kommune – Boligplan 2026–2035"), also
    when the cover page does not."""
    texts = [_PAGE_PART.sub("", line).strip() for line in lines]
    worded = [text for text in texts if len(re.findall(r"[^\W\d_]{2,}", text)) >= 2]
    if not worded:
        return None
    return max(sorted(set(worded)), key=worded.count)


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _edges(lines: list[tuple[int, str]], depth: int = 2) -> list[tuple[int, str]]:
    """The first and last few filled lines of a page: where running headers and footers sit."""
    filled = [(number, line) for number, line in lines if line.strip() and not _STRUCTURAL.match(line)]
    return filled[:depth] + filled[depth:][-depth:]


def drop_running_lines(pages: dict[int, list[tuple[int, str]]]) -> set[int]:
    """Line numbers of running headers/footers and page numbers, to be left out.

    A short line at the top or bottom of a page that recurs there (digits aside) on a third
    or more of at least four pages is a running header or footer; a lone number that opens
    or closes a page is its page number.
    """
    dropped: set[int] = set()
    if len(pages) >= 4:
        seen: dict[str, set[int]] = defaultdict(set)
        for page, lines in pages.items():
            for _, line in _edges(lines):
                if len(line.strip()) <= 120:
                    seen[_shape(line)].add(page)
        threshold = max(3, len(pages) * 0.3)
        running = {shape for shape, where in seen.items() if len(where) >= threshold and shape != "#"}
        for lines in pages.values():
            dropped.update(number for number, line in _edges(lines) if _shape(line) in running)
    for page, lines in pages.items():
        filled = [(number, line) for number, line in lines if line.strip() and number not in dropped]
        for number, line in filled[:1] + filled[-1:]:
            if _LONE_NUMBER.match(line.strip()) and int(line.strip()) in (page, page - 1):
                dropped.add(number)
    return dropped


#: A document keeps at most this many comments; a file of nothing but comments is no plan.
MAX_COMMENTS = 5000


@dataclass
class BlockSink:
    """Collects blocks in order and keeps the section path that headings open and close."""

    blocks: list[Block] = field(default_factory=list)
    #: the authors' comments, each anchored where the reader met it
    comments: list[Comment] = field(default_factory=list)
    #: maps the reader's line numbers to the source's, where the reader split lines
    source_line: dict[int, int | None] = field(default_factory=dict)
    #: the running header or footer that was left out, if any (see ``running_header``)
    running_header: str | None = None
    _stack: list[tuple[int, str]] = field(default_factory=list)
    _bullet_next: bool = False

    def heading(self, text: str, level: int, page: int | None, line: int | None) -> None:
        depth = _numbering_depth(text)
        while self._stack and (self._stack[-1][0] >= level or _outnumbered(self._stack[-1][1], depth)):
            self._stack.pop()
        self._stack.append((level, text))
        self._add(BlockKind.heading, text, page, line, level=level)

    def add(self, kind: BlockKind, text: str, page: int | None, line: int | None,
            rows: tuple[tuple[str, ...], ...] = ()) -> None:
        if text.strip() or rows:
            self._add(kind, text.strip(), page, line, rows=rows)

    def _add(self, kind: BlockKind, text: str, page: int | None, line: int | None,
             level: int | None = None, rows: tuple[tuple[str, ...], ...] = ()) -> None:
        location = Location(
            page=page, line=self.source_line.get(line, line) if line is not None else None, block=len(self.blocks),
            section=tuple(title for _, title in self._stack),
        )
        self.blocks.append(Block(kind=kind, text=text, level=level, rows=rows, location=location))

    def comment(self, text: str, page: int | None, line: int | None = None) -> None:
        """An author's comment anchored here: in the section now open, after the last block."""
        text = text.strip()
        if text and len(self.comments) < MAX_COMMENTS:
            location = Location(page=page, line=line, block=len(self.blocks) - 1 if self.blocks else None,
                                section=tuple(title for _, title in self._stack))
            self.comments.append(Comment(text=text, location=location))

    def text_block(self, text: str, page: int | None, line: int | None = None) -> None:
        """One paragraph a structured format marks as such (Word, ODT, HTML): typed-in
        numbered headings and bullets still count, but it never merges with its neighbour."""
        text = text.strip()
        if not text:
            return
        level = heading_level(text)
        is_list, pieces = split_bullets(text)
        if level is not None:
            self.heading(text, level, page, line)
        elif is_list:
            if not _BULLET.match(text) and pieces:
                self.add(BlockKind.paragraph, pieces.pop(0), page, line)
            for piece in pieces:
                self.add(BlockKind.list_item, piece, page, line)
        else:
            self.add(BlockKind.paragraph, text, page, line)

    @property
    def depth(self) -> int:
        """The level of the innermost open heading (0 before the first)."""
        return self._stack[-1][0] if self._stack else 0

    def _continue_last(self, line: str) -> bool:
        """A wrapped line: lower case, right after an item or a paragraph left unfinished."""
        if not self.blocks or self.blocks[-1].kind not in (BlockKind.list_item, BlockKind.paragraph):
            return False
        last = self.blocks[-1]
        if last.kind is BlockKind.paragraph and last.text.rstrip()[-1:] in ".!?:;":
            return False
        self.blocks[-1] = last.model_copy(update={"text": join_hyphenated([last.text, line])})
        return True

    def paragraph_lines(self, lines: list[tuple[int, str]], page_of: dict[int, int | None],
                        as_cells: bool = False) -> None:
        """Split a run of source lines into headings, bullet items and paragraphs; lines of a
        flattened table (or ``as_cells``) each become a paragraph of their own."""
        pending: list[tuple[int, str]] = []

        def flush() -> None:
            if pending:
                first = pending[0][0]
                self.add(BlockKind.paragraph, join_hyphenated([text for _, text in pending]),
                         page_of.get(first), first)
                pending.clear()

        cells = as_cells or table_cells(lines)
        for number, line in lines:
            if cells:
                flush()  # a flattened table: every line is a cell of its own
            if pending and page_of.get(number) != page_of.get(pending[-1][0]):
                flush()  # a page break ends a paragraph (form feeds need no blank line)
            if _LONE_BULLET.match(line):
                flush()  # PDF conversion puts a bullet on its own line before the item
                self._bullet_next = True
                continue
            if pending and _LABELLED_ITEM.match(line):
                flush()  # "Mål 2: ..." on its own line starts a new item, as "Mål 1: ..." did
            # Inside a flattened table "1.1 Flere skal eie" numbers a row, it opens no section.
            level = heading_level(line) if not cells or number == lines[0][0] else None
            is_list, pieces = split_bullets(line)
            if self._bullet_next and line.strip():
                self._bullet_next = False
                if level is None and not is_list:
                    flush()
                    self.add(BlockKind.list_item, line, page_of.get(number), number)
                    continue
            if level is not None:
                flush()
                self.heading(line.strip(), level, page_of.get(number), number)
            elif is_list:
                if not _BULLET.match(line) and pieces:
                    pending.append((number, pieces.pop(0)))
                flush()
                for piece in pieces:
                    self.add(BlockKind.list_item, piece, page_of.get(number), number)
            elif not pending and not cells and line.strip()[:1].islower() and self._continue_last(line):
                continue
            else:
                pending.append((number, line))
        flush()
