"""The walk of a cleaned HTML tree into blocks, for the HTML reader.

Headings, paragraphs, list items (numbered as a browser shows them) and tables become blocks
through the shared BlockSink; text an author broke with ``<br>`` is mended where a line
carries on the sentence before it. Word's HTML export writes lists and titles as classed
``<p>`` elements with the bullet as text, so those are recognised by class and style. Print
page breaks, the only pages HTML has, are counted as the walk goes. Comment nodes become the
document's comments, in the section open where the walk meets them. Kept apart from the
reader so that decoding and parsing, boilerplate removal and block building each read alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..model import BlockKind
from ._html_clean import HEADING_LEVEL, MAX_DEPTH, Rules, classes_of, collapse, roles_of
from ._layout import BlockSink, heading_level, join_hyphenated

__all__ = ["Walker", "has_page_breaks"]

# lxml ships no type information; its elements are typed loosely here.
_Element = Any

_LIST_TAGS = frozenset({"ul", "ol", "menu", "dir"})
# Elements that start a new line of text in a browser; all others run on inline.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header",
    "hgroup", "hr", "html", "legend", "li", "main", "nav", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", *HEADING_LEVEL, *_LIST_TAGS,
})
# What a list item's own text leaves to be read as blocks of their own after it.
_NESTED_IN_ITEM = frozenset({"table", "dl", *_LIST_TAGS})
_CELL_TAGS = frozenset({"td", "th"})

_BREAK_BEFORE = re.compile(r"(?:page-break-before|break-before)\s*:\s*(?:always|page|left|right|recto|verso)", re.IGNORECASE)
_BREAK_AFTER = re.compile(r"(?:page-break-after|break-after)\s*:\s*(?:always|page|left|right|recto|verso)", re.IGNORECASE)
_WORD_MARKER_STYLE = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
_WORD_LIST_STYLE = re.compile(r"mso-list\s*:\s*l\d", re.IGNORECASE)

# "1.", "2.1", "a)", "iv.", "(3)": a list number worth keeping; a bullet glyph is not.
_NUMBERING = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|\d{1,3}\)|[a-zA-Z]{1,4}[.)]|\(\w{1,4}\))$")
# Word's bullets as text: Symbol's "·", Courier's "o", Wingdings' "§" (square), "Ø" (arrow),
# "ü" (tick), "v" (diamond), "q" (box), "n" (square), "Ÿ" (dot), each followed by spaces.
_WORD_BULLET = re.compile(r"^(?:[·•▪◦●■□➢►‣§\-–*]|[oØüvqnŸ](?=\s))\s+")
_WORD_NUMBERED = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[a-zA-Z]{1,4}[.)])\s+\S")

# Word's conditional comments and clipboard fragment marks are markup, not an author's words.
_MARKUP_COMMENT = re.compile(r"^\s*(?:\[if\b|\[endif\]|<!\[endif\]|(?:Start|End)Fragment\s*$)", re.IGNORECASE)

#: An image's alt text this long says something (an infographic's goals), not "logo".
_ALT_MIN_CHARS = 40


def has_page_breaks(root: _Element) -> bool:
    """True when an author set a print page break somewhere under ``root``."""
    for element in root.iter():
        style = element.get("style") if isinstance(element.tag, str) else None
        if style and (_BREAK_BEFORE.search(style) or _BREAK_AFTER.search(style)):
            return True
    return False


# --- text ---------------------------------------------------------------------------------------


def _text_of(element: _Element, skip: frozenset[str] = frozenset()) -> str:
    """An element's text on one line: blocks and line breaks become spaces, long image
    descriptions count, the subtrees named in ``skip`` do not (their tails do)."""
    parts: list[str] = []

    def visit(node: _Element, depth: int) -> None:
        if depth > MAX_DEPTH:
            parts.append(" " + " ".join(node.itertext()) + " ")
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and child.tag not in skip:
                if child.tag == "img":
                    parts.append(f" {_alt(child)} ")
                elif child.tag in _BLOCK_TAGS or child.tag == "br":
                    parts.append(" ")
                    visit(child, depth + 1)
                    parts.append(" ")
                else:
                    visit(child, depth + 1)
            parts.append(child.tail or "")

    visit(element, 0)
    return collapse("".join(parts))


@lru_cache(maxsize=1)
def _comment_tag() -> Any:
    from lxml import etree  # type: ignore[import-untyped]  # imported when a page is read

    return etree.Comment


def _is_comment(node: _Element) -> bool:
    return node.tag is _comment_tag()


def _comments_in(element: _Element, skip: frozenset[str] = frozenset()) -> Iterator[_Element]:
    """Comment nodes under ``element`` in document order, outside the subtrees named in ``skip``."""
    stack = list(reversed(element))
    while stack:
        node = stack.pop()
        if _is_comment(node):
            yield node
        elif isinstance(node.tag, str) and node.tag not in skip:
            stack.extend(reversed(node))


def _alt(image: _Element) -> str:
    alt = collapse(image.get("alt") or "")
    return alt if len(alt) > _ALT_MIN_CHARS else ""


class _Lines:
    """Text gathered for one block, split where the author put a <br>."""

    def __init__(self) -> None:
        self.parts: list[list[str]] = [[]]

    def add(self, text: str | None) -> None:
        if text:
            self.parts[-1].append(text)

    def newline(self) -> None:
        self.parts.append([])

    def take(self) -> list[str]:
        lines = [collapse("".join(part)) for part in self.parts]
        self.parts = [[]]
        return [line for line in lines if line]


def _continues(previous: str, line: str) -> bool:
    """A line after <br> that carries on the sentence before it (a wrapped line)."""
    return line[:1].islower() and previous[-1:] not in ".!?:;" and heading_level(previous) is None


def _ordinal(value: int, kind: str) -> str:
    """The number a browser shows before an item of <ol type=kind>."""
    if kind in ("a", "A") and 1 <= value <= 26:
        letter = chr(ord("a") + value - 1)
        return f"{letter.upper() if kind == 'A' else letter}."
    if kind in ("i", "I") and 1 <= value < 40:
        roman, rest = "", value
        for amount, digits in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while rest >= amount:
                roman, rest = roman + digits, rest - amount
        return f"{roman.upper() if kind == 'I' else roman}."
    return f"{value}."


def _number(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return default


def _outermost(element: _Element, tags: frozenset[str]) -> Iterator[_Element]:
    """Descendants with one of these tags that are not inside another of them, in order."""
    stack = [child for child in reversed(element) if isinstance(child.tag, str)]
    while stack:  # a stack, not recursion: the walk is already deep where lists nest
        child = stack.pop()
        if child.tag in tags:
            yield child
        else:
            stack.extend(inner for inner in reversed(child) if isinstance(inner.tag, str))


# --- the walk -------------------------------------------------------------------------------------


class Walker:
    """Turns the cleaned tree into blocks, counting print page breaks as it goes."""

    def __init__(self, sink: BlockSink, rules: Rules, paged: bool) -> None:
        self.sink = sink
        self.rules = rules
        self.paged = paged
        self.page = 1
        self.pending_breaks = 0
        self.started = False
        #: HTML heading level minus numbering level of the last numbered <hN> ("3 Mål" in
        #: an <h2>: 1), so that a typed "3.2 Delmål" nests under it instead of closing it
        self.level_offset = 0

    def walk(self, root: _Element) -> None:
        lines = _Lines()
        self._flow(root, lines, 0)
        self._flush(lines)

    # pages and output

    def _page(self) -> int | None:
        """The page of the block about to be added; breaks before the first block count not."""
        if not self.paged:
            return None
        if self.started:
            self.page += self.pending_breaks
        self.pending_breaks = 0
        self.started = True
        return self.page

    def _text(self, text: str) -> None:
        if not any(char.isalnum() for char in text):
            return
        typed_level = heading_level(text)
        if typed_level is not None:
            self.sink.heading(text, max(1, typed_level + self.level_offset), self._page(), None)
        else:
            self.sink.text_block(text, self._page(), None)

    def _heading(self, text: str, level: int) -> None:
        if any(char.isalnum() for char in text):
            numbered = heading_level(text)
            if numbered is not None:
                self.level_offset = level - numbered
            self.sink.heading(text, level, self._page(), None)

    def _item(self, text: str) -> None:
        if any(char.isalnum() for char in text):
            self.sink.add(BlockKind.list_item, text, self._page(), None)

    def _flush(self, lines: _Lines, *, mend: bool = True) -> None:
        """The gathered lines as blocks; with ``mend``, a line that carries on the sentence
        before it joins it (not in <pre>, where lines are as the author set them)."""
        merged: list[str] = []
        for line in lines.take():
            if mend and merged and _continues(merged[-1], line):
                merged[-1] = join_hyphenated([merged[-1], line])
            else:
                merged.append(line)
        for line in merged:
            self._text(line)

    def _comment(self, node: _Element) -> None:
        text = node.text or ""
        if text.strip() and not _MARKUP_COMMENT.match(text):
            self.sink.comment(text, self.page if self.paged else None, node.sourceline)

    def _comments(self, element: _Element, skip: frozenset[str] = frozenset()) -> None:
        """The comments inside an element read as one piece of text (a heading, a table)."""
        for node in _comments_in(element, skip):
            self._comment(node)

    def _break(self, lines: _Lines) -> None:
        self._flush(lines)
        self.pending_breaks += 1

    # the tree

    def _flow(self, element: _Element, lines: _Lines, depth: int) -> None:
        """An element's inline text into ``lines``; its block children as blocks of their own."""
        lines.add(element.text)
        for child in element:
            if isinstance(child.tag, str):
                self._child(child, lines, depth + 1)
            elif _is_comment(child):
                self._comment(child)
            lines.add(child.tail)

    def _child(self, element: _Element, lines: _Lines, depth: int) -> None:
        tag = element.tag
        style = element.get("style") or ""
        before, after = bool(_BREAK_BEFORE.search(style)), bool(_BREAK_AFTER.search(style))
        if tag == "br":
            if before or after:
                self._break(lines)
            else:
                lines.newline()
            return
        if depth > MAX_DEPTH:
            lines.add(" " + _text_of(element) + " ")
            return
        if tag == "img":
            lines.add(f" {_alt(element)} ")
            return
        block = tag in _BLOCK_TAGS
        if before:
            self._break(lines)
        elif block:
            self._flush(lines)
        if block:
            self._block(element, depth)
        else:
            self._flow(element, lines, depth)  # inline, though tag soup may hide blocks in it
        if after:
            self._break(lines)

    def _block(self, element: _Element, depth: int) -> None:
        tag = element.tag
        if tag in HEADING_LEVEL:
            self._heading(_text_of(element), HEADING_LEVEL[tag])
            self._comments(element)
        elif tag in _LIST_TAGS:
            self._list(element, depth)
        elif tag == "li":
            self._list_item(element, "", depth)
        elif tag == "table":
            self._table(element, depth)
        elif tag == "pre":
            lines = _Lines()
            for line in element.text_content().split("\n"):
                lines.add(line)
                lines.newline()
            self._flush(lines, mend=False)
            self._comments(element)
        elif tag == "hr":
            return
        elif not (tag == "p" and self._word_paragraph(element)):
            lines = _Lines()
            self._flow(element, lines, depth)
            self._flush(lines)

    def _list(self, element: _Element, depth: int) -> None:
        ordered = element.tag == "ol"
        kind = (element.get("type") or "1").strip()
        number = _number(element.get("start"), 1)
        lines = _Lines()
        lines.add(element.text)
        for child in element:
            if child.tag == "li":
                self._flush(lines)
                number = _number(child.get("value"), number)
                self._list_item(child, _ordinal(number, kind) if ordered else "", depth + 1)
                number += 1
            elif isinstance(child.tag, str):
                self._child(child, lines, depth + 1)
            elif _is_comment(child):
                self._comment(child)
            lines.add(child.tail)
        self._flush(lines)

    def _list_item(self, item: _Element, prefix: str, depth: int) -> None:
        """One item per <li>; its sub-lists and tables follow as blocks of their own."""
        text = _text_of(item, skip=_NESTED_IN_ITEM)
        if text:
            self._item(f"{prefix} {text}" if prefix else text)
        self._comments(item, skip=_NESTED_IN_ITEM)
        for nested in _outermost(item, _NESTED_IN_ITEM):
            self._block(nested, depth + 1)

    def _table(self, table: _Element, depth: int) -> None:
        caption = table.find("caption")
        if caption is not None:
            self._text(_text_of(caption))
        rows = _table_rows(table)
        if _is_layout(table, rows):
            for row in rows:
                for cell in row:
                    lines = _Lines()
                    self._flow(cell, lines, depth + 1)
                    self._flush(lines)
            return
        cells = [tuple(_text_of(cell) for cell in row) for row in rows]
        cells = [row for row in cells if any(row)]
        if cells:
            text = "\n".join(" | ".join(row) for row in cells)
            self.sink.add(BlockKind.table, text, self._page(), None, rows=tuple(cells))
        self._comments(table)

    def _word_paragraph(self, paragraph: _Element) -> bool:
        """Word's export of a title or a list paragraph; False when it is a plain one."""
        classes = classes_of(paragraph)
        if not self.rules.word_title_classes.isdisjoint(classes):
            self._heading(_text_of(paragraph), 1)
            self._comments(paragraph)
            return True
        in_list = any(name.startswith(self.rules.word_list_classes) for name in classes) \
            or bool(_WORD_LIST_STYLE.search(paragraph.get("style") or ""))
        if not in_list:
            return False
        markers = [span for span in paragraph.iter() if isinstance(span.tag, str)
                   and _WORD_MARKER_STYLE.search(span.get("style") or "")]
        marker = collapse(markers[0].text_content()) if markers else ""
        for span in markers:
            span.drop_tree()
        text = _text_of(paragraph)
        if markers:
            self._item(f"{marker} {text}" if _NUMBERING.match(marker) else text)
        elif _WORD_BULLET.match(text):
            self._item(_WORD_BULLET.sub("", text, count=1))
        elif _WORD_NUMBERED.match(text):
            self._item(text)
        else:
            self._text(text)  # a List Paragraph without bullet: indented text
        self._comments(paragraph)
        return True


def _table_rows(table: _Element) -> list[list[_Element]]:
    """The table's own rows (not a nested table's), head first, foot last."""
    head: list[_Element] = []
    body: list[_Element] = []
    foot: list[_Element] = []
    for child in table:
        if child.tag == "tr":
            body.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows = [row for row in child if row.tag == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[child.tag].extend(rows)
    return [[cell for cell in row if cell.tag in _CELL_TAGS] for row in head + body + foot]


def _is_layout(table: _Element, rows: list[list[_Element]]) -> bool:
    """A table used to place text on the page, not to hold data: read its cells as text."""
    if not {"presentation", "none"}.isdisjoint(roles_of(table)):
        return True
    if max((len(row) for row in rows), default=0) <= 1:
        return True
    return any(True for _ in table.iter(*HEADING_LEVEL))
