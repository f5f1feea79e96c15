"""OpenDocument text (.odt): headings, lists, tables and pages from content.xml and styles.xml.

ODF is plain XML in a ZIP, so it is read with defusedxml (DTDs forbidden) rather than odfpy,
which is unmaintained since 2020 and whose parser accepts DTDs.

Pages: LibreOffice records where its last layout broke a page (text:soft-page-break); the
breaks a writer asked for are in paragraph and table styles (fo:break-before/after="page",
or a new page style), and LibreOffice writes no soft break there, so both are counted.

Comments (office:annotation) are no text of the plan; each becomes one of the document's
comments, placed at the paragraph, heading or list item it sits in.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from ..errors import InputError
from ..model import Document
from ._numbering import MAX_LEVELS, clip, format_number, start_value
from ._package import OfficeBlocks, PageCounter, StyleRole, TextRun, style_role
from ._registry import Source
from ._zip import ODT_MEDIA_TYPES, Package, damaged, open_package, package_kind

__all__ = ["OdtReader"]

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _q(name: str) -> str:
    """"text:p" in ElementTree's {namespace}local form."""
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_H, _P, _LIST, _TABLE = _q("text:h"), _q("text:p"), _q("text:list"), _q("table:table")
_LIST_ITEM, _LIST_HEADER = _q("text:list-item"), _q("text:list-header")
_SOFT_BREAK = _q("text:soft-page-break")
_ROW, _CELL = _q("table:table-row"), _q("table:table-cell")  # covered (merged-over) cells are left out
_ROW_GROUPS = {_q("table:table-header-rows"), _q("table:table-rows"), _q("table:table-row-group")}
_STYLE_NAME = _q("text:style-name")
_ANNOTATION = _q("office:annotation")
_DRAW_PREFIX = f"{{{_NS['draw']}}}"
_INDEXES = {_q(f"text:{name}") for name in (
    "table-of-content", "illustration-index", "table-index", "object-index", "user-index",
    "alphabetical-index", "bibliography")}
# Deleted text kept for change tracking, comments, form and variable declarations, alt text.
_NOT_CONTENT = {
    _q("text:tracked-changes"), _q("office:annotation"), _q("office:annotation-end"), _q("office:forms"),
    _q("text:sequence-decls"), _q("text:variable-decls"), _q("text:user-field-decls"),
    _q("text:section-source"), _q("svg:title"), _q("svg:desc"),
}
# Inside a paragraph: comments, and footnotes, whose body would break into the sentence.
_NOT_INLINE = _NOT_CONTENT | {_q("text:note"), _q("text:ruby-text")}
_ODF_NUMBER_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
_MAX_COLUMNS = 256
_MAX_REPEATED_ROWS = 100
# What all the tables of a document may hold once repeated rows and cells are written out:
# a plan's largest tables have a few thousand cells, while a kilobyte of repeats asks for
# tens of millions. Empty rows, and the empty cells that end a row, cost nothing.
MAX_TABLE_CELLS = 200_000
MAX_TABLE_CHARACTERS = 20_000_000
_MAX_SPACES = 100
_FLAT_ODT = re.compile(rb"<office:document[\s>]")


class OdtReader:
    name = "odt"
    extensions: tuple[str, ...] = (".odt", ".ott")
    media_types: tuple[str, ...] = ODT_MEDIA_TYPES

    def sniff(self, source: Source) -> int:
        if package_kind(source.data) == "odt":
            return 2
        if _is_flat_odt(source.head):
            return 2  # to say that it is not supported, rather than read it as text
        return 1 if source.suffix in self.extensions else 0

    def read(self, source: Source) -> Document:
        if _is_flat_odt(source.head):
            raise InputError(source.path, "flat OpenDocument-XML (.fodt) støttes ikke; lagre som .odt",
                             "flat OpenDocument XML (.fodt) is not supported; save it as .odt")
        package = open_package(source, "ODT")
        _check_text_package(package)
        package.refuse_entity_declarations(_PARSED_MEMBERS)
        content = package.parse("content.xml")
        styles = package.parse("styles.xml") if "styles.xml" in package.names else None
        meta = package.parse("meta.xml") if "meta.xml" in package.names else None
        body = content.find(f"{_q('office:body')}/{_q('office:text')}")
        if body is None:
            raise InputError(source.path, "filen er ikke et OpenDocument-tekstdokument (content.xml har ingen tekst)",
                             "the file is not an OpenDocument text document (content.xml has no text)")
        walker = _Walker(_Styles(content, styles), source)
        try:
            walker.walk(body)
        except RecursionError:
            raise InputError(source.path, "dokumentet er for dypt nestet til å leses",
                             "the document is nested too deeply to be read") from None
        if walker.blocks.empty:
            raise InputError(source.path, "dokumentet inneholder ingen tekst", "the document contains no text")
        title, metadata = _properties(meta)
        return Document(
            path=source.path, sha256=source.sha256, format="odt", pages=walker.pages.page,
            title=title or walker.title, metadata=metadata, blocks=tuple(walker.blocks.sink.blocks),
            comments=tuple(walker.blocks.sink.comments),
        )


