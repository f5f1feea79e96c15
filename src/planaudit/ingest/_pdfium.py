"""PDFium, through the raw API of pypdfium2: a page's text runs with position, size and
weight, the lines drawn on it, and the comments (annotations with text) placed on it.

The raw API with buffers made once per page, not pypdfium2's helper objects: the cost per
line decides how close reading comes to pdftotext's speed. PDFium is not thread-safe, so
callers hold ``PDFIUM_LOCK`` while they use it.
"""
from __future__ import annotations

import ctypes
import re
import threading
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ._data import reader_data
from ._pdf_geometry import COLUMN_GAP, Line, Rule, Run, group_lines, in_reading_order
from ._pdf_layout import Note, PageText

if TYPE_CHECKING:
    import pypdfium2
    from PIL import Image

__all__ = ["PDFIUM_LOCK", "PageTooLarge", "page_text", "render_page"]

#: PDFium keeps global state: one document is read at a time, whichever thread asks.
PDFIUM_LOCK = threading.RLock()
#: A page with more characters than this is an attack or a data dump, not a plan's page.
MAX_CHARS_PER_PAGE = 200_000
#: Path objects beyond this many on a page are a drawing (map, chart), not table borders.
_MAX_PATHS = 4000
_FORCE_BOLD = 0x40000
#: Annotations read on one page, and the characters of one annotation's text.
_MAX_NOTES = 500
_MAX_NOTE_CHARS = 20_000
#: A page rendered for OCR has at most this many pixels (an A4 page at 300 dpi has 8.7
#: million): a page the size of a wall is rendered at a lower resolution, not into gigabytes.
_MAX_RENDER_PIXELS = 40_000_000
_SPECIAL = re.compile("[\x02\r\n\u00ad\ufffe\ufb00-\ufb04\uf000-\uf0ff]")


class PageTooLarge(Exception):
    """The page holds more text than a plan's page can."""


@lru_cache(maxsize=1)
def _fonts() -> tuple[re.Pattern[str], dict[int, str]]:
    """Words that mark a bold font name, and the characters to replace (ligatures, PDFium's
    hyphen marks, Word's Symbol-font bullets in the Private Use Area); see pdf_text.yaml."""
    data = reader_data("pdf_text")
    bold = re.compile("|".join(re.escape(word) for word in data["bold_font_words"]), re.IGNORECASE)
    return bold, str.maketrans(data["replace_characters"])


def page_text(page: pypdfium2.PdfPage, number: int) -> PageText:
    """The page's lines in reading order, split into table cells where the layout says so."""
    width, height = float(page.get_width()), float(page.get_height())
    textpage = page.get_textpage()
    try:
        reader = _TextPage(textpage)
        runs = [run for run in reader.runs() if -5 <= run.x0 and run.x1 <= width + 5
                and -5 <= run.bottom and run.top <= height + 5]  # text off the page is not read
        lines = [line for block in in_reading_order(runs) for line in group_lines(block)]
        rules = _rules(page) if any(len(line.column_groups) >= 2 for line in lines) else []
        borders = tuple(sorted({round((rule.x0 + rule.x1) / 2, 1) for rule in rules if rule.vertical}))
        lines = _split_table_rows(reader, lines, borders)
    finally:
        textpage.close()
    return PageText(number, height, lines, rules, _notes(page))


def render_page(pdf: pypdfium2.PdfDocument, index: int, dpi: float) -> tuple[Image.Image, float, float, float]:
    """Page ``index`` as a greyscale image for OCR, the resolution it was rendered at (lower
    than ``dpi`` for a page too large to render at it), and the page's width and height in
    points. Callers hold PDFIUM_LOCK."""
    page = pdf[index]
    try:
        width, height = float(page.get_width()), float(page.get_height())
        pixels = max(width, 1.0) * max(height, 1.0) * (dpi / 72.0) ** 2
        if pixels > _MAX_RENDER_PIXELS:
            dpi *= (_MAX_RENDER_PIXELS / pixels) ** 0.5
        bitmap = page.render(scale=dpi / 72.0, grayscale=True)
        try:
            return bitmap.to_pil().copy(), dpi, width, height
        finally:
            bitmap.close()
    finally:
        page.close()


@lru_cache(maxsize=1)
def _note_subtypes() -> frozenset[int]:
    """Annotations a reviewer writes a comment in: sticky notes, text boxes, and markings
    of text or areas (Acrobat's comment tools); not links, form fields or pop-up windows."""
    import pypdfium2.raw as pdfium_c

    names = ("TEXT", "FREETEXT", "SQUARE", "CIRCLE", "HIGHLIGHT", "UNDERLINE", "SQUIGGLY",
             "STRIKEOUT", "CARET", "INK", "STAMP")
    return frozenset(getattr(pdfium_c, f"FPDF_ANNOT_{name}") for name in names)


