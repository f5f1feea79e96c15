"""Reader protocol and the choice of reader for a file: by content first, extension second."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..errors import InputError
from ..model import Document, Plan

__all__ = ["ReadOptions", "Reader", "Source", "choose_reader", "load_source"]

#: How much of a file a reader may look at to recognise it.
SNIFF_BYTES = 4096
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How the user asked for a file to be read, beyond its bytes."""

    #: read pages without a usable text layer (scanned, images, garbage) with OCR
    ocr: bool = False
    #: pages read with OCR at the same time
    jobs: int = 1
    #: Tesseract's language model(s), e.g. "nor" or "nor+eng"
    ocr_language: str = "nor"
    #: told (pages read, pages to read) as OCR goes, for a progress bar
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Source:
    """A file's bytes as read once; readers never open the file themselves."""

    path: str
    data: bytes
    options: ReadOptions = ReadOptions()

    @property
    def head(self) -> bytes:
        return self.data[:SNIFF_BYTES]

    @property
    def suffix(self) -> str:
        return Path(self.path).suffix.lower()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@runtime_checkable
class Reader(Protocol):
    """Turns a file's bytes into a Document (layout) or, for structured input, a Plan."""

    #: format name used in reports and ``--format`` of readers, e.g. "markdown".
    name: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]

    def sniff(self, source: Source) -> int:
        """How sure the reader is that it can read this: 0 no, 1 plausible text, 2 magic bytes."""

    def read(self, source: Source) -> Document | Plan:
        """Read the source; raise InputError naming the cause when it cannot."""


def load_source(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read a file's bytes (read-only) with the checks every format shares."""
    name = str(path)
    file = Path(path)
    if not file.exists():
        raise InputError(name, "filen finnes ikke", "file does not exist")
    if file.is_dir():
        raise InputError(name, "er en mappe, ikke en fil", "is a directory, not a file")
    size = file.stat().st_size
    if size == 0:
        raise InputError(name, "filen er tom (0 byte)", "file is empty (0 bytes)")
    if size > max_bytes:
        raise InputError(
            name,
            f"filen er for stor ({size} byte, grensen er {max_bytes})",
            f"file is too large ({size} bytes, the limit is {max_bytes})",
        )
    try:
        data = file.read_bytes()
    except OSError as err:
        raise InputError(name, f"kan ikke leses ({err.strerror})", f"cannot be read ({err.strerror})") from None
    return Source(name, data)


def choose_reader(readers: Iterable[Reader], source: Source) -> Reader:
    """The reader most sure of the content; the file extension breaks ties."""
    ranked = []
    for reader in readers:
        confidence = reader.sniff(source)
        if confidence > 0:
            by_extension = source.suffix in reader.extensions
            ranked.append((confidence, by_extension, reader.name, reader))
    if not ranked:
        raise InputError(
            source.path,
            "ukjent eller ustøttet filformat",
            "unknown or unsupported file format",
        )
    ranked.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return ranked[0][3]
