"""What the Word (.docx) and OpenDocument (.odt) readers share: safe opening of their ZIP
packages, the paragraph style names that carry structure, list numbering and page counting.

Office files arrive by e-mail and from web sites, so a package is hostile until checked. A
ZIP bomb is refused from the sizes the ZIP declares, before any member is decompressed, and
an XML member that declares a document type or entities is refused before any parser sees
it: Word and LibreOffice never write one, and entity declarations are how XXE (reading
local files) and "billion laughs" (exponential expansion) attacks work.
"""
from __future__ import annotations

import io
import lzma
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import IO, Literal, TypeVar
from xml.etree.ElementTree import Element

import yaml

from ..errors import InputError
from ..model import BlockKind
from ._layout import BlockSink
from ._registry import Source

__all__ = [
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "MAX_XML_BYTES",
    "ODT_MEDIA_TYPES",
    "OLE2_MAGIC",
    "ZIP_MAGIC",
    "OfficeBlocks",
    "Package",
    "PageCounter",
    "StyleRole",
    "TextRun",
    "damaged",
    "format_number",
    "open_package",
    "package_kind",
    "style_role",
]

ZIP_MAGIC = b"PK\x03\x04"
#: Compound File (OLE2): old .doc files, and any Office file saved with a password.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MEDIA_TYPES = ("application/vnd.oasis.opendocument.text",
                   "application/vnd.oasis.opendocument.text-template")

# Python's ZipExtFile never yields more bytes than a member's declared file_size (it stops
# there, and a CRC mismatch raises BadZipFile), so the declared sizes bound the memory that
# reading the package can take, whatever the compressed stream really expands to.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 200
#: a member must also be this large before its compression ratio counts as a bomb
_RATIO_FLOOR_BYTES = 10 * 1024 * 1024
#: no XML member a reader parses may be larger: a parsed tree takes ten times its text
MAX_XML_BYTES = 64 * 1024 * 1024

# Everything zipfile and the decompressors raise on a damaged or hand-crafted archive.
_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError,
    NotImplementedError, ValueError, KeyError, IndexError, struct.error,
)

# "<!DOCTYPE" and "<!ENTITY" as they look in every encoding an XML parser detects by itself.
_DECLARATIONS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_CHUNK = 1024 * 1024
T = TypeVar("T")


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def damaged(source: Source, label: str, nb: str, en: str) -> InputError:
    """The one error for a package that is not what its format promises."""
    return InputError(
        source.path,
        f"filen er skadet eller ikke en gyldig {label}-pakke ({nb})",
        f"the file is damaged or not a valid {label} package ({en})",
    )


