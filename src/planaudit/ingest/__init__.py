"""Readers: bytes and layout to a Document (or, for structured input, a Plan). No Norwegian."""
from ._ocr import OcrStatus, OcrUnavailable, ocr_status
from ._registry import DEFAULT_MAX_BYTES, ReadOptions, Reader, Source, choose_reader, load_source
from .docx import DocxReader
from .html import HtmlReader
from .markdown import MarkdownReader
from .odt import OdtReader
from .pdf import PdfReader
from .structured import StructuredReader, plan_schema

__all__ = [
    "BUILTIN_READERS",
    "DEFAULT_MAX_BYTES",
    "DocxReader",
    "HtmlReader",
    "MarkdownReader",
    "OcrStatus",
    "OcrUnavailable",
    "OdtReader",
    "PdfReader",
    "ReadOptions",
    "Reader",
    "Source",
    "StructuredReader",
    "choose_reader",
    "load_source",
    "ocr_status",
    "plan_schema",
]

BUILTIN_READERS: tuple[Reader, ...] = (
    PdfReader(), DocxReader(), OdtReader(), HtmlReader(), MarkdownReader(), StructuredReader(),
)
