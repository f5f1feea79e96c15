"""HTML: a plan published as a web page, saved by Word as HTML, or exported to HTML.

A municipal web page is mostly site: a header with a logo, menus with dozens of links, a
breadcrumb trail, a cookie banner, a sidebar of news and a footer with the town hall's
address. The reader keeps the page's ``<main>`` (or the one ``<article>`` holding most of
the text), or else the body without that furniture, named in data/html_boilerplate.yaml.
If stripping leaves almost nothing, it reads the whole body rather than guess wrong.

Headings, paragraphs, list items and tables become blocks through the shared BlockSink, so
typed-in numbering ("3.2 Mål") and bullets ("·", as Word's HTML export writes them) count
as in the other formats. HTML has no pages, except print page breaks an author set
(Word writes ``<br style='page-break-before:always'>``): with those, blocks carry page
numbers; without them, every page is None.

Parsed with lxml.html (libxml2's HTML parser, lenient with tag soup) from text this module
decodes itself: libxml2 assumes Latin-1 where a page declares nothing, while Norwegian pages
are mostly UTF-8. HTML parsers expand no entity declarations and this one may not touch the
network, so a DOCTYPE declaring ``file://`` entities reads nothing and a billion laughs stays
a short string.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import InputError
from ..model import BlockKind, Document
from ._layout import BlockSink, heading_level, join_hyphenated
from ._registry import Source
from ._text import looks_like_text

__all__ = ["HtmlReader"]

# lxml ships no type information; its elements are typed loosely here.
_Element = Any

_HEADING_LEVEL = {f"h{level}": level for level in range(1, 7)}
_LIST_TAGS = frozenset({"ul", "ol", "menu", "dir"})
# Elements that start a new line of text in a browser; all others run on inline.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header",
    "hgroup", "hr", "html", "legend", "li", "main", "nav", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", *_HEADING_LEVEL, *_LIST_TAGS,
})
# What a list item's own text leaves to be read as blocks of their own after it.
_NESTED_IN_ITEM = frozenset({"table", "dl", *_LIST_TAGS})
_CELL_TAGS = frozenset({"td", "th"})

_BREAK_BEFORE = re.compile(r"(?:page-break-before|break-before)\s*:\s*(?:always|page|left|right|recto|verso)", re.IGNORECASE)
_BREAK_AFTER = re.compile(r"(?:page-break-after|break-after)\s*:\s*(?:always|page|left|right|recto|verso)", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all)", re.IGNORECASE)
_WORD_MARKER_STYLE = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
_WORD_LIST_STYLE = re.compile(r"mso-list\s*:\s*l\d", re.IGNORECASE)

# "1.", "2.1", "a)", "iv.", "(3)": a list number worth keeping; a bullet glyph is not.
_NUMBERING = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|\d{1,3}\)|[a-zA-Z]{1,4}[.)]|\(\w{1,4}\))$")
# Word's bullets as text: Symbol's "·", Courier's "o", Wingdings' "§" (square), "Ø" (arrow),
# "ü" (tick), "v" (diamond), "q" (box), "n" (square), "Ÿ" (dot), each followed by spaces.
_WORD_BULLET = re.compile(r"^(?:[·•▪◦●■□➢►‣§\-–*]|[oØüvqnŸ](?=\s))\s+")
_WORD_NUMBERED = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[a-zA-Z]{1,4}[.)])\s+\S")

_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\x00"), None)
_NAME_BREAK = re.compile(r"[-_.:/]+|(?<=[a-zæøå0-9])(?=[A-ZÆØÅ])")

_CHARSET_IN_META = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_ENCODING_IN_XML = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# What browsers make of a declared label (WHATWG Encoding): Latin-1 is read as Windows-1252,
# and a UTF-16 label in an ASCII-readable meta tag cannot be true.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "cp819": "cp1252",
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
}
_SUBSET_END = re.compile(r"\]\s*>")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body")
_HTML_ROOT_NEAR_START = re.compile(r"<(?:html|head|body)[\s>/]")
_TAG_START = re.compile(r"<[a-z!]")

#: Below this share of the body's text, stripping is taken to have removed the plan itself.
_SAFETY_SHARE = 0.2
#: A <main> or <article> with this much text is the content even on a page of big menus.
_LANDMARK_MIN_CHARS = 200
#: An element holding more than this share of the page's text is no sidebar, whatever its name.
_WRAPPER_SHARE = 0.5
#: An image's alt text this long says something (an infographic's goals), not "logo".
_ALT_MIN_CHARS = 40
#: Deeper than this, a subtree is read as plain text: libxml2 stops at 256 levels anyway,
#: and the walk recurses a few frames per level.
_MAX_DEPTH = 150


class HtmlReader:
    name = "html"
    extensions: tuple[str, ...] = (".html", ".htm", ".xhtml", ".xht")
    media_types: tuple[str, ...] = ("text/html", "application/xhtml+xml")

    def sniff(self, source: Source) -> int:
        try:
            return _sniff(source, self.extensions)
        except Exception:  # noqa: BLE001 - a sniffer says "not mine", never fails
            return 0

    def read(self, source: Source) -> Document:
        text = _decode(source)
        root = _parse(text, source.path)
        page_title, metadata = _page_title(root), _metadata(root)
        rules = _rules()
        sink = BlockSink()
        try:
            content = _content(root, rules)
            if content is None:  # stripping took the plan with the furniture: read the whole body
                content = _content(_parse(text, source.path), rules, strip=False)
            _Walker(sink, rules, paged=_has_page_breaks(content)).walk(content)
        except RecursionError:  # depth is bounded by libxml2 and _MAX_DEPTH; this is a last guard
            raise InputError(source.path, "nettsiden er for dypt nøstet", "the web page is nested too deeply") from None
        if not sink.blocks:
            raise _no_text(source.path)
        first_h1 = next((block.text for block in sink.blocks if block.kind is BlockKind.heading
                         and block.level == 1), None)
        pages = [block.location.page for block in sink.blocks if block.location.page is not None]
        return Document(
            path=source.path, sha256=source.sha256, format=self.name,
            pages=max(pages) if pages else None, title=first_h1 or page_title,
            metadata=metadata, blocks=tuple(sink.blocks),
        )


def _no_text(path: str) -> InputError:
    return InputError(path, "nettsiden inneholder ingen lesbar tekst", "the web page contains no readable text")


# --- recognising HTML -------------------------------------------------------------------------


def _sniff(source: Source, extensions: tuple[str, ...]) -> int:
    head = _head_text(source.head)
    if head is None:
        return 0
    start = _skip_prolog(head).lower()
    if start.startswith(_HTML_STARTS):
        return 2
    if start.startswith("<") and _HTML_ROOT_NEAR_START.search(start[:1024]):
        return 2
    if source.suffix in extensions:
        if _TAG_START.match(start):
            return 2
        if "<" in head:
            return 1
    return 0


def _head_text(head: bytes) -> str | None:
    """The first bytes as text enough to look for tags in, or None when they are binary."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore")
    head = head.removeprefix(codecs.BOM_UTF8)
    return head.decode("latin-1") if looks_like_text(head) else None


