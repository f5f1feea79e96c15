"""Which written language a plan is in: bokmål, nynorsk, Danish, Swedish or English."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ._lexicon import terms

__all__ = ["detect_language"]

_WORD = re.compile(r"[a-zæøåäöé]+")
_LANGUAGES = {"nn": "language.nynorsk", "nb": "language.bokmål", "da": "language.danish", "sv": "language.swedish",
              "en": "language.english"}
# Marker words are frequent: a long sample settles the language as well as the whole text.
_SAMPLE = 60_000
# How a marker term is counted: a plain word or phrase by its words, a stem written
# "bustad\w*" (the two characters backslash-w and a star in the lexicon) by prefix.
_PLAIN = re.compile(r"^[a-zæøåäöé]+(?: [a-zæøåäöé]+)*$")
_STEM = re.compile(r"^([a-zæøåäöé]+)\\w\*$")


@dataclass(frozen=True)
class _Markers:
    """One language's marker terms, sorted by how they are counted over a word list."""

    words: frozenset[str]
    stems: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    patterns: tuple[re.Pattern[str], ...]

    def count(self, words: Counter[str], sequence: list[str], text: str) -> int:
        hits = sum(words[word] for word in self.words)
        hits += sum(n for word, n in words.items() if word.startswith(self.stems)) if self.stems else 0
        for phrase in self.phrases:
            hits += sum(1 for i in range(len(sequence) - len(phrase) + 1)
                        if sequence[i] == phrase[0] and tuple(sequence[i: i + len(phrase)]) == phrase)
        return hits + sum(len(pattern.findall(text)) for pattern in self.patterns)


@lru_cache(maxsize=None)
def _markers(path: str) -> _Markers:
    words, stems, phrases, patterns = set(), [], [], []
    for term in terms(path):
        stem = _STEM.match(term)
        if stem:
            stems.append(stem.group(1))
        elif _PLAIN.match(term) and " " in term:
            phrases.append(tuple(term.split()))
        elif _PLAIN.match(term):
            words.add(term)
        else:
            patterns.append(re.compile(rf"(?<!\w)(?:{term})(?!\w)", re.IGNORECASE))
    return _Markers(frozenset(words), tuple(stems), tuple(phrases), tuple(patterns))


def detect_language(text: str) -> str | None:
    """The language whose marker words are most frequent; None for too little text."""
    sample = text[:_SAMPLE].lower()
    sequence = _WORD.findall(sample)
    if len(sequence) < 20:
        return None
    words = Counter(sequence)
    counts = Counter({code: _markers(path).count(words, sequence, sample) for code, path in _LANGUAGES.items()})
    # Swedish and Danish letters settle doubt between the Scandinavian neighbours.
    counts["sv"] += 3 * len(re.findall(r"[äö]", sample))
    code, hits = counts.most_common(1)[0]
    return code if hits else None
