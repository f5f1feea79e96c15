"""Terms as rule-pack authors write them, found in Norwegian text.

A term is a word or phrase matched case-insensitively as whole words: ``bostedsløse``.
A ``*`` stands for the rest of a word (``bolig*`` also finds boligsosial, boligene); a
leading ``=`` makes the first word a lemma, so every inflection counts (``=vedta`` finds
vedtar, vedtok, vedteke, vedtatt; ``=legge til rette`` finds "la til rette").
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ._match import lemma_of

__all__ = ["TermError", "Terms", "has_figure"]

_WORD = re.compile(r"\w+")


class TermError(ValueError):
    """A term that cannot be used: empty, or a lemma term with no word."""


@dataclass(frozen=True)
class _Lemma:
    head: str
    rest: tuple[str, ...]


def _surface(term: str) -> str:
    words = term.split()
    parts = [r"\w*".join(re.escape(piece) for piece in word.split("*")) for word in words]
    return r"[\s\-–]+".join(parts)


@lru_cache(maxsize=65_536)
def _lowered(text: str) -> str:
    return text.lower()


@lru_cache(maxsize=65_536)
def _words(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...], tuple[str, ...]]:
    """A text's word spans, its words in lower case and their lemmas: computed once per text,
    however many packs and terms look at it."""
    found = list(_WORD.finditer(text))
    lowered = tuple(word.group(0).lower() for word in found)
    return tuple(word.span() for word in found), lowered, tuple(lemma_of(word) for word in lowered)


def _literal_start(term: str) -> str:
    """The part of a term every match starts with, in lower case (before any ``*``)."""
    return term.split("*", 1)[0].split()[0].lower() if term.split("*", 1)[0].split() else ""


class Terms:
    """A compiled list of terms; :meth:`finditer` gives every match in a text, in order."""

    def __init__(self, terms: Sequence[str]) -> None:
        surface: list[str] = []
        starts: list[str] = []
        self._lemmas: list[_Lemma] = []
        for raw in terms:
            term = " ".join(str(raw).split())
            if term.startswith("="):
                words = tuple(word.lower() for word in term[1:].split())
                if not words or not all(_WORD.fullmatch(word) for word in words):
                    raise TermError(f"lemma term {raw!r} needs plain words after '='")
                self._lemmas.append(_Lemma(words[0], words[1:]))
            elif term.strip("* "):
                surface.append(_surface(term))
                starts.append(_literal_start(term))
            else:
                raise TermError(f"empty term {raw!r}")
        alternatives = "|".join(sorted(surface, key=len, reverse=True))
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if surface else None
        # A cheap test before the pattern runs: every match contains one of these (none when
        # some term starts with "*").
        self._starts: tuple[str, ...] | None = None if "" in starts else tuple(set(starts))

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every match, in text order, without overlaps."""
        pattern = self._pattern
        spans = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern and self._could_match(text) else []
        if self._lemmas:
            spans.extend(self._lemma_spans(text))
        end = -1
        for start, stop in sorted(spans):
            if start >= end:
                yield start, stop
                end = stop

    def search(self, text: str) -> tuple[int, int] | None:
        return next(self.finditer(text), None)

    def _could_match(self, text: str) -> bool:
        if self._pattern is None:
            return False
        if self._starts is None:
            return True
        lowered = _lowered(text)
        return any(start in lowered for start in self._starts)

    def _lemma_spans(self, text: str) -> Iterator[tuple[int, int]]:
        spans, lowered, lemmas = _words(text)
        for lemma in self._lemmas:
            size = 1 + len(lemma.rest)
            for index in range(len(spans) - size + 1):
                if (lowered[index] == lemma.head or lemmas[index] == lemma.head) \
                        and lowered[index + 1: index + size] == lemma.rest:
                    yield spans[index][0], spans[index + size - 1][1]


# A figure is a count or share as plans write them: "46", "1 200", "3,5 %". Not one: years
# ("2024"), dates ("31.12.2024", "1. kvartal"), amounts of money ("kr 2 mill.", "500 000 kroner"),
# and numbers that name a paragraph, chapter, page, measure or goal ("§ 5", "tiltak 3.1").
_NUMBER = re.compile(r"(?<![\w.,:/§–-])(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+)(?:,\d+)?(?![\w/:–-]|[.,]\d|\.\s|\.$)")
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:§|§§|kap\.?|kapittel|kapitlet|nr\.?|side|s\.|tiltak|mål|delmål|figur|tabell|uke|veke|kr\.?|nok|punkt|"
    r"trinn|fase|versjon|sak)\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"\s*(?:kr\b|kroner|mill|mrd|milliard|tusen kroner|,-)", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_ROW_NUMBER = re.compile(r"\s*\d+(?:\.\d+)*\s*\|")  # "3 | Tilby veiledning ...": a table row's number


def has_figure(text: str) -> bool:
    """Whether the text gives a count or share: a number that is no year, date, amount of money,
    or paragraph, chapter or item number."""
    row_number = _ROW_NUMBER.match(text)
    for match in _NUMBER.finditer(text, row_number.end() if row_number else 0):
        number = match.group(0)
        if _YEAR.fullmatch(number) or _MONEY_AFTER.match(text, match.end()):
            continue
        if _NOT_A_COUNT_BEFORE.search(text[max(0, match.start() - 12): match.start()]):
            continue
        return True
    return False