def _skip_prolog(text: str) -> str:
    """The text after leading whitespace, XML declaration and comments."""
    while True:
        text = text.lstrip()
        if text.startswith("<?"):
            end = text.find("?>")
            text = text[end + 2:] if end >= 0 else ""
        elif text.startswith("<!--"):
            end = text.find("-->")
            text = text[end + 3:] if end >= 0 else ""
        else:
            return text


# --- bytes to a tree -------------------------------------------------------------------------


def _decode(source: Source) -> str:
    """A byte-order mark, else the declared charset, else UTF-8, else Windows-1252."""
    data = source.data
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).translate(_INVISIBLE)
            except UnicodeDecodeError:
                raise InputError(source.path, f"ugyldig tegnkoding ({codec})",
                                 f"invalid character encoding ({codec})") from None
    if not looks_like_text(source.head):
        raise InputError(source.path, "er ikke en HTML-fil (binært innhold)", "is not an HTML file (binary content)")
    for codec in dict.fromkeys(filter(None, (_declared_charset(source.head), "utf-8"))):
        try:
            return data.decode(codec).translate(_INVISIBLE)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace").translate(_INVISIBLE)


def _declared_charset(head: bytes) -> str | None:
    match = _CHARSET_IN_META.search(head) or _ENCODING_IN_XML.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _without_internal_subset(text: str) -> str:
    """The text without a DOCTYPE's internal subset (``[<!ENTITY ...>]``).

    libxml2's HTML parser expands none of it, but ends the DOCTYPE at its first ``>`` and
    shows the rest as text on the page.
    """
    start = text.find("<!", 0, 4096)
    while start >= 0 and text[start:start + 9].lower() != "<!doctype":
        start = text.find("<!", start + 2, 4096)
    if start < 0:
        return text
    bracket, close = text.find("[", start), text.find(">", start)
    if bracket < 0 or close < bracket:
        return text
    end = _SUBSET_END.search(text, bracket)
    return text[:start] + text[end.end():] if end else text


def _parse(text: str, path: str) -> _Element:
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree  # type: ignore[import-untyped]

    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True,
                                  remove_pis=True, huge_tree=False)
    try:
        return lxml.html.document_fromstring(_without_internal_subset(text).encode("utf-8"), parser=parser)
    except etree.ParserError:  # "Document is empty": nothing but whitespace and comments
        raise _no_text(path) from None
    except (etree.LxmlError, ValueError, MemoryError) as err:
        raise InputError(path, f"kan ikke tolkes som HTML ({type(err).__name__})",
                         f"cannot be parsed as HTML ({type(err).__name__})") from None


# --- the page's own title and metadata --------------------------------------------------------


def _page_title(root: _Element) -> str | None:
    title = root.find(".//title")
    text = _collapse(title.text_content()) if title is not None else ""
    return text or None


def _metadata(root: _Element) -> dict[str, str]:
    metadata: dict[str, str] = {}
    body = root.find("body")
    lang = root.get("lang") or root.get("xml:lang") or (body.get("lang") if body is not None else None)
    if lang and lang.strip():
        metadata["lang"] = lang.strip()
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name in ("description", "author") or name.startswith("dcterms."):
            content = _collapse(meta.get("content") or "")
            if content:
                metadata.setdefault(name, content)
    return metadata


