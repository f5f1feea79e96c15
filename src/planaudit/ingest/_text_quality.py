"""Whether a page's text layer can be read: present, and not garbage.

A scanned page has no text layer, or one too thin to hold a page of text. A page can also
have a layer that is there but unreadable: a font without a usable character map gives
glyph numbers as punctuation or shifted letters, a bad OCR layer gives replacement
characters. Both kinds of page are what OCR is for. Typography only: no dictionary.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ._data import reader_data

__all__ = ["MIN_LETTERS_PER_PAGE", "TextQuality", "text_quality"]

#: Pages with fewer letters than this have no usable text layer (scanned or images).
MIN_LETTERS_PER_PAGE = 20
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class _Limits:
    max_bad_share: float
    min_alnum_share: float
    max_vowelless_share: float
    vowels: frozenset[str]


@lru_cache(maxsize=1)
def _limits() -> _Limits:
    data = reader_data("ocr")["garbage"]
    return _Limits(float(data["max_bad_share"]), float(data["min_alnum_share"]),
                   float(data["max_vowelless_share"]), frozenset(data["vowels"]))


@dataclass(frozen=True)
class TextQuality:
    """What a page's text layer holds, as far as OCR is concerned."""

    letters: int
    garbage: bool

    @property
    def missing(self) -> bool:
        return self.letters < MIN_LETTERS_PER_PAGE

    @property
    def usable(self) -> bool:
        return not self.missing and not self.garbage


def text_quality(text: str) -> TextQuality:
    """How much of ``text`` (one page's text layer) is letters, and whether it is garbage."""
    visible = [char for char in text if not char.isspace()]
    letters = sum(1 for char in visible if char.isalpha())
    if letters < MIN_LETTERS_PER_PAGE:
        return TextQuality(letters, garbage=False)
    return TextQuality(letters, garbage=_garbage(visible, text))


def _garbage(visible: list[str], text: str) -> bool:
    limits = _limits()
    bad = sum(1 for char in visible if char == "\ufffd" or unicodedata.category(char) in ("Co", "Cc", "Cs"))
    if bad > limits.max_bad_share * len(visible):
        return True
    alnum = sum(1 for char in visible if char.isalnum())
    if alnum < limits.min_alnum_share * len(visible):
        return True
    words = _LONG_WORD.findall(text)
    vowelless = sum(1 for word in words if not limits.vowels.intersection(word))
    return len(words) >= 5 and vowelless > limits.max_vowelless_share * len(words)
