"""PDF: the text layer with its pages, headings from font size and weight, tables from
column alignment and drawn borders, running headers and footers left out.

Read with PDFium (pypdfium2), chosen by measurement on the generated 100-page plan
(``bench/bench_readers.py``): PDFium's text alone takes 0.03 s, as long as poppler's
pdftotext; pypdf takes 0.31 s and pdfplumber 3.6 s (3.2 s more for its tables), both
parsing in pure Python. PDFium also reports the position, size and font of each text run,
which is all the heading and table rules here need. Asking for those positions and running
the rules in Python brings the whole read to about five times pdftotext's time on that plan.
"""
from __future__ import annotations

import ctypes
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import BlockKind, Document
from ._layout import BlockSink, drop_running_lines, join_hyphenated
from ._pdf_geometry import COLUMN_GAP, Line, Rule, Run, Table, find_tables, group_lines, in_reading_order
from ._registry import Source

if TYPE_CHECKING:
    import pypdfium2

__all__ = ["PdfReader"]

#: Pages with fewer letters than this have no usable text layer (scanned or images).
_MIN_LETTERS_PER_PAGE = 20
#: Path objects beyond this many on a page are a drawing (map, chart), not table borders.
_MAX_PATHS = 4000
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demibold|fett", re.IGNORECASE)
# Word's Symbol and Wingdings bullets land in the Private Use Area; ligatures are one glyph.
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "\x02": "-", "\u00ad": "-", "\ufffe": "-", "\r": " ", "\n": " ",
                            "\uf0b7": "•", "\uf0a7": "▪", "\uf076": "•", "\uf0d8": "➢", "\uf0fc": "•",
                            "\uf0a8": "•", "\uf0e0": "•", "\uf06e": "■", "\uf071": "•", "\uf02d": "-"})
_SPECIAL = re.compile("[\x02\r\n\u00ad\ufffe\ufb00-\ufb04\uf000-\uf0ff]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_ITEM_START = re.compile(r"^\s*(?:[•▪◦●■□➢►‣·–*]|-(?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))")
_SENTENCE_END = ".:;,!?"
_PLACEHOLDER_TITLE = re.compile(r"^(?:\((?:anonymous|unspecified)\)|untitled|microsoft word\b.*|.*\.(?:docx?|pdf|odt))$",
                                re.IGNORECASE)


@dataclass
class _Page:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)

    @functools.cached_property
    def letters(self) -> int:
        return sum(len(_NOT_LETTERS.sub("", line.text)) for line in self.lines)


class PdfReader:
    name = "pdf"
    extensions: tuple[str, ...] = (".pdf",)
    media_types: tuple[str, ...] = ("application/pdf",)

    def sniff(self, source: Source) -> int:
        return 2 if b"%PDF-" in source.head[:1024] else 0

    def read(self, source: Source) -> Document:
        pages, metadata = _read_pages(source)
        if sum(page.letters for page in pages) < _MIN_LETTERS_PER_PAGE * max(1, len(pages)) / 4:
            raise InputError(
                source.path,
                "PDF-en har ikke noe tekstlag (skannet eller sider som bilder); "
                "gjør tekst søkbar med OCR først, f.eks. «ocrmypdf -l nor inn.pdf ut.pdf»",
                "the PDF has no text layer (scanned, or pages as images); "
                "make the text searchable with OCR first, e.g. 'ocrmypdf -l nor in.pdf out.pdf'",
            )
        textless = [str(page.number) for page in pages if page.letters < _MIN_LETTERS_PER_PAGE]
        if textless:
            metadata["pages_without_text"] = ",".join(textless)
        sink = _Layout(pages).emit()
        return Document(
            path=source.path, sha256=source.sha256, format="pdf", pages=pages[-1].number,
            title=_title(metadata), metadata=metadata, blocks=tuple(sink.blocks),
        )


def _title(metadata: dict[str, str]) -> str | None:
    title = metadata.get("title", "").strip()
    return title if title and not _PLACEHOLDER_TITLE.match(title) else None


def _open_error(source: Source, err: Exception) -> InputError:
    code = getattr(err, "err_code", None)
    if code == 4:  # FPDF_ERR_PASSWORD
        return InputError(source.path, "PDF-en er passordbeskyttet (kryptert); lagre en utgave uten passord",
                          "the PDF is password-protected (encrypted); save a copy without a password")
    if code == 5:  # FPDF_ERR_SECURITY
        return InputError(source.path, "PDF-en bruker en ukjent krypteringsordning",
                          "the PDF uses an unsupported security handler")
    return InputError(source.path, "PDF-en er skadet eller avkortet og kan ikke leses",
                      "the PDF is damaged or truncated and cannot be read")


def _read_pages(source: Source) -> tuple[list[_Page], dict[str, str]]:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(source.data)
    except pypdfium2.PdfiumError as err:
        raise _open_error(source, err) from None
    try:
        metadata = _metadata(pdf)
        pages = []
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pypdfium2.PdfiumError:
                metadata["unreadable_pages"] = ",".join(filter(None, [metadata.get("unreadable_pages"), str(index + 1)]))
                continue  # one broken page should not cost the rest of the plan
            try:
                pages.append(_page_content(page, index + 1))
            finally:
                page.close()
    finally:
        pdf.close()
    if not pages:
        raise InputError(source.path, "PDF-en har ingen sider som kan leses", "the PDF has no readable pages")
    return pages, metadata


def _metadata(pdf: pypdfium2.PdfDocument) -> dict[str, str]:
    try:
        raw = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - metadata is a bonus; a broken Info dictionary is common
        return {}
    keys = {"Title": "title", "Author": "author", "Creator": "creator", "Producer": "producer",
            "CreationDate": "created"}
    return {name: str(raw[key]) for key, name in keys.items()
            if raw.get(key) and not _PLACEHOLDER_TITLE.match(str(raw[key]).strip())}