_PARSED_MEMBERS = ("content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml")


def _is_flat_odt(head: bytes) -> bool:
    return bool(_FLAT_ODT.search(head)) and b"opendocument.text" in head


def _check_text_package(package: Package) -> None:
    """A text document, unencrypted: ODF encrypts members inside an ordinary ZIP."""
    source = package.source
    if "mimetype" in package.names:
        media_type = package.read("mimetype", limit=1024).decode("ascii", errors="replace").strip()
        if media_type not in ODT_MEDIA_TYPES:
            shown = re.sub(r"[^\w.+/-]", "", media_type)[:80] or "tom"
            raise InputError(source.path, f"filen er ikke et OpenDocument-tekstdokument (mimetype {shown})",
                             f"the file is not an OpenDocument text document (mimetype {shown})")
    if "content.xml" not in package.names:
        raise damaged(source, "ODT", "mangler content.xml", "content.xml is missing")
    if "META-INF/manifest.xml" in package.names and b"encryption-data" in package.read("META-INF/manifest.xml"):
        raise InputError(source.path, "filen er passordbeskyttet; lagre den som .odt uten passord",
                         "the file is password-protected; save it as .odt without a password")


def _properties(meta: Element | None) -> tuple[str | None, dict[str, str]]:
    """Title, author and dates from meta.xml."""
    if meta is None:
        return None, {}

    def value(name: str) -> str:
        found = meta.find(f".//{_q(name)}")
        return "".join(found.itertext()).strip() if found is not None else ""

    metadata = {
        "author": value("meta:initial-creator") or value("dc:creator"),
        "created": value("meta:creation-date"),
        "modified": value("dc:date"),
    }
    return value("dc:title") or None, {key: text for key, text in metadata.items() if text}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:  # also a number of more than 4300 digits
        return None


def _number(value: str | None, default: int) -> int:
    number = _int(value)
    return default if number is None else number


@dataclass
class _Breaks:
    before: bool = False
    after: bool = False


class _Styles:
    """Automatic styles (content.xml) and named styles (styles.xml), by family and name."""

    def __init__(self, content: Element, styles: Element | None) -> None:
        self._automatic = _by_family_and_name(content.find(_q("office:automatic-styles")))
        common = styles.find(_q("office:styles")) if styles is not None else None
        self._common = _by_family_and_name(common)
        outline = common.find(_q("text:outline-style")) if common is not None else None
        self.outline = _Outline(outline)

    def chain(self, name: str | None, family: str) -> list[Element]:
        chain: list[Element] = []
        key = (family, name or "")
        # not `or`: an Element without children is false
        style = self._automatic[key] if key in self._automatic else self._common.get(key)
        while style is not None and len(chain) < 32 and not any(style is seen for seen in chain):
            chain.append(style)
            style = self._common.get((family, style.get(_q("style:parent-style-name"), "")))
        return chain

    def breaks(self, name: str | None, family: str) -> _Breaks:
        """Page breaks a paragraph or table style asks for; a new page style starts a page."""
        chain = self.chain(name, family)
        properties = _q(f"style:{family}-properties")
        breaks = _Breaks()
        for attribute in ("before", "after"):
            for style in chain:
                found = style.find(properties)
                wanted = found.get(_q(f"fo:break-{attribute}")) if found is not None else None
                if wanted is not None:
                    setattr(breaks, attribute, wanted == "page")
                    break
        if chain and chain[0].get(_q("style:master-page-name")):
            breaks.before = True
        return breaks

    def role(self, name: str | None) -> StyleRole | None:
        chain = self.chain(name, "paragraph")
        if not chain:  # a style the file uses but never defines still says what it is
            return style_role(name) if name else None
        for style in chain:
            for style_name in (style.get(_q("style:display-name")), style.get(_q("style:name"))):
                role = style_role(style_name) if style_name else None
                if role is not None:
                    return role
        return None