def _notes(page: pypdfium2.PdfPage) -> list[Note]:
    """The page's annotations that carry a text (/Contents), with where they are placed."""
    import pypdfium2.raw as pdfium_c

    notes: list[Note] = []
    count = min(pdfium_c.FPDFPage_GetAnnotCount(page), _MAX_NOTES)
    for index in range(max(count, 0)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) not in _note_subtypes():
                continue
            text = _annotation_text(pdfium_c, annot)
            rect = pdfium_c.FS_RECTF()
            if text and pdfium_c.FPDFAnnot_GetRect(annot, rect):
                notes.append(Note(rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top), text))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return notes


def _annotation_text(pdfium_c: object, annot: object) -> str:
    api: Any = pdfium_c
    size = api.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)  # bytes, UTF-16LE with a final NUL
    if size <= 2:
        return ""
    size = min(size, 2 * _MAX_NOTE_CHARS + 2)
    buffer = ctypes.create_string_buffer(size)
    api.FPDFAnnot_GetStringValue(annot, b"Contents", ctypes.cast(buffer, ctypes.POINTER(api.FPDF_WCHAR)), size)
    return buffer.raw[:size - 2].decode("utf-16-le", errors="replace").replace("\r\n", "\n").replace("\r", "\n").strip()


def _split_table_rows(reader: _TextPage, lines: list[Line], borders: tuple[float, ...]) -> list[Line]:
    """PDFium keeps cells of one row in one run when they share a text object (a table's
    header row, say). Lines next to a line with columns are split again at wide gaps and
    at drawn vertical lines."""
    split = list(lines)
    for index, line in enumerate(lines):
        neighbours = lines[max(0, index - 1):index + 2]
        if any(len(other.column_groups) >= 2 for other in neighbours if other is not line) or \
                len(line.column_groups) >= 2:
            runs = [piece for run in line.runs for piece in reader.split_at_gaps(run, borders)]
            if len(runs) > len(line.runs) or borders:
                split[index] = Line.of(runs, borders)
    return split


def _aligned(textpage: pypdfium2.PdfTextPage, count: int) -> str:
    """The page's text with one character per PDFium character index (the indices that
    position and font calls take): the text PDFium extracts, when it has exactly that
    length, else the characters one by one."""
    text = textpage.get_text_range()
    if len(text) == count:
        return text
    import pypdfium2.raw as pdfium_c

    chars = (pdfium_c.FPDFText_GetUnicode(textpage.raw, index) for index in range(count))
    return "".join(chr(code) if 0 < code < 0xD800 or 0xE000 <= code < 0x110000 else "\ufffd" for code in chars)


