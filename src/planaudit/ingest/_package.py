"""What the Word (.docx) and OpenDocument (.odt) readers share once a package is open: the
paragraph style names that carry structure, page counting, and where blocks are written.

Opening a package safely is _zip's concern, list labels are _numbering's.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, TypeVar

from ..model import BlockKind
from ._data import reader_data
from ._layout import BlockSink

__all__ = [
    "OLE2_MAGIC",
    "OfficeBlocks",
    "PageCounter",
    "StyleRole",
    "TextRun",
    "style_role",
]

#: Compound File (OLE2): old .doc files, and any Office file saved with a password.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
T = TypeVar("T")


# --- paragraph styles -----------------------------------------------------------------------


@dataclass(frozen=True)
class StyleRole:
    """What a paragraph style says about its paragraphs."""

    kind: Literal["heading", "title", "list", "toc"]
    level: int = 0


@lru_cache(maxsize=1)
def _style_names() -> dict[str, list[str]]:
    data: dict[str, list[str]] = reader_data("office_styles")
    return {key: [_squash(name) for name in names] for key, names in data.items()}


_HEX_ESCAPE = re.compile(r"_([0-9a-fA-F]{2})_")


def _squash(name: str) -> str:
    """LibreOffice's "Heading_20_1", Word's "heading 1" and id "Heading1" all become "heading1"."""
    name = _HEX_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), name)
    return "".join(name.lower().split())


@lru_cache(maxsize=512)
def style_role(name: str) -> StyleRole | None:
    """The role of a paragraph style by its name or id, or None for body text."""
    names = _style_names()
    squashed = _squash(name)
    if squashed in names["title"]:
        return StyleRole("title", 1)
    if any(squashed.startswith(prefix) for prefix in names["toc_prefixes"]):
        return StyleRole("toc")
    for prefix in names["heading_prefixes"]:
        rest = squashed[len(prefix):]
        if squashed.startswith(prefix) and len(rest) == 1 and rest in "123456789":
            return StyleRole("heading", int(rest))
    if any(squashed.startswith(prefix) for prefix in names["list_prefixes"]):
        return StyleRole("list")
    return None


# --- pages and blocks -----------------------------------------------------------------------


@dataclass
class PageCounter:
    """The page the reader is on, turned by the page breaks found in document order."""

    page: int = 1
    #: something visible stands on the current page
    has_text: bool = False
    #: a "break after" that takes effect when the next paragraph starts
    pending: bool = False
    _frozen: int = 0

    def turn(self) -> None:
        if not self._frozen:
            self.page += 1
            self.has_text = False

    def turn_unless_empty(self) -> None:
        """A "break before": a paragraph already at the top of a page stays there."""
        if self.has_text:
            self.turn()

    def settle(self) -> None:
        if self.pending:
            self.pending = False
            self.turn()

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Text boxes and frames float beside the text: their breaks are not the page's."""
        self._frozen += 1
        try:
            yield
        finally:
            self._frozen -= 1

    def side_by_side(self, cells: Iterable[T]) -> Iterator[T]:
        """The cells of one table row stand side by side: a row split over two pages turns
        the page once, though every cell records the break."""
        start = end = self.page
        for cell in cells:
            self.page = start
            yield cell
            end = max(end, self.page)
        self.page = end


@dataclass
class TextRun:
    """The text of one paragraph as it is gathered, and the page where it starts."""

    pages: PageCounter
    pieces: list[str] = field(default_factory=list)
    page: int | None = None

    def add(self, text: str) -> None:
        if text.strip():
            if self.page is None:
                self.page = self.pages.page
            self.pages.has_text = True
        self.pieces.append(text)

    @property
    def text(self) -> str:
        # tabs and line breaks are spaces; no-break spaces stay, they are the plan's own
        return re.sub(r"[ \t\n\r\f\v]+", " ", "".join(self.pieces)).strip()


@dataclass
class _Cell:
    texts: list[str] = field(default_factory=list)
    page: int | None = None


@dataclass
class OfficeBlocks:
    """Where the office readers put what they find: the block sink, or, while a table cell
    is being read, that cell's text (a nested table is flattened into it)."""

    sink: BlockSink = field(default_factory=BlockSink)
    _cells: list[_Cell] = field(default_factory=list)

    def _collect(self, text: str, page: int | None) -> bool:
        if not self._cells:
            return False
        cell = self._cells[-1]
        if text.strip():
            cell.texts.append(text.strip())
            if cell.page is None:
                cell.page = page
        return True

    def heading(self, text: str, level: int, page: int | None) -> None:
        if text and not self._collect(text, page):
            self.sink.heading(text, level, page, None)

    def paragraph(self, text: str, page: int | None) -> None:
        """Body text: typed-in numbered headings and "•" bullets still count."""
        if not self._collect(text, page):
            self.sink.text_block(text, page)

    def plain(self, text: str, page: int | None) -> None:
        """Text that is never a heading, such as a table of contents entry."""
        if not self._collect(text, page):
            self.sink.add(BlockKind.paragraph, text, page, None)

    def item(self, text: str, page: int | None) -> None:
        if not self._collect(text, page):
            self.sink.add(BlockKind.list_item, text, page, None)

    def table(self, rows: list[tuple[str, ...]], page: int | None) -> None:
        if not rows:
            return
        if not self._collect(" ".join(cell for row in rows for cell in row if cell), page):
            text = "\n".join(" | ".join(cells) for cells in rows)
            self.sink.add(BlockKind.table, text, page, None, rows=tuple(rows))

    @contextmanager
    def cell(self) -> Iterator[_Cell]:
        cell = _Cell()
        self._cells.append(cell)
        try:
            yield cell
        finally:
            self._cells.pop()

    @property
    def empty(self) -> bool:
        return not self.sink.blocks