def _by_family_and_name(container: Element | None) -> dict[tuple[str, str], Element]:
    styles: dict[tuple[str, str], Element] = {}
    for style in container.iter(_q("style:style")) if container is not None else ():
        key = (style.get(_q("style:family"), ""), style.get(_q("style:name"), ""))
        styles.setdefault(key, style)
    return styles


@dataclass
class _OutlineLevel:
    format: str
    prefix: str
    suffix: str
    shown: int
    start: int


@dataclass
class _Outline:
    """Chapter numbering (text:outline-style): the "3.2" LibreOffice draws before a heading."""

    element: Element | None
    levels: dict[int, _OutlineLevel] = field(default_factory=dict)
    counters: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for level in self.element.iter(_q("text:outline-level-style")) if self.element is not None else ():
            index = _number(level.get(_q("text:level")), 1)
            if not 1 <= index <= MAX_LEVELS:
                continue
            self.levels[index] = _OutlineLevel(
                format=level.get(_q("style:num-format"), ""),
                prefix=clip(level.get(_q("style:num-prefix"), "")),
                suffix=clip(level.get(_q("style:num-suffix"), "")),
                shown=_number(level.get(_q("text:display-levels")), 1),
                start=start_value(_int(level.get(_q("text:start-value")))),
            )

    def next_label(self, level: int) -> str:
        """Count this heading and return its label; "" when the level is not numbered."""
        spec = self.levels.get(level)
        self.counters[level] = self.counters.get(level, (spec.start if spec else 1) - 1) + 1
        for deeper in [index for index in self.counters if index > level]:
            del self.counters[deeper]
        if spec is None or spec.format not in _ODF_NUMBER_FORMATS:
            return ""
        parts = []
        for index in range(max(1, level - spec.shown + 1), level + 1):
            other = self.levels.get(index)
            value = self.counters.get(index, other.start if other else 1)
            parts.append(format_number(value, _ODF_NUMBER_FORMATS.get(other.format if other else "1", "decimal")))
        return clip(f"{spec.prefix}{'.'.join(parts)}{spec.suffix}").strip()


@dataclass
class _Row:
    """A table row as read: its cells up to the last one with text, the empty cells that
    end it, and how many times it is repeated."""

    filled: tuple[str, ...]
    trailing: int
    repeat: int

    def cut(self, width: int) -> tuple[str, ...]:
        """The row as written: its empty cells at the end kept up to the table's last
        column with text, none beyond."""
        return self.filled + ("",) * min(self.trailing, max(width - len(self.filled), 0))


@dataclass
class _TableBudget:
    """The cells and characters a document's tables have written out so far."""

    source: Source
    cells: int = 0
    characters: int = 0

    def charge(self, cells: int, characters: int) -> None:
        self.cells += cells
        self.characters += characters
        if self.cells > MAX_TABLE_CELLS or self.characters > MAX_TABLE_CHARACTERS:
            raise InputError(
                self.source.path,
                f"tabellene er for store (over {MAX_TABLE_CELLS} celler eller {MAX_TABLE_CHARACTERS} tegn "
                "med gjentatte rader og celler skrevet ut)",
                f"the tables are too large (over {MAX_TABLE_CELLS} cells or {MAX_TABLE_CHARACTERS} characters "
                "with repeated rows and cells written out)",
            )