class _TextPage:
    """Calls on one PDFium text page through the raw API, with the buffers they fill made
    once: the per-line cost decides how close reading comes to pdftotext's speed."""

    def __init__(self, textpage: pypdfium2.PdfTextPage) -> None:
        import pypdfium2.raw as pdfium_c

        self.api = pdfium_c
        self.handle = textpage.raw
        count = textpage.count_chars()
        if count > MAX_CHARS_PER_PAGE:
            raise PageTooLarge(count)
        self.text = _aligned(textpage, count)
        self.bold_font, self.replacements = _fonts()
        self.box = tuple(ctypes.c_double() for _ in range(4))
        self.name = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()
        self.bold_by_font: dict[bytes, bool] = {}

    def runs(self) -> list[Run]:
        """Text runs line by line as PDFium reads the page. A line PDFium keeps in one piece
        costs a handful of calls; only lines with gaps (tables, tab stops) are split by position."""
        runs: list[Run] = []
        start = 0
        for line in self.text.split("\r\n"):
            if line.strip():
                runs.extend(self.line_runs(line, start))
            start += len(line) + 2
        return runs

    def char_box(self, index: int) -> tuple[float, float]:
        left, right, bottom, top = self.box
        self.api.FPDFText_GetCharBox(self.handle, index, left, right, bottom, top)
        return left.value, right.value

    def split_at_gaps(self, run: Run, borders: tuple[float, ...] = ()) -> list[Run]:
        """The run cut where a space stands for a gap wide enough to separate columns, or
        for a drawn vertical line between two words."""
        if run.start < 0:
            return [run]
        end = self.text.find("\r\n", run.start)
        end = len(self.text) if end < 0 else end
        pieces: list[tuple[int, int, float, float]] = []
        first, x0, index = run.start, run.x0, run.start + 1
        while index < end:
            if self.text[index] != " ":
                index += 1
                continue
            following = index
            while following < end and self.text[following] == " ":
                following += 1
            if following < end:
                _, right = self.char_box(index - 1)
                left, _ = self.char_box(following)
                if left > run.x1 + 1.0:
                    break  # the next run of the line starts here
                if left - right >= COLUMN_GAP * run.size or any(right <= x <= left for x in borders):
                    pieces.append((first, index, x0, right))
                    first, x0 = following, left
            index = following
        if not pieces:
            return [run]
        pieces.append((first, min(end, index), x0, run.x1))
        return [replace(run, x0=left, x1=right, text=" ".join(self.text[start:stop].translate(self.replacements).split()),
                        start=start)
                for start, stop, left, right in pieces if self.text[start:stop].strip()]

    def rect(self, index: int) -> tuple[float, float, float, float]:
        left, top, right, bottom = self.box
        self.api.FPDFText_GetRect(self.handle, index, left, top, right, bottom)
        return left.value, bottom.value, right.value, top.value

    def rect_starts(self, rects: list[tuple[float, float, float, float]], start: int, end: int) -> list[int]:
        """Where each rectangle's characters begin. PDFium gives the rectangles of a line in
        character order, but one of its lines may cover two printed lines (a word hyphenated
        at the line end), so each character is placed by the middle of its box."""
        starts, current = [start], 0
        left, right, bottom, top = self.box
        for index in range(start + 1, end):
            if current + 1 >= len(rects):
                break
            self.api.FPDFText_GetCharBox(self.handle, index, left, right, bottom, top)
            x, y = (left.value + right.value) / 2, (bottom.value + top.value) / 2
            x0, y0, x1, y1 = rects[current + 1]
            if x0 - 0.5 <= x <= x1 + 0.5 and y0 - 0.5 <= y <= y1 + 0.5:
                current += 1
                starts.append(index)
        starts += [end] * (len(rects) - len(starts))
        return starts

    def line_runs(self, line: str, start: int) -> list[Run]:
        rects = [self.rect(index) for index in range(self.api.FPDFText_CountRects(self.handle, start, len(line)))]
        if not rects:
            return []
        firsts = self.rect_starts(rects, start, start + len(line)) if len(rects) > 1 else [start]
        runs = []
        for position, (left, bottom, right, top) in enumerate(rects):
            end = firsts[position + 1] if position + 1 < len(firsts) else start + len(line)
            piece = line[firsts[position] - start:end - start]
            if _SPECIAL.search(piece):
                piece = piece.translate(self.replacements)
            if not piece.strip():
                continue
            lead = firsts[position] + len(piece) - len(piece.lstrip())
            size, bold = self.font(lead, top - bottom)
            runs.append(Run(left, right, bottom, top, " ".join(piece.split()), size, bold, lead))
        return runs

    def font(self, char: int, height: float) -> tuple[float, bool]:
        """Font size (points) and weight of a character; the run's height stands in for
        size when the PDF scales a 1-point font by its text matrix."""
        if char < 0:
            return round(height, 1), False
        size = float(self.api.FPDFText_GetFontSize(self.handle, char))
        self.api.FPDFText_GetFontInfo(self.handle, char, self.name, 128, ctypes.byref(self.flags))
        key = self.name.value + bytes([self.flags.value & _FORCE_BOLD != 0])
        bold = self.bold_by_font.get(key)
        if bold is None:
            bold = bool(self.flags.value & _FORCE_BOLD) or bool(self.bold_font.search(self.name.value.decode("latin-1"))) \
                or self.api.FPDFText_GetFontWeight(self.handle, char) >= 600
            self.bold_by_font[key] = bold
        return round(size if size >= 3.0 else height, 1), bold


def _rules(page: pypdfium2.PdfPage) -> list[Rule]:
    """Drawn lines and box edges on the page (top-level path objects, read through the raw
    API: wrapping thousands of objects in Python objects costs more than the reading)."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFPage_CountObjects(page)
    if count > _MAX_PATHS * 4:
        return []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rules = []
    for index in range(count):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        rules.extend(_edges(left.value, bottom.value, right.value, top.value))
        if len(rules) > _MAX_PATHS:
            return []
    return rules


def _edges(left: float, bottom: float, right: float, top: float) -> list[Rule]:
    if top - bottom <= 2.0 or right - left <= 2.0:
        return [Rule(left, right, bottom, top)]
    # a filled cell or a box: its top and bottom edges separate rows
    return [Rule(left, right, top - 0.5, top), Rule(left, right, bottom, bottom + 0.5)]
