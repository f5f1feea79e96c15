"""Readers: bytes and layout to a Document (or, for structured input, a Plan). No Norwegian."""
from ._registry import DEFAULT_MAX_BYTES, Reader, Source, choose_reader, load_source
from .markdown import MarkdownReader
from .structured import StructuredReader, plan_schema

__all__ = [
    "BUILTIN_READERS",
    "DEFAULT_MAX_BYTES",
    "MarkdownReader",
    "Reader",
    "Source",
    "StructuredReader",
    "choose_reader",
    "load_source",
    "plan_schema",
]

BUILTIN_READERS: tuple[Reader, ...] = (MarkdownReader(), StructuredReader())