class _Walker:
    """Walks office:text in document order, turning pages and writing blocks."""

    def __init__(self, styles: _Styles, source: Source) -> None:
        self.styles = styles
        self.budget = _TableBudget(source)
        self.pages = PageCounter()
        self.blocks = OfficeBlocks()
        self.title: str | None = None
        self._in_index = 0
        #: comments met in the paragraph being read, placed once it is written
        self.annotations: list[str] = []

    def _annotation(self, annotation: Element) -> None:
        paragraphs = ["".join(paragraph.itertext()).strip() for paragraph in annotation.iter(_P)]
        text = "\n".join(paragraph for paragraph in paragraphs if paragraph)
        if text:
            self.annotations.append(text)

    def _place_annotations(self, page: int | None) -> None:
        for text in self.annotations:
            self.blocks.sink.comment(text, page if page is not None else self.pages.page)
        self.annotations.clear()

    def walk(self, container: Element) -> None:
        for child in container:
            self._block(child)

    def _block(self, element: Element) -> None:
        tag = element.tag
        if tag == _H:
            self._heading(element, in_list=False)
        elif tag == _P:
            self._paragraph(element)
        elif tag == _LIST:
            self._list(element)
        elif tag == _TABLE:
            self._table(element)
        elif tag == _SOFT_BREAK:
            self.pages.turn()
        elif tag in _INDEXES:
            self._index(element)
        elif tag == _ANNOTATION:
            self._annotation(element)
            self._place_annotations(None)
        elif tag not in _NOT_CONTENT:
            self.walk(element)  # sections, frames, text boxes, shapes

    def _read(self, paragraph: Element) -> tuple[TextRun, list[Element]]:
        """A paragraph's text, turning pages at its breaks; the frames anchored in it."""
        breaks = self.styles.breaks(paragraph.get(_STYLE_NAME), "paragraph")
        self.pages.settle()
        if breaks.before:
            self.pages.turn_unless_empty()
        run = TextRun(self.pages)
        frames: list[Element] = []
        self._inline(paragraph, run, frames)
        self.pages.pending = self.pages.pending or breaks.after
        return run, frames

    def _inline(self, element: Element, run: TextRun, frames: list[Element]) -> None:
        run.add(element.text or "")
        for child in element:
            tag = child.tag
            if tag == _q("text:s"):
                run.add(" " * min(max(_number(child.get(_q("text:c")), 1), 1), _MAX_SPACES))
            elif tag in (_q("text:tab"), _q("text:line-break")):
                run.add(" ")
            elif tag == _SOFT_BREAK:
                self.pages.turn()
            elif tag == _q("text:number"):
                run.add("".join(child.itertext()) + " ")
            elif isinstance(tag, str) and tag.startswith(_DRAW_PREFIX):
                frames.append(child)
            elif tag == _ANNOTATION:
                self._annotation(child)
            elif tag not in _NOT_INLINE:
                self._inline(child, run, frames)
            run.add(child.tail or "")

    def _frames(self, frames: list[Element]) -> None:
        """Text boxes come after the paragraph they are anchored to; they turn no page."""
        with self.pages.frozen():
            for frame in frames:
                self._block(frame)

    def _paragraph(self, paragraph: Element) -> None:
        run, frames = self._read(paragraph)
        text, page = run.text, run.page
        role = self.styles.role(paragraph.get(_STYLE_NAME))
        if not text:
            pass
        elif self._in_index or (role is not None and role.kind == "toc"):
            self.blocks.plain(text, page)
        elif role is not None and role.kind == "title":
            self.blocks.heading(text, 1, page)
            self.title = self.title or text
        elif role is not None and role.kind == "heading":
            self.blocks.heading(text, role.level, page)
        elif role is not None and role.kind == "list":
            self.blocks.item(text, page)
        else:
            self.blocks.paragraph(text, page)
        self._place_annotations(page)
        self._frames(frames)

    def _heading(self, heading: Element, in_list: bool) -> None:
        run, frames = self._read(heading)
        level = min(max(_number(heading.get(_q("text:outline-level")), 1), 1), 10)
        # headings numbered by a list, or carrying their number, are not chapter-numbered
        numbered_otherwise = in_list or heading.get(_q("text:is-list-header")) == "true" \
            or heading.find(_q("text:number")) is not None
        label = "" if numbered_otherwise else self.styles.outline.next_label(level)
        text = run.text
        if text and self._in_index:
            self.blocks.plain(text, run.page)
        elif text:
            self.blocks.heading(f"{label} {text}" if label else text, level, run.page)
        self._place_annotations(run.page)
        self._frames(frames)

    def _index(self, index: Element) -> None:
        """A table of contents: its entries read "3 Mål 12", which must not open sections.
        Only the generated body is text; the source holds templates."""
        body = index.find(_q("text:index-body"))
        if body is not None:
            self._in_index += 1
            try:
                self.walk(body)
            finally:
                self._in_index -= 1

    def _list(self, element: Element) -> None:
        for child in element:
            if child.tag == _SOFT_BREAK:
                self.pages.turn()
            elif child.tag in (_LIST_ITEM, _LIST_HEADER):
                self._list_item(child, header=child.tag == _LIST_HEADER)

    def _list_item(self, item: Element, header: bool) -> None:
        """One item: its paragraphs joined; a nested list follows as items of its own."""
        parts: list[tuple[str, int | None]] = []
        frames: list[Element] = []

        def flush() -> None:
            page = None
            if parts:
                text, page = " ".join(text for text, _ in parts), parts[0][1]
                if self._in_index:
                    self.blocks.plain(text, page)
                elif header:
                    self.blocks.paragraph(text, page)
                else:
                    self.blocks.item(text, page)
                parts.clear()
            self._place_annotations(page)

        for child in item:
            if child.tag == _P:
                run, anchored = self._read(child)
                frames.extend(anchored)
                if run.text:
                    parts.append((run.text, run.page))
            elif child.tag == _H:
                flush()
                self._heading(child, in_list=True)
            else:
                flush()
                self._block(child)
        flush()
        self._frames(frames)

    def _table(self, table: Element) -> None:
        breaks = self.styles.breaks(table.get(_q("table:style-name")), "table")
        self.pages.settle()
        if breaks.before:
            self.pages.turn_unless_empty()
        read: list[_Row] = []
        page: int | None = None
        charged = 0
        for element in self._rows(table):
            row, row_page = self._cells(element)
            if row.filled:  # an empty row, however often repeated, is left out
                row.repeat = min(max(_number(element.get(_q("table:number-rows-repeated")), 1), 1),
                                 _MAX_REPEATED_ROWS)
                # the cells up to the last with text, before the table's width is known
                self.budget.charge(len(row.filled) * row.repeat, sum(map(len, row.filled)) * row.repeat)
                charged += len(row.filled) * row.repeat
                read.append(row)
                page = page if page is not None else row_page
        width = max((len(row.filled) for row in read), default=0)
        # and the empty cells a row keeps because another row has text further right
        self.budget.charge(sum(len(row.cut(width)) * row.repeat for row in read) - charged, 0)
        rows = [cells for row in read for cells in [row.cut(width)] * row.repeat]
        self.blocks.table(rows, page if page is not None else self.pages.page)
        self.pages.pending = self.pages.pending or breaks.after

    def _rows(self, container: Element) -> Iterator[Element]:
        for child in container:
            if child.tag == _ROW:
                yield child
            elif child.tag in _ROW_GROUPS:
                yield from self._rows(child)
            elif child.tag == _SOFT_BREAK:
                self.pages.turn()

    def _cells(self, row: Element) -> tuple[_Row, int | None]:
        """A row's cell texts (merged-over cells left out) and the page its text starts on."""
        filled: list[str] = []
        trailing = 0
        page: int | None = None
        for element in self.pages.side_by_side([child for child in row if child.tag == _CELL]):
            with self.blocks.cell() as cell:
                self.walk(element)
            # a spreadsheet-style run of identical cells, often empty ones to the sheet's edge:
            # empty cells are only counted until a cell with text follows them
            repeat = min(max(_number(element.get(_q("table:number-columns-repeated")), 1), 1),
                         _MAX_COLUMNS - len(filled) - trailing)
            text = " ".join(cell.texts)
            if text and repeat > 0:
                filled.extend([""] * trailing + [text] * repeat)
                trailing = 0
            else:
                trailing += max(repeat, 0)
            page = page if page is not None else cell.page
        return _Row(tuple(filled), trailing, 1), page
