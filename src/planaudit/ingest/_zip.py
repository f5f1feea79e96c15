"""Safe access to the ZIP packages that Word (.docx) and OpenDocument (.odt) files are.

Office files arrive by e-mail and from web sites, so a package is hostile until checked:

- the end record's entry count and directory size are checked before zipfile parses the
  central directory, so a directory of a million entries costs nothing;
- a ZIP bomb is refused from the sizes the directory declares, before anything is unpacked;
- only the two methods Word and LibreOffice write (stored, deflate) are unpacked: bzip2 and
  LZMA cannot be unpacked in bounded steps;
- a member is unpacked here, never by zipfile's read(), in chunks of at most a megabyte, and
  refused the moment it yields more than its declared size: zipfile asks zlib for up to 2 GB
  in one call and trusts the declared size only afterwards;
- an XML member that declares a document type or entities is refused before any parser sees
  it: Word and LibreOffice never write one, and entity declarations are how XXE (reading
  local files) and "billion laughs" (exponential expansion) attacks work.

Recognising a package (package_kind) reads only the end record, the central directory and at
most a hundred bytes of the mimetype member, and never raises.
"""
from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal
from xml.etree.ElementTree import Element

from ..errors import InputError
from ._registry import Source

__all__ = [
    "MAX_DIRECTORY_BYTES",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "MAX_XML_BYTES",
    "ODT_MEDIA_TYPES",
    "ZIP_MAGIC",
    "Package",
    "damaged",
    "open_package",
    "package_kind",
]

ZIP_MAGIC = b"PK\x03\x04"
ODT_MEDIA_TYPES = ("application/vnd.oasis.opendocument.text",
                   "application/vnd.oasis.opendocument.text-template")

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
#: the central directory: 10,000 entries with names of 400 bytes
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024
MAX_RATIO = 200
#: a member must also be this large before its compression ratio counts as a bomb
_RATIO_FLOOR_BYTES = 10 * 1024 * 1024
#: no XML member a reader parses may be larger: a parsed tree takes ten times its text
MAX_XML_BYTES = 64 * 1024 * 1024
#: the most a mimetype member may hold to be recognised
_MAX_MIMETYPE_BYTES = 100

#: unpacked bytes per step, and compressed bytes fed to zlib per step
_CHUNK = 1024 * 1024
_FEED = 64 * 1024
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA"}
_ENCRYPTED = 0x1
_UTF8_NAME = 0x800

# Everything zipfile and the decompressors raise on a damaged or hand-crafted archive.
_ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError,
    NotImplementedError, ValueError, KeyError, IndexError, struct.error,
)

# "<!DOCTYPE" and "<!ENTITY" as they look in every encoding an XML parser detects by itself.
_DECLARATIONS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def _mb(size: int) -> int:
    return size // (1024 * 1024)


def damaged(source: Source, label: str, nb: str, en: str) -> InputError:
    """The one error for a package that is not what its format promises."""
    return InputError(
        source.path,
        f"filen er skadet eller ikke en gyldig {label}-pakke ({nb})",
        f"the file is damaged or not a valid {label} package ({en})",
    )


def _too_large(source: Source, nb: str, en: str) -> InputError:
    return InputError(source.path, f"filen avvises som mulig ZIP-bombe ({nb})",
                      f"the file is refused as a possible ZIP bomb ({en})")


# --- the end record and the central directory ----------------------------------------------

_END = struct.Struct("<4s4H2LH")
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s2B4HL2L2H")


@dataclass(frozen=True)
class _Directory:
    """The central directory as the end record describes it."""

    entries: int
    size: int
    #: where it starts in the bytes, and how far every recorded offset is shifted (bytes
    #: prepended to the archive), both as zipfile computes them
    start: int
    shift: int


