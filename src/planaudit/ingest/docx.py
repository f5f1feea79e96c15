"""Word (.docx): headings, lists and tables from paragraph styles and numbering, pages from
the page breaks Word recorded.

python-docx opens the package (once _zip has refused ZIP bombs, unpacked every member within
its declared size and refused DTDs in every part python-docx parses) and finds the
main document part, its styles, numbering and properties. The body is walked in its XML,
because python-docx's paragraph text leaves out tracked insertions and content controls and
knows nothing of text boxes.

Pages: at its last layout Word marks where each page began (w:lastRenderedPageBreak), so
those marks give the page a reader saw, hard breaks included. A file no Word has laid out
(written by a program) has only its explicit page and section breaks to count.

Comments (word/comments.xml) are no text of the plan; each becomes one of the document's
comments, placed at the paragraph holding its start (w:commentRangeStart, or the
w:commentReference where a comment marks no range).
"""
from __future__ import annotations

import io
import itertools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..model import Document
from ._numbering import MAX_LEVELS, clip, format_number, start_value
from ._package import (
    OLE2_MAGIC,
    OfficeBlocks,
    PageCounter,
    StyleRole,
    TextRun,
    style_role,
)
from ._layout import running_header
from ._registry import Source
from ._zip import Package, damaged, open_package, package_kind

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

__all__ = ["DocxReader"]

