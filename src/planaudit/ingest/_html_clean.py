"""Boilerplate removal for the HTML reader: what on a web page is the site, not the plan.

The name rules (tags, ARIA roles, words in ids and classes) come from
data/html_boilerplate.yaml, so that a new site's furniture is a data change. The page's
``<main>`` (or the one ``<article>`` holding most of the text) is kept, or else the body with
that furniture and hidden elements removed; when that would remove almost all the text,
``content_root`` says so (None) rather than guess wrong.

The element helpers the walk into blocks shares (names, roles, whitespace collapsing, the
heading tags, the depth bound) live here, since the walk reads the tree this module cleans.
lxml is not imported here: the elements come from the reader, typed loosely.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from ._data import reader_data

__all__ = [
    "HEADING_LEVEL",
    "INVISIBLE",
    "MAX_DEPTH",
    "Rules",
    "classes_of",
    "collapse",
    "content_root",
    "load_rules",
    "roles_of",
]

# lxml ships no type information; its elements are typed loosely here.
_Element = Any

HEADING_LEVEL = {f"h{level}": level for level in range(1, 7)}
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all)", re.IGNORECASE)

_SPACE = re.compile(r"\s+")
# Invisible characters go; control characters XML cannot hold (lxml refuses them) become spaces.
INVISIBLE: dict[int, str | None] = {
    **dict.fromkeys([*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF], " "),
    **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\x00"), None),
}
_NAME_BREAK = re.compile(r"[-_.:/]+|(?<=[a-zæøå0-9])(?=[A-ZÆØÅ])")

#: Below this share of the body's text, stripping is taken to have removed the plan itself.
_SAFETY_SHARE = 0.2
#: A <main> or <article> with this much text is the content even on a page of big menus.
_LANDMARK_MIN_CHARS = 200
#: An element holding more than this share of the page's text is no sidebar, whatever its name.
_WRAPPER_SHARE = 0.5
#: Deeper than this, a subtree is read as plain text: libxml2 stops at 256 levels anyway,
#: and the walk recurses a few frames per level.
MAX_DEPTH = 150


@dataclass(frozen=True)
class _NameRule:
    """Elements named as furniture by tag, role, or a word of their id or class."""

    tags: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    substrings: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()

    @classmethod
    def of(cls, data: dict[str, list[str]] | None) -> _NameRule:
        data = data or {}

        def low(key: str) -> list[str]:
            return [str(item).lower() for item in data.get(key, [])]

        return cls(frozenset(low("tags")), frozenset(low("names")), frozenset(low("words")),
                   tuple(low("substrings")), frozenset(low("roles")))

    def matches(self, element: _Element) -> bool:
        if element.tag in self.tags or not self.roles.isdisjoint(roles_of(element)):
            return True
        for value in _names(element):
            lowered = value.lower()
            if lowered in self.names or any(part in lowered for part in self.substrings):
                return True
            if not self.words.isdisjoint(word.lower() for word in _NAME_BREAK.split(value) if word):
                return True
        return False


@dataclass(frozen=True)
class Rules:
    drop_tags: tuple[str, ...]
    anywhere: _NameRule
    outside_content: _NameRule
    title_holders: _NameRule
    word_list_classes: tuple[str, ...]
    word_title_classes: frozenset[str]
    word_drop_classes: tuple[str, ...]


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    data = reader_data("html_boilerplate")
    word = data.get("word", {})
    return Rules(
        drop_tags=tuple(data["drop_tags"]),
        anywhere=_NameRule.of(data.get("anywhere")),
        outside_content=_NameRule.of(data.get("outside_content")),
        title_holders=_NameRule.of(data.get("title_holders")),
        word_list_classes=tuple(word.get("list_class_prefixes", [])),
        word_title_classes=frozenset(word.get("title_classes", [])),
        word_drop_classes=tuple(word.get("drop_class_prefixes", [])),
    )


def _names(element: _Element) -> list[str]:
    return [value for attr in ("id", "class") for value in (element.get(attr) or "").split()]


def classes_of(element: _Element) -> list[str]:
    return (element.get("class") or "").lower().split()


def roles_of(element: _Element) -> list[str]:
    return (element.get("role") or "").lower().split()


def _is_hidden(element: _Element) -> bool:
    if "hidden" in element.attrib or (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def _is_landmark(element: _Element) -> bool:
    """<main> or <article>: inside them, a header or a nav belongs to the text."""
    return element.tag in ("main", "article") or not {"main", "article"}.isdisjoint(roles_of(element))


def _text_length(element: _Element) -> int:
    return len(collapse(element.text_content()))


def _strip(root: _Element, tags: tuple[str, ...]) -> None:
    for element in list(root.iter(*tags)):
        if element is not root and element.getparent() is not None:
            element.drop_tree()  # keeps the tail: text after a <script> is still the page's


def content_root(root: _Element, rules: Rules, strip: bool = True) -> _Element | None:
    """The element to read: <main>, the article holding most of the text, or the body,
    with furniture removed; None when stripping leaves almost nothing of the text."""
    body = root.find("body")
    body = root if body is None else body
    _strip(body, rules.drop_tags)
    if not strip:
        return body
    total = _text_length(body)
    content, landmark = _landmark(body, total)
    _Cleaner(rules, total).clean(content, in_content=landmark)
    kept = _text_length(content)
    if kept < _SAFETY_SHARE * total and not (landmark and kept >= _LANDMARK_MIN_CHARS):
        return None
    return content


def _landmark(body: _Element, total: int) -> tuple[_Element, bool]:
    mains = [element for element in body.iter() if isinstance(element.tag, str)
             and (element.tag == "main" or "main" in roles_of(element)) and not _is_hidden(element)]
    if mains:
        return max(mains, key=_text_length), True
    articles = [element for element in body.iter("article") if not _is_hidden(element)]
    if articles:
        article = max(articles, key=_text_length)
        if _text_length(article) >= 0.5 * total:
            return article, True
    return body, False


class _Verdict(Enum):
    keep = "keep"
    drop = "drop"
    #: furniture unless, cleaned, it still holds the page's title
    title = "title"


class _Cleaner:
    """Removes furniture top-down; what is inside <main> or <article> keeps its header."""

    def __init__(self, rules: Rules, total_chars: int) -> None:
        self.rules = rules
        self.total_chars = total_chars

    def clean(self, element: _Element, in_content: bool, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return
        for child in list(element):
            if not isinstance(child.tag, str):
                continue
            verdict = self._verdict(child, in_content)
            if verdict is _Verdict.drop and not self._holds_content(child):
                child.drop_tree()
                continue
            self.clean(child, in_content or _is_landmark(child), depth + 1)
            if verdict is _Verdict.title and not _holds_heading(child) and not self._holds_content(child):
                child.drop_tree()

    def _verdict(self, element: _Element, in_content: bool) -> _Verdict:
        rules = self.rules
        if _is_hidden(element) or rules.anywhere.matches(element):
            return _Verdict.drop
        if any(name.startswith(rules.word_drop_classes) for name in classes_of(element)):
            return _Verdict.drop
        if not in_content and rules.outside_content.matches(element):
            return _Verdict.title if rules.title_holders.matches(element) else _Verdict.drop
        return _Verdict.keep

    def _holds_content(self, element: _Element) -> bool:
        """A page wrapper with a furniture-like name ("has-sidebar", an ASP.NET <form>)."""
        if any(isinstance(inner.tag, str) and _is_landmark(inner) for inner in element.iter()):
            return True
        return _text_length(element) > _WRAPPER_SHARE * self.total_chars


def _holds_heading(element: _Element) -> bool:
    """A heading with text that is not all link: a page title, not a logo."""
    for heading in element.iter(*HEADING_LEVEL):
        text = collapse(heading.text_content())
        linked = collapse(" ".join(link.text_content() for link in heading.iter("a")))
        if text and text != linked:
            return True
    return False


# --- text, shared with the walk ---------------------------------------------------------------


def collapse(text: str) -> str:
    """The text on one line: invisible characters gone, runs of whitespace one space."""
    return _SPACE.sub(" ", text.translate(INVISIBLE)).strip()