def _directory(data: bytes) -> _Directory | None:
    """The end record (ZIP64 too) read without touching the directory; None if there is none."""
    position = len(data) - _END.size
    if position < 0:
        return None
    if data[position:position + 4] != b"PK\x05\x06" or data[-2:] != b"\0\0":
        position = data.rfind(b"PK\x05\x06", max(0, len(data) - _END.size - 0xFFFF))
        if position < 0 or position + _END.size > len(data):
            return None
    _, _, _, _, entries, size, offset, _ = _END.unpack_from(data, position)
    start = position - size
    locator = position - _END64_LOCATOR.size
    end64 = locator - _END64.size
    if end64 >= 0 and data[locator:locator + 4] == b"PK\x06\x07" and data[end64:end64 + 4] == b"PK\x06\x06":
        _, disk64, _, disks = _END64_LOCATOR.unpack_from(data, locator)
        if disk64 != 0 or disks > 1:
            return None  # an archive split over several disks
        _, _, _, _, _, _, _, entries, size, offset = _END64.unpack_from(data, end64)
        start = end64 - size
    if start < 0:
        return None
    return _Directory(entries, size, start, start - offset)


def _check_directory(source: Source, directory: _Directory) -> None:
    if directory.entries > MAX_MEMBERS:
        raise _too_large(source, f"{directory.entries} elementer, grensen er {MAX_MEMBERS}",
                         f"{directory.entries} members, the limit is {MAX_MEMBERS}")
    if directory.size > MAX_DIRECTORY_BYTES:
        raise _too_large(source, f"innholdslisten er {_mb(directory.size)} MB, grensen er "
                         f"{_mb(MAX_DIRECTORY_BYTES)} MB",
                         f"its directory is {_mb(directory.size)} MB, the limit is {_mb(MAX_DIRECTORY_BYTES)} MB")


@dataclass(frozen=True)
class _Entry:
    """What package_kind needs of a directory entry."""

    name: str
    #: the name as stored, before zipfile would cut it at a NUL
    stored_name: str
    method: int
    flags: int
    crc: int
    compressed: int
    size: int
    offset: int


def _entries(data: bytes, directory: _Directory) -> Iterator[_Entry]:
    """The directory's entries, walked as zipfile walks them, and never more than MAX_MEMBERS."""
    position, end = directory.start, directory.start + directory.size
    for _ in range(MAX_MEMBERS + 1):
        if position >= end:
            return
        (signature, _, _, _, _, flags, method, _, _, crc, compressed, size, name_length,
         extra_length, comment_length, _, _, _, offset) = _CENTRAL.unpack_from(data, position)
        if signature != b"PK\x01\x02":
            raise zipfile.BadZipFile("bad central directory entry")
        raw_name = data[position + _CENTRAL.size:position + _CENTRAL.size + name_length]
        name = raw_name.decode("utf-8" if flags & _UTF8_NAME else "cp437")
        yield _Entry(name.split("\0", 1)[0], name, method, flags, crc, compressed, size, offset + directory.shift)
        position += _CENTRAL.size + name_length + extra_length + comment_length
    raise zipfile.BadZipFile("too many entries")


# --- unpacking ------------------------------------------------------------------------------


class _Oversized(Exception):
    """A member that unpacks to more than the size its directory entry declares."""


def _stored_bytes(data: bytes, offset: int, compressed: int, name: str) -> memoryview:
    """A member's bytes as stored after its local header, whose name must be `name`."""
    (signature, _, _, flags, _, _, _, _, _, _, name_length, extra_length) = _LOCAL.unpack_from(data, offset)
    if signature != ZIP_MAGIC:
        raise zipfile.BadZipFile("bad local file header")
    raw_name = data[offset + _LOCAL.size:offset + _LOCAL.size + name_length]
    if raw_name.decode("utf-8" if flags & _UTF8_NAME else "cp437") != name:
        raise zipfile.BadZipFile("file name in directory and header differ")
    start = offset + _LOCAL.size + name_length + extra_length
    if start + compressed > len(data):
        raise zipfile.BadZipFile("truncated member")
    return memoryview(data)[start:start + compressed]


