"""An upload read into memory: the plan file's bytes, its name and the form's other fields.

Starlette's own form parser spools files over 1 MB to a temporary file on disk; an
uploaded plan must never be written anywhere (only the history keeps it, and only with
``--keep-documents``), so the multipart body is parsed here, straight into memory. The
size is bounded before this runs (:mod:`planaudit.web._limits`). The file name is reduced
to a plain base name: it is shown in the report and stored in the history, never used as a
path.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ._errors import ApiError

__all__ = ["Upload", "read_multipart", "safe_filename"]

_MAX_FIELDS = 16
_MAX_FIELD_BYTES = 4096
_MAX_NAME = 200
_FALLBACK_NAME = "plan"


@dataclass(frozen=True)
class Upload:
    """The first file in the form (``None`` when there is none) and the text fields."""

    data: bytes | None
    filename: str
    fields: dict[str, str] = field(default_factory=dict)


def safe_filename(raw: str) -> str:
    """The base name of a client's file name: no folders (``/`` or ``\\``), no control or
    format characters, at most 200 characters with the extension kept, never empty or a dot
    name."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    if not name.strip("."):
        return _FALLBACK_NAME
    if len(name) > _MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix[:20] if dot and stem else ""
        name = name[: _MAX_NAME - len(suffix) - 1] + "." + suffix if suffix else name[:_MAX_NAME]
    return name


class _Parts:
    """The parser's callbacks, collecting parts in memory."""

    def __init__(self, file_field: str) -> None:
        self.file_field = file_field
        self.fields: dict[str, str] = {}
        self.data: bytearray | None = None
        self.filename = ""
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._name = ""
        self._is_file = False
        self._buffer = bytearray()
        self._count = 0

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self.begin, "on_part_data": self.chunk, "on_part_end": self.end,
            "on_header_field": self.header_field, "on_header_value": self.header_value,
            "on_header_end": self.header_end, "on_headers_finished": self.headers_finished,
        }

    def begin(self) -> None:
        self._count += 1
        if self._count > _MAX_FIELDS:
            raise ApiError("invalid_request", detail=("for mange felt i skjemaet", "too many form fields"))
        self._disposition, self._buffer = b"", bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        self._is_file = b"filename" in options
        if self._is_file and self._name == self.file_field and self.data is None:
            self.filename = options[b"filename"].decode("utf-8", "replace")

    def chunk(self, data: bytes, start: int, end: int) -> None:
        if not self._is_file and len(self._buffer) + end - start > _MAX_FIELD_BYTES:
            raise ApiError("invalid_request", detail=(f"feltet «{self._name}» er for langt",
                                                      f"the field \"{self._name}\" is too long"))
        self._buffer += data[start:end]

    def end(self) -> None:
        if not self._is_file:
            self.fields.setdefault(self._name, self._buffer.decode("utf-8", "replace"))
        elif self._name == self.file_field and self.data is None and (self._buffer or self.filename):
            self.data = self._buffer
        self._buffer = bytearray()


async def read_multipart(request: Request, file_field: str) -> Upload:
    """The multipart/form-data body of ``request``; a malformed body is ``invalid_request``."""
    _, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if not boundary:
        raise ApiError("invalid_request", detail=("multipart-grensen (boundary) mangler", "the multipart boundary is missing"))
    parts = _Parts(file_field)
    try:
        parser = MultipartParser(boundary, parts.callbacks())  # type: ignore[arg-type]
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise ApiError("invalid_request", detail=("skjemadataene (multipart) er ødelagt",
                                                  "the form data (multipart) is malformed")) from None
    data = bytes(parts.data) if parts.data is not None else None
    return Upload(data, safe_filename(parts.filename), parts.fields)