@dataclass
class Package:
    """An opened ZIP package whose declared sizes have been checked."""

    source: Source
    label: str
    archive: zipfile.ZipFile

    @cached_property
    def names(self) -> set[str]:
        return set(self.archive.namelist())

    def read(self, name: str, limit: int = MAX_XML_BYTES) -> bytes:
        """A member's bytes; a missing, oversized or undecodable member is an InputError."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise damaged(self.source, self.label, f"mangler {name}", f"{name} is missing") from None
        if info.file_size > limit:
            raise _too_large(self.source, f"{name} er {_mb(info.file_size)} MB",
                             f"{name} is {_mb(info.file_size)} MB")
        try:
            return self.archive.read(info)
        except _ZIP_ERRORS:
            raise damaged(self.source, self.label, f"kan ikke pakke ut {name}",
                          f"cannot unpack {name}") from None

    def refuse_entity_declarations(self, names: Iterable[str]) -> None:
        """Refuse the package when one of these XML members has a DTD (streamed, never whole)."""
        for name in sorted(set(names) & self.names):
            info = self.archive.getinfo(name)
            if info.file_size > MAX_XML_BYTES:
                raise _too_large(self.source, f"{name} er {_mb(info.file_size)} MB",
                                 f"{name} is {_mb(info.file_size)} MB")
            try:
                with self.archive.open(info) as stream:
                    declares = _declares_entities(stream)
            except _ZIP_ERRORS:
                raise damaged(self.source, self.label, f"kan ikke pakke ut {name}",
                              f"cannot unpack {name}") from None
            if declares:
                raise InputError(
                    self.source.path,
                    f"filen inneholder XML-entitetsdeklarasjoner (<!DOCTYPE/<!ENTITY i {name}); "
                    "avvist som vern mot XXE og entitetsekspansjon",
                    f"the file contains XML entity declarations (<!DOCTYPE/<!ENTITY in {name}); "
                    "refused as protection against XXE and entity expansion",
                )

    def parse(self, name: str) -> Element:
        """A member parsed by defusedxml, which refuses DTDs, entities and external references."""
        from defusedxml import ElementTree as SafeTree  # type: ignore[import-untyped]
        from defusedxml.common import DefusedXmlException  # type: ignore[import-untyped]

        data = self.read(name)
        try:
            root: Element = SafeTree.fromstring(data, forbid_dtd=True)
        except DefusedXmlException:
            raise InputError(
                self.source.path,
                f"filen inneholder XML-entitetsdeklarasjoner ({name}); avvist som vern mot XXE og entitetsekspansjon",
                f"the file contains XML entity declarations ({name}); refused as protection against XXE "
                "and entity expansion",
            ) from None
        except (SafeTree.ParseError, ValueError, LookupError):  # LookupError: unknown encoding
            raise damaged(self.source, self.label, f"{name} er ikke gyldig XML",
                          f"{name} is not well-formed XML") from None
        return root


def _too_large(source: Source, nb: str, en: str) -> InputError:
    return InputError(source.path, f"filen avvises som mulig ZIP-bombe ({nb})",
                      f"the file is refused as a possible ZIP bomb ({en})")


def _declares_entities(stream: IO[bytes]) -> bool:
    keep = max(len(marker) for marker in _DECLARATIONS) - 1
    tail = b""
    while chunk := stream.read(_CHUNK):
        window = tail + chunk
        if any(marker in window for marker in _DECLARATIONS):
            return True
        tail = window[-keep:]
    return False


def open_package(source: Source, label: str) -> Package:
    """Open the bytes as a ZIP and refuse bombs before anything is decompressed."""
    if not source.data.startswith(ZIP_MAGIC):
        raise damaged(source, label, "ikke en ZIP-fil", "not a ZIP file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(source.data))
        infos = archive.infolist()
    except _ZIP_ERRORS:
        raise damaged(source, label, "ZIP-strukturen er ødelagt eller avkortet",
                      "the ZIP structure is broken or truncated") from None
    if len(infos) > MAX_MEMBERS:
        raise _too_large(source, f"{len(infos)} elementer, grensen er {MAX_MEMBERS}",
                         f"{len(infos)} members, the limit is {MAX_MEMBERS}")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        raise _too_large(source, f"pakkes ut til {_mb(total)} MB, grensen er {_mb(MAX_UNPACKED_BYTES)} MB",
                         f"unpacks to {_mb(total)} MB, the limit is {_mb(MAX_UNPACKED_BYTES)} MB")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_RATIO and info.file_size > _RATIO_FLOOR_BYTES:
            raise _too_large(source, f"{info.filename} er komprimert {ratio:.0f}:1",
                             f"{info.filename} is compressed {ratio:.0f}:1")
    return Package(source, label, archive)


def package_kind(data: bytes) -> Literal["docx", "odt"] | None:
    """"docx" or "odt" when the bytes are that kind of package; None otherwise, never raising.

    The ZIP magic alone cannot tell a Word file from an OpenDocument file or a spreadsheet:
    the central directory (read without decompressing anything) can.
    """
    if not data.startswith(ZIP_MAGIC):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
        if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
            media_type = archive.read("mimetype").decode("ascii", errors="replace").strip()
            if media_type in ODT_MEDIA_TYPES:
                return "odt"
    except _ZIP_ERRORS:
        return None
    return None


# --- paragraph styles -----------------------------------------------------------------------


@dataclass(frozen=True)
class StyleRole:
    """What a paragraph style says about its paragraphs."""

    kind: Literal["heading", "title", "list", "toc"]
    level: int = 0


@lru_cache(maxsize=1)
def _style_names() -> dict[str, list[str]]:
    text = (resources.files("planaudit.ingest") / "data" / "office_styles.yaml").read_text(encoding="utf-8")
    data: dict[str, list[str]] = yaml.safe_load(text)
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


# --- list numbers ---------------------------------------------------------------------------

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(value: int) -> str:
    digits = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        digits.append(letters * count)
    return "".join(digits)


def _letters(value: int) -> str:
    # Word and LibreOffice both go a..z, then aa..zz
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def format_number(value: int, style: str) -> str:
    """A counter as a list label shows it: decimal, lowerLetter, upperLetter, lowerRoman,
    upperRoman (Word's names); anything else is decimal."""
    if value < 1 or style == "decimal":
        return str(value)
    if style in ("lowerLetter", "upperLetter"):
        text = _letters(value)
    elif style in ("lowerRoman", "upperRoman"):
        text = _roman(value)
    else:
        return str(value)
    return text.upper() if style.startswith("upper") else text


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