def _unpack(raw: memoryview, method: int, declared: int, crc: int) -> Iterator[bytes]:
    """A member's bytes in chunks of at most _CHUNK; _Oversized the moment it yields more
    than declared, BadZipFile or zlib.error when its stream is broken or its checksum wrong."""
    running = 0
    produced = 0
    if method == zipfile.ZIP_STORED:
        if len(raw) > declared:
            raise _Oversized
        for start in range(0, len(raw), _CHUNK):
            chunk = bytes(raw[start:start + _CHUNK])
            running = zlib.crc32(chunk, running)
            produced += len(chunk)
            yield chunk
    elif method == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        fed = 0
        pending: bytes | memoryview = b""
        while not inflater.eof:
            if not pending and fed < len(raw):
                pending = raw[fed:fed + _FEED]
                fed += len(pending)
            # one byte more than is left, to see a member that is larger than it says
            chunk = inflater.decompress(pending, min(_CHUNK, declared - produced + 1))
            if not chunk and len(inflater.unconsumed_tail) == len(pending) and not inflater.eof:
                raise zipfile.BadZipFile("truncated or stalled deflate stream")
            pending = inflater.unconsumed_tail
            produced += len(chunk)
            if produced > declared:
                raise _Oversized
            running = zlib.crc32(chunk, running)
            if chunk:
                yield chunk
    else:
        raise NotImplementedError(f"compression method {method}")
    if produced != declared or running != crc:
        raise zipfile.BadZipFile("size or checksum differs from the directory")


_SNIFF_ERRORS: tuple[type[Exception], ...] = (*_ZIP_ERRORS, _Oversized)


def _method_name(method: int) -> str:
    return _METHOD_NAMES.get(method, f"nr. {method}")


@dataclass
class Package:
    """An opened ZIP package whose directory and declared sizes have been checked."""

    source: Source
    label: str
    archive: zipfile.ZipFile

    @cached_property
    def names(self) -> set[str]:
        return set(self.archive.namelist())

    def _info(self, name: str, limit: int) -> zipfile.ZipInfo:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise damaged(self.source, self.label, f"mangler {name}", f"{name} is missing") from None
        if info.file_size > limit:
            raise _too_large(self.source, f"{name} er {_mb(info.file_size)} MB",
                             f"{name} is {_mb(info.file_size)} MB")
        return info

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """A member's bytes in bounded chunks; a member larger than declared or undecodable
        is an InputError."""
        name = info.filename
        try:
            raw = _stored_bytes(self.source.data, info.header_offset, info.compress_size, info.orig_filename)
            yield from _unpack(raw, info.compress_type, info.file_size, info.CRC)
        except _Oversized:
            raise _too_large(self.source, f"{name} er større enn de oppgitte {info.file_size} byte",
                             f"{name} is larger than the {info.file_size} bytes declared") from None
        except _ZIP_ERRORS:
            raise damaged(self.source, self.label, f"kan ikke pakke ut {name}",
                          f"cannot unpack {name}") from None

    def read(self, name: str, limit: int = MAX_XML_BYTES) -> bytes:
        """A member's bytes; a missing, oversized or undecodable member is an InputError."""
        return b"".join(self.chunks(self._info(name, limit)))

    def verify(self, xml: Collection[str] = ()) -> None:
        """Unpack every member once, in chunks, keeping nothing: afterwards none can yield
        more than its declared size to another ZIP reader (python-docx). The members named in
        `xml` are parsed by someone: one that declares a DTD refuses the package."""
        for info in self.archive.infolist():
            self._scan(info, declarations=info.filename in xml)

    def refuse_entity_declarations(self, names: Iterable[str]) -> None:
        """Refuse the package when one of these XML members has a DTD (streamed, never whole)."""
        for name in sorted(set(names) & self.names):
            self._scan(self._info(name, MAX_XML_BYTES), declarations=True)

    def _scan(self, info: zipfile.ZipInfo, declarations: bool) -> None:
        if declarations and info.file_size > MAX_XML_BYTES:
            raise _too_large(self.source, f"{info.filename} er {_mb(info.file_size)} MB",
                             f"{info.filename} is {_mb(info.file_size)} MB")
        keep = max(len(marker) for marker in _DECLARATIONS) - 1
        tail = b""
        for chunk in self.chunks(info):
            if not declarations:
                continue
            window = tail + chunk
            if any(marker in window for marker in _DECLARATIONS):
                raise InputError(
                    self.source.path,
                    f"filen inneholder XML-entitetsdeklarasjoner (<!DOCTYPE/<!ENTITY i {info.filename}); "
                    "avvist som vern mot XXE og entitetsekspansjon",
                    f"the file contains XML entity declarations (<!DOCTYPE/<!ENTITY in {info.filename}); "
                    "refused as protection against XXE and entity expansion",
                )
            tail = window[-keep:]

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


