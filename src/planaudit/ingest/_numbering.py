"""List labels as Word and LibreOffice draw them before numbered paragraphs and headings
("3.2", "b)", "iv."), kept to a sane size whatever the file says.

A start value and a label template come straight from the file: a start of 10^20 in letters
would be a label of 10^20 characters, and a template of a million "%1" is expanded for
every numbered paragraph. So start values outside 0..MAX_COUNTER are ignored, a counter
beyond it is written in digits, and templates and labels are cut at MAX_LABEL characters.
"""
from __future__ import annotations

__all__ = ["MAX_COUNTER", "MAX_LABEL", "MAX_LEVELS", "clip", "format_number", "start_value"]

#: the largest start value a list may have; no writer offers more
MAX_COUNTER = 9999
#: the longest label (and label template) kept: a real one is a few characters
MAX_LABEL = 64
#: list levels Word and LibreOffice know (Word's ilvl 0-8, ODF's text:level 1-10)
MAX_LEVELS = 10

_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def start_value(value: int | None, default: int = 1) -> int:
    """A list's start value; a missing or absurd one (outside 0..MAX_COUNTER) gives `default`."""
    return value if value is not None and 0 <= value <= MAX_COUNTER else default


def clip(label: str) -> str:
    """A label or label template cut to MAX_LABEL characters."""
    return label[:MAX_LABEL]


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
    upperRoman (Word's names); anything else is decimal, and so is a counter outside
    1..MAX_COUNTER or one whose letters would be longer than a label may be."""
    if value < 1 or value > MAX_COUNTER or style == "decimal":
        return str(value)
    if style in ("lowerLetter", "upperLetter") and (value - 1) // 26 < MAX_LABEL:
        text = _letters(value)
    elif style in ("lowerRoman", "upperRoman"):
        text = _roman(value)
    else:
        return str(value)
    return text.upper() if style.startswith("upper") else text