# lxml ships no type information: its elements are Any here.
_Xml = Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "r"
_PPR, _RPR, _SECTPR = _W + "pPr", _W + "rPr", _W + "sectPr"
_T, _BR, _RENDERED_BREAK = _W + "t", _W + "br", _W + "lastRenderedPageBreak"
_TEXT_BOX = _W + "txbxContent"
_COMMENT_ANCHORS = {_W + "commentRangeStart", _W + "commentReference"}
_SPACES = {_W + "tab", _W + "ptab", _W + "cr"}
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml"}
# Deleted text, properties, field codes, and the VML copy of a drawing Word keeps for old readers.
_NOT_TEXT = {
    _W + "del", _W + "moveFrom", _PPR, _RPR, _W + "sdtPr", _W + "instrText", _W + "delText",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
_MAIN_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Media python-docx keeps as bytes, never parsing them: pictures (SVG may well carry a
# harmless <!DOCTYPE svg>), sound, video, fonts, and embedded (X)HTML (<!DOCTYPE html>).
_MEDIA_TYPE_PREFIXES = ("image/", "audio/", "video/", "font/", "application/x-font",
                        "application/vnd.openxmlformats-officedocument.obfuscatedfont",
                        "text/html", "application/xhtml+xml")
_OLD_WORD_SUFFIXES = (".docx", ".doc", ".docm", ".dot", ".dotx")
_SECTION_NEW_PAGE = ("nextPage", "oddPage", "evenPage")


class DocxReader:
    name = "docx"
    extensions: tuple[str, ...] = (".docx",)
    media_types: tuple[str, ...] = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)

    def sniff(self, source: Source) -> int:
        if package_kind(source.data) == "docx":
            return 2
        if source.data.startswith(OLE2_MAGIC):
            # only to explain: a password-protected .docx or an old .doc is not readable
            return 1 if source.suffix in _OLD_WORD_SUFFIXES else 0
        # a damaged .docx gets a message about a damaged Word file, not "unknown format"
        return 1 if source.suffix == ".docx" else 0

    def read(self, source: Source) -> Document:
        if source.data.startswith(OLE2_MAGIC):
            raise InputError(
                source.path,
                "filen er passordbeskyttet eller i det gamle Word-formatet (.doc); lagre som .docx uten passord",
                "the file is password-protected or in the old Word format (.doc); save it as .docx without a password",
            )
        package = open_package(source, "DOCX")
        # python-docx unpacks every part with zipfile, which trusts the declared sizes only
        # after decompressing: each member is unpacked here first, in bounded chunks
        package.verify(_xml_members(package))
        word = _open(source)
        try:
            return _read(source, word)
        except RecursionError:
            raise InputError(source.path, "dokumentet er for dypt nestet til å leses",
                             "the document is nested too deeply to be read") from None


def _xml_members(package: Package) -> set[str]:
    """Every member some parser may read as XML: all but the media python-docx keeps as
    bytes. A part may be called anything, and python-docx finds its content type in
    [Content_Types].xml ignoring case ("/WORD/DOCUMENT.BIN" is word/document.bin), so
    only a media content type, found the same way, spares a member the check."""
    types = package.parse("[Content_Types].xml")
    by_extension = {
        default.get("Extension", "").lower(): default.get("ContentType", "")
        for default in types.iter(_CONTENT_TYPES + "Default")
    }
    overrides = {
        override.get("PartName", "").lstrip("/").lower(): override.get("ContentType", "")
        for override in types.iter(_CONTENT_TYPES + "Override")
    }
    if _MAIN_CONTENT_TYPE not in overrides.values():
        raise damaged(package.source, "DOCX", "finner ikke noe Word-dokument i pakken",
                      "no Word document in the package")

    def media(name: str) -> bool:
        extension = posixpath.splitext(posixpath.basename(name))[1].lstrip(".").lower()
        content_type = overrides.get(name.lstrip("/").lower()) or by_extension.get(extension, "")
        return content_type.lower().startswith(_MEDIA_TYPE_PREFIXES)

    return {name for name in package.names
            if name.lower().endswith((".xml", ".rels")) or not media(name)}


def _open(source: Source) -> WordDocument:
    import docx

    try:
        return docx.Document(io.BytesIO(source.data))
    # python-docx lets KeyError, ValueError, lxml's XMLSyntaxError and more escape on a
    # package whose parts or relationships are broken; none of them may reach the user.
    except Exception as err:  # noqa: BLE001
        raise damaged(source, "DOCX", f"delene kan ikke leses: {type(err).__name__}",
                      f"its parts cannot be read: {type(err).__name__}") from None


def _read(source: Source, word: WordDocument) -> Document:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    root = word.element
    body = root.find(_W + "body") if root.tag == _W + "document" else None
    if body is None:
        raise damaged(source, "DOCX", "word/document.xml har ingen tekstdel", "word/document.xml has no body")
    styles = _Styles(_related_element(word.part, RT.STYLES))
    numbering = _Numbering(_related_element(word.part, RT.NUMBERING), styles)
    walker = _Walker(styles, numbering, rendered=_has_rendered_breaks(body), section_breaks=_section_breaks(body),
                     comments=_comment_texts(word.part))
    walker.walk(body)
    if walker.blocks.empty:
        raise InputError(source.path, "dokumentet inneholder ingen tekst", "the document contains no text")
    title, metadata = _properties(word)
    if header := running_header(_edge_lines(word.part, (RT.HEADER, RT.FOOTER))):
        metadata["running_header"] = header
    return Document(
        path=source.path, sha256=source.sha256, format="docx", pages=walker.pages.page,
        title=title or walker.title, metadata=metadata, blocks=tuple(walker.blocks.sink.blocks),
        comments=tuple(walker.blocks.sink.comments),
    )


def _edge_lines(part: Any, reltypes: tuple[str, ...]) -> list[str]:
    """The paragraphs of the page headers and footers, which are no text of the plan but
    often name it and the municipality ("Havnås kommune – Boligplan 2026–2035")."""
    lines = []
    for rel in part.rels.values():
        element = getattr(rel.target_part, "element", None) if rel.reltype in reltypes and not rel.is_external else None
        if element is not None:
            lines.extend("".join(node.text or "" for node in paragraph.iter(_T)) for paragraph in element.iter(_P))
    return [line for line in lines if line.strip()]


def _related_element(part: Any, reltype: str) -> _Xml | None:
    """The XML of a part the document relates to, or None (python-docx would invent one)."""
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return getattr(rel.target_part, "element", None)
    return None


def _comment_texts(part: Any) -> dict[str, str]:
    """The text of each comment in word/comments.xml by its w:id, paragraphs on lines of
    their own. A comments part that cannot be read costs only the comments."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    root: _Xml | None = None
    for rel in part.rels.values():
        if rel.reltype == RT.COMMENTS and not rel.is_external:
            root = getattr(rel.target_part, "element", None)
            if root is None:  # a python-docx without a comments part class keeps the bytes
                import defusedxml.ElementTree

                try:
                    root = defusedxml.ElementTree.fromstring(rel.target_part.blob)
                except Exception:  # noqa: BLE001 - the package passed _zip's checks; still no crash
                    return {}
    texts: dict[str, str] = {}
    for comment in root.iter(_W + "comment") if root is not None else ():
        comment_id = comment.get(_W + "id")
        lines = ["".join(t.text or "" for t in paragraph.iter(_T)) for paragraph in comment.iter(_P)]
        text = "\n".join(line.strip() for line in lines if line.strip())
        if comment_id is not None and text:
            texts[comment_id] = text
    return texts


def _properties(word: WordDocument) -> tuple[str | None, dict[str, str]]:
    """Title, author and dates from docProps/core.xml, when the file has one."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = word.part.package
    if package is None or not any(rel.reltype == RT.CORE_PROPERTIES for rel in package.rels.values()):
        return None, {}  # python-docx would make up "Word Document" by python-docx, dated now
    try:
        core = word.core_properties
        metadata = {"author": (core.author or "").strip()}
        for key, stamp in (("created", core.created), ("modified", core.modified)):
            if stamp is not None:
                metadata[key] = stamp.isoformat()
        title = (core.title or "").strip() or None
    except (ValueError, AttributeError, KeyError, TypeError):  # a malformed core.xml only loses metadata
        return None, {}
    return title, {key: value for key, value in metadata.items() if value}


def _val(element: _Xml | None) -> str | None:
    return None if element is None else element.get(_W + "val")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _number(value: str | None, default: int) -> int:
    number = _int(value)
    return default if number is None else number


def _switched_on(element: _Xml | None) -> bool:
    """A Word on/off property: present, and not w:val="0"/"false"/"off"."""
    return element is not None and element.get(_W + "val", "true") not in ("0", "false", "off")


def _has_rendered_breaks(body: _Xml) -> bool:
    return next(body.iter(_RENDERED_BREAK), None) is not None


def _section_breaks(body: _Xml) -> dict[_Xml, bool]:
    """For each section's closing w:sectPr: whether the next section starts on a new page.

    A w:sectPr describes the section it closes, including how that section began, so the
    break after a section is told by the next one's w:type (by default a new page).
    """
    sections = [
        element for element in body.iter(_SECTPR)
        if element.getparent() is body
        or (element.getparent().tag == _PPR and element.getparent().getparent().tag == _P)
    ]
    return {
        this: (_val(following.find(_W + "type")) or "nextPage") in _SECTION_NEW_PAGE
        for this, following in itertools.pairwise(sections)
    }


def _content(element: _Xml) -> Iterator[_Xml]:
    """Children, looking through content controls and custom XML that wrap them."""
    for child in element:
        if child.tag in _WRAPPERS:
            yield from _content(child)
        else:
            yield child


class _Styles:
    """Paragraph styles by id, and the chain each inherits from (own style first)."""

    def __init__(self, root: _Xml | None) -> None:
        self._by_id: dict[str, _Xml] = {}
        #: numbering styles: style id → the w:numId they apply
        self.numbering: dict[str, str] = {}
        self.default: str | None = None
        for style in root.iter(_W + "style") if root is not None else ():
            style_id, kind = style.get(_W + "styleId"), style.get(_W + "type", "paragraph")
            if style_id is None:
                continue
            if kind == "numbering":
                num_id = _val(style.find(f"{_PPR}/{_W}numPr/{_W}numId"))
                if num_id is not None:
                    self.numbering[style_id] = num_id
            elif kind == "paragraph":
                self._by_id.setdefault(style_id, style)
                if self.default is None and _switched_on_attribute(style.get(_W + "default")):
                    self.default = style_id

    def defines(self, style_id: str) -> bool:
        return style_id in self._by_id

    def chain(self, style_id: str | None) -> list[_Xml]:
        chain: list[_Xml] = []
        current = style_id if style_id in self._by_id else self.default
        while current in self._by_id and len(chain) < 32:
            style = self._by_id[current]
            if any(style is seen for seen in chain):
                break
            chain.append(style)
            current = _val(style.find(_W + "basedOn"))
        return chain


def _switched_on_attribute(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _role_of(style: _Xml) -> StyleRole | None:
    for name in (_val(style.find(_W + "name")), style.get(_W + "styleId")):
        role = style_role(name) if name else None
        if role is not None:
            return role
    return None


def _outline(properties: _Xml | None) -> int | None:
    """Word's outline level, 0-8 for headings, 9 for body text."""
    if properties is None:
        return None
    return _int(_val(properties.find(_W + "outlineLvl")))


def _paragraph_role(properties: _Xml | None, chain: list[_Xml], own: StyleRole | None) -> StyleRole | None:
    """Heading, title, list or table of contents, from the paragraph and its style chain.

    An outline level set on the paragraph wins, then the name of its own style ("Heading 2",
    "Overskrift2"), then an outline level or heading name it inherits ("TOC Heading" is based
    on "Heading 1" but sets outline level 9, body text).
    """
    if own is not None and own.kind in ("title", "toc"):
        return own
    direct = _outline(properties)
    if direct is not None:
        return _heading_or(direct, own)
    if own is not None:
        return own
    for style in chain:
        inherited = _outline(style.find(_PPR))
        if inherited is not None:
            return _heading_or(inherited, None)
    for style in chain[1:]:
        role = _role_of(style)
        if role is not None and role.kind == "heading":
            return role
    return None


def _heading_or(outline: int, own: StyleRole | None) -> StyleRole | None:
    if 0 <= outline < 9:
        return StyleRole("heading", outline + 1)
    return own if own is not None and own.kind == "list" else None


@dataclass
class _Level:
    format: str
    text: str
    start: int
    style: str | None
    legal: bool


class _Numbering:
    """The labels Word draws before numbered paragraphs ("3.2", "a)"), counted in document order.

    Counters belong to the abstract numbering, as in Word: two lists sharing one definition
    continue each other unless one restarts with a start override.
    """

    def __init__(self, root: _Xml | None, styles: _Styles) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        if root is None:
            return
        links: dict[str, str] = {}
        for abstract in root.iter(_W + "abstractNum"):
            abstract_id = abstract.get(_W + "abstractNumId", "")
            self._levels[abstract_id] = {
                ilvl: _level(level) for level in abstract.iter(_W + "lvl")
                if 0 <= (ilvl := _number(level.get(_W + "ilvl"), 0)) < MAX_LEVELS
            }
            link = _val(abstract.find(_W + "numStyleLink"))
            if link is not None:
                links[abstract_id] = link
        for num in root.iter(_W + "num"):
            overrides = {
                ilvl: start_value(_int(_val(override.find(_W + "startOverride"))))
                for override in num.iter(_W + "lvlOverride")
                if override.find(_W + "startOverride") is not None
                and 0 <= (ilvl := _number(override.get(_W + "ilvl"), 0)) < MAX_LEVELS
            }
            self._nums[num.get(_W + "numId", "")] = (_val(num.find(_W + "abstractNumId")) or "", overrides)
        # a definition that only points at a numbering style uses that style's levels
        for abstract_id, style_id in links.items():
            linked = self._nums.get(styles.numbering.get(style_id, ""))
            if linked is not None and not self._levels.get(abstract_id):
                self._levels[abstract_id] = self._levels.get(linked[0], {})

    def level_of_style(self, num_id: str, style_id: str | None) -> int:
        """The list level a heading style is tied to (w:pStyle in the level), else 0."""
        abstract_id = self._nums.get(num_id, ("", {}))[0]
        for ilvl, level in self._levels.get(abstract_id, {}).items():
            if style_id is not None and level.style == style_id:
                return ilvl
        return 0

    def next_label(self, num_id: str, ilvl: int) -> str:
        """Count this paragraph and return its label; "" for bullets and unknown lists."""
        if num_id not in self._nums:
            return ""
        abstract_id, overrides = self._nums[num_id]
        levels = self._levels.get(abstract_id, {})
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for level_index, start in overrides.items():
                counters[level_index] = start - 1
        level = levels.get(ilvl)
        counters[ilvl] = counters.get(ilvl, (level.start if level else 1) - 1) + 1
        for deeper in [index for index in counters if index > ilvl]:
            del counters[deeper]
        if level is None or level.format in ("bullet", "none"):
            return ""

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            other = levels.get(index)
            value = counters.get(index, other.start if other else 1)
            return format_number(value, "decimal" if level.legal or other is None else other.format)

        return clip(re.sub(r"%([1-9])", number, level.text)).strip()


def _level(element: _Xml) -> _Level:
    return _Level(
        format=_val(element.find(_W + "numFmt")) or "decimal",
        # a template is a few characters ("%1.%2."): a longer one is cut, not expanded
        text=clip(_val(element.find(_W + "lvlText")) or ""),
        # the standard's default start is 0; every writer sets it, and "0." would only confuse
        start=start_value(_int(_val(element.find(_W + "start")))),
        style=_val(element.find(_W + "pStyle")),
        legal=_switched_on(element.find(_W + "isLgl")),
    )


class _Walker:
    """Walks the body in document order, turning pages and writing blocks."""

    def __init__(self, styles: _Styles, numbering: _Numbering, rendered: bool,
                 section_breaks: dict[_Xml, bool], comments: dict[str, str] | None = None) -> None:
        self.styles = styles
        self.numbering = numbering
        self.rendered = rendered
        self.section_breaks = section_breaks
        self.pages = PageCounter()
        self.blocks = OfficeBlocks()
        self.title: str | None = None
        #: comment texts by w:id; the ids met and not yet placed; the ids placed
        self.comments = comments or {}
        self.anchored: list[str] = []
        self.placed: set[str] = set()

    def walk(self, container: _Xml) -> None:
        for child in _content(container):
            if child.tag == _P:
                self._paragraph(child)
            elif child.tag == _TBL:
                self._table(child)
            elif child.tag in _COMMENT_ANCHORS:
                self._anchor(child)  # a range that starts between paragraphs: placed with the next

    def _anchor(self, element: _Xml) -> None:
        comment_id = element.get(_W + "id")
        if comment_id in self.comments and comment_id not in self.placed:
            self.placed.add(comment_id)
            self.anchored.append(comment_id)

    def _place_comments(self, page: int | None) -> None:
        """The comments anchored in the paragraph just written, in its section."""
        for comment_id in self.anchored:
            self.blocks.sink.comment(self.comments[comment_id], page if page is not None else self.pages.page)
        self.anchored.clear()

    def _paragraph(self, paragraph: _Xml) -> None:
        properties = paragraph.find(_PPR)
        style_id = _val(properties.find(_W + "pStyle")) if properties is not None else None
        chain = self.styles.chain(style_id)
        if not self.rendered and _switched_on(_inherited(properties, chain, _W + "pageBreakBefore")):
            self.pages.turn_unless_empty()
        run = TextRun(self.pages)
        text_boxes: list[_Xml] = []
        self._runs(paragraph, run, text_boxes)
        section = properties.find(_SECTPR) if properties is not None else None
        if not self.rendered and section is not None and self.section_breaks.get(section, False):
            self.pages.turn()
        # a style the file uses but never defines still says what it is by its id
        own = style_role(style_id) if style_id and not self.styles.defines(style_id) \
            else _role_of(chain[0]) if chain else None
        self._write(run, properties, chain, own)
        self._place_comments(run.page)
        with self.pages.frozen():
            for box in text_boxes:
                self.walk(box)

    def _runs(self, element: _Xml, run: TextRun, text_boxes: list[_Xml]) -> None:
        for child in element:
            tag = child.tag
            if tag == _T:
                run.add(child.text or "")
            elif tag in _SPACES:
                run.add(" ")
            elif tag == _BR:
                if child.get(_W + "type") == "page" and not self.rendered:
                    self.pages.turn()
                run.add(" ")
            elif tag == _RENDERED_BREAK:
                if self.rendered:
                    self.pages.turn()
            elif tag == _W + "noBreakHyphen":
                run.add("-")
            elif tag == _TEXT_BOX:
                text_boxes.append(child)
            elif tag in _COMMENT_ANCHORS:
                self._anchor(child)
            elif tag in _NOT_TEXT or not isinstance(tag, str):
                continue
            elif tag == _R and _switched_on(child.find(f"{_RPR}/{_W}vanish")):
                continue  # hidden text is not on the page
            else:
                self._runs(child, run, text_boxes)

    def _write(self, run: TextRun, properties: _Xml | None, chain: list[_Xml], own: StyleRole | None) -> None:
        numbered = self._numbered(properties, chain)
        # a numbered paragraph counts even when empty: Word shows its number
        label = self.numbering.next_label(*numbered) if numbered else ""
        text, page = run.text, run.page
        if not text:
            return
        role = _paragraph_role(properties, chain, own)
        labelled = f"{label} {text}" if label else text
        if role is not None and role.kind == "toc":
            self.blocks.plain(text, page)
        elif role is not None and role.kind == "title":
            self.blocks.heading(text, 1, page)
            self.title = self.title or text
        elif role is not None and role.kind == "heading":
            self.blocks.heading(labelled, role.level, page)
        elif numbered or (role is not None and role.kind == "list"):
            self.blocks.item(labelled, page)
        else:
            self.blocks.paragraph(text, page)

    def _numbered(self, properties: _Xml | None, chain: list[_Xml]) -> tuple[str, int] | None:
        """(w:numId, list level) of a paragraph numbered directly or through its style."""
        num_id: str | None = None
        ilvl: int | None = None
        for holder in [properties, *(style.find(_PPR) for style in chain)]:
            numbering = holder.find(_W + "numPr") if holder is not None else None
            if numbering is None:
                continue
            num_id = num_id if num_id is not None else _val(numbering.find(_W + "numId"))
            ilvl = ilvl if ilvl is not None else _int(_val(numbering.find(_W + "ilvl")))
            if num_id is not None and ilvl is not None:
                break
        if num_id is None or num_id == "0":  # numId 0 switches numbering off
            return None
        if ilvl is None:
            ilvl = self.numbering.level_of_style(num_id, chain[0].get(_W + "styleId") if chain else None)
        return num_id, min(max(ilvl, 0), 8)

    def _table(self, table: _Xml) -> None:
        rows: list[tuple[str, ...]] = []
        page: int | None = None
        for row in _content(table):
            if row.tag != _TR or row.find(f"{_W}trPr/{_W}del") is not None:
                continue
            cells: list[str] = []
            for cell_element in self.pages.side_by_side([cell for cell in _content(row) if cell.tag == _TC]):
                with self.blocks.cell() as cell:
                    self.walk(cell_element)
                cells.append(" ".join(cell.texts))
                page = page if page is not None else cell.page
            if any(cells):
                rows.append(tuple(cells))
        self.blocks.table(rows, page if page is not None else self.pages.page)


def _inherited(properties: _Xml | None, chain: list[_Xml], tag: str) -> _Xml | None:
    """A paragraph property set on the paragraph, or else on the nearest style that sets it."""
    for holder in [properties, *(style.find(_PPR) for style in chain)]:
        found = holder.find(tag) if holder is not None else None
        if found is not None:
            return found
    return None
