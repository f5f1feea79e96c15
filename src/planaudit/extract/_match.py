"""Finding lexicon terms in text: by word, by lemma, and only where they can occur.

The lexicon holds two kinds of term. Regular expressions ("rapporter\\w*") match the
surface text, which suits Norwegian compounds (boligsosial, bustadsosiale) that no
lemmatiser splits. Lemma terms, written with a leading "=" ("=vedta", "=legge til
rette"), match any inflection of the word — "vedtok", "vedteke", "vedtatt", "la til
rette" — through simplemma's bokmål and nynorsk dictionaries; their first word is
matched by lemma, the words after it as written.

Running every term's pattern over every sentence is what made extraction slow, so a
``Probe`` first collects, from the sentence's words, the lexicon paths that could match
at all: every regular-expression term starts with a literal word prefix (its anchor),
and a path's pattern runs only when some word of the sentence starts with one of its
anchors. The answer is the same as running the pattern; only the work is less.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from ._lexicon import lexicon, terms_pattern

__all__ = ["Probe", "find", "lemma_of"]

_WORD = re.compile(r"\w+")
# The literal start of a regular-expression term, up to its first operator. A character
# followed by ?, * or { is optional and cannot anchor.
_ANCHOR = re.compile(r"^[^\W_]+")
_OPTIONAL_NEXT = re.compile(r"[?*{]")
_PIECES = re.compile(r"[ -]")
_GROUPED = re.compile(r"[()\[\]|]")
_LEADING_CHOICE = re.compile(r"^\(\?:((?:[^\W_]+\|)+[^\W_]+)\)(?![?*{])")
_LEADING_INFIX = re.compile(r"^\\w\*([^\W_]{3,})")


def _walk(node: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every (path, term) of the lexicon, nested keys joined by dots."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for term in node:
            yield path, str(term)


def _ancestors(path: str) -> list[str]:
    parts = path.split(".")
    return [".".join(parts[: n + 1]) for n in range(len(parts))]


def _word_anchor(piece: str) -> str | None:
    match = _ANCHOR.match(piece)
    if not match:
        return None
    anchor = match.group(0)
    if _OPTIONAL_NEXT.match(piece, match.end()):
        anchor = anchor[:-1]
    return anchor.lower() or None


def _anchors(term: str) -> tuple[str, ...] | None:
    r"""Literal word prefixes, one of which starts some word of every match of ``term``.

    None when the term has none, so its pattern must always run. A term without groups
    is anchored by its longest word, so that short words such as "i" or "på" do not wake
    it for every sentence; a term that opens with a choice of words ("(?:ks|bs)-sak") by
    each of them; a term that opens with ``\w*`` ("\w*team") by an infix, marked "~".
    """
    if not _GROUPED.search(term):
        anchors = [_word_anchor(piece) for piece in _PIECES.split(term)]
        best = max((anchor for anchor in anchors if anchor), key=len, default=None)
        return (best,) if best else _infix(term)
    choice = _LEADING_CHOICE.match(term)
    if choice:
        return tuple(word.lower() for word in choice.group(1).split("|"))
    anchor = _word_anchor(term)
    return (anchor,) if anchor else _infix(term)


def _infix(term: str) -> tuple[str, ...] | None:
    match = _LEADING_INFIX.match(term)
    return (f"~{match.group(1).lower()}",) if match else None


@dataclass(frozen=True)
class _Index:
    prefixes: dict[str, frozenset[str]]
    lengths: tuple[int, ...]
    infixes: dict[str, frozenset[str]]
    always: frozenset[str]
    lemma_heads: dict[str, frozenset[str]]
    lemma_terms: dict[str, tuple[tuple[str, ...], ...]]


@lru_cache(maxsize=1)
def _index() -> _Index:
    prefixes: dict[str, set[str]] = {}
    infixes: dict[str, set[str]] = {}
    always: set[str] = set()
    heads: dict[str, set[str]] = {}
    lemma_terms: dict[str, list[tuple[str, ...]]] = {}
    for path, term in _walk(lexicon(), ""):
        if term.startswith("="):
            words = tuple(term[1:].lower().split())
            heads.setdefault(words[0], set()).update(_ancestors(path))
            for ancestor in _ancestors(path):
                lemma_terms.setdefault(ancestor, []).append(words)
            continue
        anchors = _anchors(term.lstrip("^"))
        if anchors is None:
            always.update(_ancestors(path))
        for anchor in anchors or ():
            table = infixes if anchor.startswith("~") else prefixes
            table.setdefault(anchor.lstrip("~"), set()).update(_ancestors(path))
    return _Index(
        prefixes={anchor: frozenset(paths) for anchor, paths in prefixes.items()},
        lengths=tuple(sorted({len(anchor) for anchor in prefixes})),
        infixes={infix: frozenset(paths) for infix, paths in infixes.items()},
        always=frozenset(always),
        lemma_heads={head: frozenset(paths) for head, paths in heads.items()},
        lemma_terms={path: tuple(words) for path, words in lemma_terms.items()},
    )


@lru_cache(maxsize=200_000)
def lemma_of(word: str) -> str:
    """The dictionary form of a lower-case word in bokmål or nynorsk (the word itself if unknown)."""
    if not word.isalpha():
        return word
    from simplemma import lemmatize  # its dictionaries load on first use, not at import

    return str(lemmatize(word, lang=("nb", "nn"))).lower()


@lru_cache(maxsize=200_000)
def _paths_of(word: str) -> frozenset[str]:
    index = _index()
    found: set[str] = set()
    for length in index.lengths:
        if length > len(word):
            break
        found |= index.prefixes.get(word[:length], frozenset())
    for infix, paths in index.infixes.items():
        if infix in word:
            found |= paths
    return frozenset(found | _lemma_paths_of(word))


@lru_cache(maxsize=200_000)
def _lemma_paths_of(word: str) -> frozenset[str]:
    """Paths with a lemma term that this word (as written or as its lemma) may start."""
    heads = _index().lemma_heads
    if not heads:
        return frozenset()
    return heads.get(word, frozenset()) | heads.get(lemma_of(word), frozenset())


class Probe:
    """One text with its words, their lemmas and the lexicon paths that may match it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: tuple[str, ...] = tuple(_WORD.findall(text.lower()))

    @cached_property
    def paths(self) -> frozenset[str]:
        found: set[str] = set(_index().always)
        for word in set(self.words):
            found |= _paths_of(word)
        return frozenset(found)

    @cached_property
    def lemma_paths(self) -> frozenset[str]:
        found: set[str] = set()
        for word in set(self.words):
            found |= _lemma_paths_of(word)
        return frozenset(found)

    @cached_property
    def lemmas(self) -> tuple[str, ...]:
        return tuple(lemma_of(word) for word in self.words)

    def lemma_match(self, path: str) -> re.Match[str] | None:
        """The first place a lemma term of ``path`` occurs, as a match on the text."""
        for words in _index().lemma_terms.get(path, ()):
            for start in range(len(self.words) - len(words) + 1):
                head = self.words[start]
                if (head == words[0] or self.lemmas[start] == words[0]) \
                        and self.words[start + 1: start + len(words)] == words[1:]:
                    return _surface(self.words[start: start + len(words)]).search(self.text)
        return None


@lru_cache(maxsize=4096)
def _surface(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)", re.IGNORECASE)


def find(path: str, text: str | Probe) -> re.Match[str] | None:
    """The first match of any term at ``path`` in ``text``: by pattern, else by lemma."""
    probe = text if isinstance(text, Probe) else Probe(text)
    if path not in probe.paths:
        return None
    match = terms_pattern(path).search(probe.text)
    if match is None and path in probe.lemma_paths:
        match = probe.lemma_match(path)
    return match