def open_package(source: Source, label: str) -> Package:
    """Open the bytes as a ZIP and refuse bombs before anything is decompressed."""
    if not source.data.startswith(ZIP_MAGIC):
        raise damaged(source, label, "ikke en ZIP-fil", "not a ZIP file")
    directory = _directory(source.data)
    if directory is None:
        raise damaged(source, label, "ZIP-strukturen er ødelagt eller avkortet",
                      "the ZIP structure is broken or truncated")
    _check_directory(source, directory)
    try:
        archive = zipfile.ZipFile(io.BytesIO(source.data))
        infos = archive.infolist()
    except _ZIP_ERRORS:
        raise damaged(source, label, "ZIP-strukturen er ødelagt eller avkortet",
                      "the ZIP structure is broken or truncated") from None
    if len(infos) > MAX_MEMBERS:  # the end record may understate the count
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
        if info.compress_type not in _METHODS:
            method = _method_name(info.compress_type)
            raise damaged(source, label, f"{info.filename} er pakket med en metode som ikke støttes: {method}",
                          f"{info.filename} is packed with an unsupported method: {method}")
        if info.flag_bits & _ENCRYPTED:
            raise damaged(source, label, f"{info.filename} er kryptert", f"{info.filename} is encrypted")
    return Package(source, label, archive)


def package_kind(data: bytes) -> Literal["docx", "odt"] | None:
    """"docx" or "odt" when the bytes are that kind of package; None otherwise, never raising.

    The ZIP magic alone cannot tell a Word file from an OpenDocument file or a spreadsheet:
    the central directory (read without decompressing anything) and the mimetype member
    (at most a hundred bytes) can. A directory over the limits is recognised as nothing; the
    reader the file's extension chooses then refuses it.
    """
    if not data.startswith(ZIP_MAGIC):
        return None
    try:
        directory = _directory(data)
        if directory is None or directory.entries > MAX_MEMBERS or directory.size > MAX_DIRECTORY_BYTES:
            return None
        entries = {entry.name: entry for entry in _entries(data, directory)}
        if "[Content_Types].xml" in entries and "word/document.xml" in entries:
            return "docx"
        mimetype = entries.get("mimetype")
        if (mimetype is not None and mimetype.size <= _MAX_MIMETYPE_BYTES and mimetype.method in _METHODS
                and mimetype.compressed <= 16 * _MAX_MIMETYPE_BYTES and not mimetype.flags & _ENCRYPTED):
            raw = _stored_bytes(data, mimetype.offset, mimetype.compressed, mimetype.stored_name)
            media_type = b"".join(_unpack(raw, mimetype.method, mimetype.size, mimetype.crc))
            if media_type.decode("ascii", errors="replace").strip() in ODT_MEDIA_TYPES:
                return "odt"
    except _SNIFF_ERRORS:
        return None
    return None
