"""What term-based checks count: terms (an entry may be a list of alternatives), sentences
that hold terms from every group and none of ``unless``, or a regular expression."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ...extract import TermError, Terms, has_figure
from ...model import SentencePattern
from ._base import CheckError

__all__ = ["Finder", "compile_entries", "compile_regex", "compile_sentences", "compile_source", "flatten"]

#: Given a text, the (start, end) of every occurrence.
Finder = Callable[[str], Iterator[tuple[int, int]]]


def flatten(terms: Sequence[str | list[str]]) -> list[str]:
    return [term for entry in terms for term in ([entry] if isinstance(entry, str) else entry)]


def _terms(terms: Sequence[str], key: str) -> Terms:
    try:
        return Terms(terms)
    except TermError as err:
        raise CheckError(str(err), key) from None


def compile_entries(terms: Sequence[str | list[str]], key: str = "terms") -> list[Terms]:
    """One matcher per entry: a term, or a list of alternatives that count as one."""
    return [_terms([entry] if isinstance(entry, str) else entry, key) for entry in terms]


def compile_regex(regex: str, key: str = "regex") -> re.Pattern[str]:
    try:
        pattern = re.compile(regex, re.IGNORECASE)
    except re.error as err:
        raise CheckError(f"invalid regular expression: {err}", key) from None
    if pattern.match(""):
        raise CheckError("the regular expression matches the empty text, so it matches everywhere", key)
    return pattern


class _SentenceFinder:
    """One occurrence per sentence with a term from every group, none of ``unless`` and, if
    asked, a figure."""

    def __init__(self, pattern: SentencePattern) -> None:
        self.groups = [_terms(group, "sentences") for group in pattern.all_of]
        self.unless = _terms(pattern.unless, "sentences") if pattern.unless else None
        self.figures = pattern.figures

    def __call__(self, text: str) -> Iterator[tuple[int, int]]:
        if all(group.search(text) for group in self.groups) \
                and not (self.unless and self.unless.search(text)) \
                and (not self.figures or has_figure(text)):
            yield 0, len(text)


def compile_sentences(pattern: SentencePattern) -> Finder:
    return _SentenceFinder(pattern)


def compile_source(params: Any) -> Finder:
    """The finder of a check with ``terms``, ``sentences`` or ``regex`` (one of them)."""
    if getattr(params, "regex", None):
        return compile_regex(params.regex).finditer  # type: ignore[return-value]
    if params.sentences is not None:
        return compile_sentences(params.sentences)
    compile_entries(params.terms)
    return _terms(flatten(params.terms), "terms").finditer
