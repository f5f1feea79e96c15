"""Money: amounts, budget frames, named grants, and cost talk without figures."""
from __future__ import annotations

import re
from typing import Literal, NamedTuple

from ._lexicon import terms_pattern

__all__ = ["Money", "find_money"]

MoneyKind = Literal["amount", "frame", "grant", "generic"]

_NUMBER = r"\d[\d  .,]*\d|\d"
_SCALE = r"(?:mill(?:\.|ioner|ionar|ion)?|mrd\.?|milliard\w*|tusen|tus\.)"
_AMOUNT = re.compile(
    rf"(?<![\w])(?:kr\.?|nok)\s?(?:{_NUMBER})(?:\s?{_SCALE})?"
    rf"|(?<![\w.,])(?:{_NUMBER})\s?(?:{_SCALE}\s?(?:kr\.?|kroner|nok)?|mnok|kroner|kr\.?(?![a-zæøå])|nok\b|kkr)",
    re.IGNORECASE,
)

# "2026–2027 kr 18 mill.": cells run together put a year before the currency of the next.
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d\s+(?=\d)")
_YEAR_BEFORE_CURRENCY = re.compile(r"^(?:19|20)\d\d\s?(?:kr\.?|nok)$", re.IGNORECASE)


class Money(NamedTuple):
    text: str
    kind: MoneyKind


def find_money(text: str) -> Money | None:
    """The most specific cost or funding statement in a text, or None."""
    for match in _AMOUNT.finditer(text):
        amount = _LEADING_YEAR.sub("", match.group(0).strip())
        if not _YEAR_BEFORE_CURRENCY.match(amount):
            return Money(amount, "amount")
    for kind, path in (("frame", "money.frames"), ("grant", "money.grants"), ("generic", "money.generic")):
        found = terms_pattern(path).search(text)
        if found:
            return Money(found.group(0), kind)  # type: ignore[arg-type]
    return None