def _page_content(page: pypdfium2.PdfPage, number: int) -> _Page:
    textpage = page.get_textpage()
    try:
        reader = _TextPage(textpage)
        lines = [line for block in in_reading_order(reader.runs()) for line in group_lines(block)]
        rules = _rules(page) if any(len(line.column_groups) >= 2 for line in lines) else []
        borders = tuple(sorted({round((rule.x0 + rule.x1) / 2, 1) for rule in rules if rule.vertical}))
        lines = _split_table_rows(reader, lines, borders)
    finally:
        textpage.close()
    return _Page(number, float(page.get_height()), lines, rules)


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


def _aligned(text: str, count: int) -> str:
    """Text whose indices are PDFium's character indices: a character outside the Basic
    Multilingual Plane is two UTF-16 units there."""
    if len(text) == count:
        return text
    return "".join(ch if ord(ch) < 0x10000 else "\ufffd\ufffd" for ch in text)


_FORCE_BOLD = 0x40000


class _TextPage:
    """Calls on one PDFium text page through the raw API, with the buffers they fill made
    once: the per-line cost decides how close reading comes to pdftotext's speed."""

    def __init__(self, textpage: pypdfium2.PdfTextPage) -> None:
        import pypdfium2.raw as pdfium_c

        self.api = pdfium_c
        self.handle = textpage.raw
        self.text = _aligned(textpage.get_text_range(), textpage.count_chars())
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
        end = run.start + len(self.text[run.start:].split("\r\n", 1)[0])
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
        return [replace(run, x0=left, x1=right, text=" ".join(self.text[start:stop].translate(_LIGATURES).split()),
                        start=start)
                for start, stop, left, right in pieces if self.text[start:stop].strip()]

    def rect(self, index: int) -> tuple[float, float, float, float]:
        left, top, right, bottom = self.box
        self.api.FPDFText_GetRect(self.handle, index, left, top, right, bottom)
        return left.value, bottom.value, right.value, top.value

    def line_runs(self, line: str, start: int) -> list[Run]:
        rects = [self.rect(index) for index in range(self.api.FPDFText_CountRects(self.handle, start, len(line)))]
        if not rects:
            return []
        firsts = [start]
        for left, bottom, right, top in rects[1:]:
            char = self.api.FPDFText_GetCharIndexAtPos(
                self.handle, left + min(1.0, (right - left) / 2), (top + bottom) / 2, 1.0, 1.0)
            firsts.append(char if firsts[-1] < char < start + len(line) else firsts[-1])
        runs = []
        for position, (left, bottom, right, top) in enumerate(rects):
            end = firsts[position + 1] if position + 1 < len(firsts) else start + len(line)
            piece = line[firsts[position] - start:end - start]
            if _SPECIAL.search(piece):
                piece = piece.translate(_LIGATURES)
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
            bold = bool(self.flags.value & _FORCE_BOLD) or bool(_BOLD_FONT.search(self.name.value.decode("latin-1"))) \
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


class _Layout:
    """Turns the pages' lines into blocks: tables, headings by font, prose by spacing."""

    def __init__(self, pages: list[_Page]) -> None:
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
            self._page(page.number, kept, find_tables(kept, page.rules))
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
        dropped = {id(self.numbering[number][1]) for number in drop_running_lines(by_page)}
        for page in self.pages:
            margin = page.height * 0.06
            dropped.update(id(line) for line in page.lines
                           if (line.bottom > page.height - margin or line.top < margin)
                           and line.size < self.body * 0.95)
        return dropped

    def _page(self, number: int, lines: list[Line], tables: list[Table]) -> None:
        starts = {table.first: table for table in tables}
        self.paragraph_gap = _paragraph_gap(lines, self.body)
        chunk: list[tuple[int, str]] = []
        page_of: dict[int, int | None] = {}
        index = 0
        previous: Line | None = None
        item: Line | None = None  # the last line that opened a list item
        while index < len(lines):
            line = lines[index]
            if index in starts:
                self._flush(chunk, page_of)
                table = starts[index]
                rows = self._with_carried_header(table.rows) if index == 0 else table.rows
                self.sink.add(BlockKind.table, "\n".join(" | ".join(row) for row in rows), number, None, rows=rows)
                index, previous = table.last + 1, None
                continue
            level = self._heading_level(line)
            heading, after = self._heading_text(lines, index) if level is not None else ("", index)
            if level is not None and len(heading) <= 160 and heading[-1] not in ".!?":
                self._flush(chunk, page_of)
                self.sink.heading(heading, level, number, None)
                previous, index = None, after
                continue
            if previous is not None and item is not None and self._continues_item(item, previous, line):
                key, text = chunk[-1]
                chunk[-1] = (key, join_hyphenated([text, line.text]))
                previous, index = line, index + 1
                continue
            item = line if _ITEM_START.match(line.text) else None
            if previous is not None and self._breaks_paragraph(previous, line):
                self._flush(chunk, page_of)
            key = len(page_of) + 1 + 1_000_000 * number
            page_of[key] = number
            chunk.append((key, line.text))
            previous = line
            index += 1
        self._flush(chunk, page_of)

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

    def _flush(self, chunk: list[tuple[int, str]], page_of: dict[int, int | None]) -> None:
        if chunk:
            for key, _ in chunk:
                self.sink.source_line[key] = None  # a PDF has pages, not source lines
            self.sink.paragraph_lines(list(chunk), page_of)
            chunk.clear()

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
