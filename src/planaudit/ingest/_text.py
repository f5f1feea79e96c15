"""Bytes to text for the text formats, and telling text from binary."""
from __future__ import annotations

from ..errors import InputError
from ._registry import Source

__all__ = ["decode_text", "looks_like_text"]

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def looks_like_text(head: bytes) -> bool:
    """True when the first bytes could be UTF-8 or Latin text (no NUL, few control bytes)."""
    if not head or b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte in _CONTROL)
    return controls <= len(head) // 100


def decode_text(source: Source) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which Norwegian Word exports use."""
    if not looks_like_text(source.head):
        raise InputError(
            source.path,
            "er ikke en tekstfil (binært innhold i et tekstformat)",
            "is not a text file (binary content in a text format)",
        )
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = source.data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