# --- boilerplate --------------------------------------------------------------------------------


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
        if element.tag in self.tags or not self.roles.isdisjoint(_roles(element)):
            return True
        for value in _names(element):
            lowered = value.lower()
            if lowered in self.names or any(part in lowered for part in self.substrings):
                return True
            if not self.words.isdisjoint(word.lower() for word in _NAME_BREAK.split(value) if word):
                return True
        return False


@dataclass(frozen=True)
class _Rules:
    drop_tags: tuple[str, ...]
    anywhere: _NameRule
    outside_content: _NameRule
    title_holders: _NameRule
    word_list_classes: tuple[str, ...]
    word_title_classes: frozenset[str]
    word_drop_classes: tuple[str, ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    text = (resources.files("planaudit.ingest") / "data" / "html_boilerplate.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    word = data.get("word", {})
    return _Rules(
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


def _classes(element: _Element) -> list[str]:
    return (element.get("class") or "").lower().split()


def _roles(element: _Element) -> list[str]:
    return (element.get("role") or "").lower().split()


def _is_hidden(element: _Element) -> bool:
    if "hidden" in element.attrib or (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def _is_landmark(element: _Element) -> bool:
    """<main> or <article>: inside them, a header or a nav belongs to the text."""
    return element.tag in ("main", "article") or not {"main", "article"}.isdisjoint(_roles(element))


def _text_length(element: _Element) -> int:
    return len(_collapse(element.text_content()))


def _strip(root: _Element, tags: tuple[str, ...]) -> None:
    for element in list(root.iter(*tags)):
        if element is not root and element.getparent() is not None:
            element.drop_tree()  # keeps the tail: text after a <script> is still the page's


def _content(root: _Element, rules: _Rules, strip: bool = True) -> _Element | None:
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
             and (element.tag == "main" or "main" in _roles(element)) and not _is_hidden(element)]
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

    def __init__(self, rules: _Rules, total_chars: int) -> None:
        self.rules = rules
        self.total_chars = total_chars

    def clean(self, element: _Element, in_content: bool, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
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
        if any(name.startswith(rules.word_drop_classes) for name in _classes(element)):
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
    for heading in element.iter(*_HEADING_LEVEL):
        text = _collapse(heading.text_content())
        linked = _collapse(" ".join(link.text_content() for link in heading.iter("a")))
        if text and text != linked:
            return True
    return False


def _has_page_breaks(root: _Element) -> bool:
    for element in root.iter():
        style = element.get("style") if isinstance(element.tag, str) else None
        if style and (_BREAK_BEFORE.search(style) or _BREAK_AFTER.search(style)):
            return True
    return False


# --- text ---------------------------------------------------------------------------------------


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text.translate(_INVISIBLE)).strip()


def _text_of(element: _Element, skip: frozenset[str] = frozenset()) -> str:
    """An element's text on one line: blocks and line breaks become spaces, long image
    descriptions count, the subtrees named in ``skip`` do not (their tails do)."""
    parts: list[str] = []

    def visit(node: _Element, depth: int) -> None:
        if depth > _MAX_DEPTH:
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
    return _collapse("".join(parts))


def _alt(image: _Element) -> str:
    alt = _collapse(image.get("alt") or "")
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
        lines = [_collapse("".join(part)) for part in self.parts]
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


class _Walker:
    """Turns the cleaned tree into blocks, counting print page breaks as it goes."""

    def __init__(self, sink: BlockSink, rules: _Rules, paged: bool) -> None:
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
        if depth > _MAX_DEPTH:
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
        if tag in _HEADING_LEVEL:
            self._heading(_text_of(element), _HEADING_LEVEL[tag])
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
            lines.add(child.tail)
        self._flush(lines)

    def _list_item(self, item: _Element, prefix: str, depth: int) -> None:
        """One item per <li>; its sub-lists and tables follow as blocks of their own."""
        text = _text_of(item, skip=_NESTED_IN_ITEM)
        if text:
            self._item(f"{prefix} {text}" if prefix else text)
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

    def _word_paragraph(self, paragraph: _Element) -> bool:
        """Word's export of a title or a list paragraph; False when it is a plain one."""
        classes = _classes(paragraph)
        if not self.rules.word_title_classes.isdisjoint(classes):
            self._heading(_text_of(paragraph), 1)
            return True
        in_list = any(name.startswith(self.rules.word_list_classes) for name in classes) \
            or bool(_WORD_LIST_STYLE.search(paragraph.get("style") or ""))
        if not in_list:
            return False
        markers = [span for span in paragraph.iter() if isinstance(span.tag, str)
                   and _WORD_MARKER_STYLE.search(span.get("style") or "")]
        marker = _collapse(markers[0].text_content()) if markers else ""
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
    if not {"presentation", "none"}.isdisjoint(_roles(table)):
        return True
    if max((len(row) for row in rows), default=0) <= 1:
        return True
    return any(True for _ in table.iter(*_HEADING_LEVEL))
