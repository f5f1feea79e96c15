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

Comments (``<!-- ... -->``) inside the kept content are the author's and become
``Document.comments``, placed in the section the walk has reached; the conditional comments
Word's HTML export is full of are left out, and a page with tens of thousands of comments
is read without any.

Boilerplate removal lives in _html_clean and the walk into blocks in _html_walk; this module
recognises, decodes and parses the page and reads its title and metadata.
"""
from __future__ import annotations

import codecs
import re
from typing import Any

from ..errors import InputError
from ..model import BlockKind, Document
from ._html_clean import INVISIBLE, collapse, content_root, load_rules
from ._html_walk import Walker, has_page_breaks
from ._layout import BlockSink
from ._registry import Source
from ._text import looks_like_text

__all__ = ["HtmlReader"]

# lxml ships no type information; its elements are typed loosely here.
_Element = Any

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
        rules = load_rules()
        sink = BlockSink()
        try:
            content = content_root(root, rules)
            if content is None:  # stripping took the plan with the furniture: read the whole body
                content = content_root(_parse(text, source.path), rules, strip=False)
            Walker(sink, rules, paged=has_page_breaks(content)).walk(content)
        except RecursionError:  # depth is bounded by libxml2 and MAX_DEPTH; this is a last guard
            raise InputError(source.path, "nettsiden er for dypt nøstet", "the web page is nested too deeply") from None
        if not sink.blocks:
            raise _no_text(source.path)
        first_h1 = next((block.text for block in sink.blocks if block.kind is BlockKind.heading
                         and block.level == 1), None)
        pages = [block.location.page for block in sink.blocks if block.location.page is not None]
        return Document(
            path=source.path, sha256=source.sha256, format=self.name,
            pages=max(pages) if pages else None, title=first_h1 or page_title,
            metadata=metadata, blocks=tuple(sink.blocks), comments=tuple(sink.comments),
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
                return data.decode(codec).translate(INVISIBLE)
            except UnicodeDecodeError:
                raise InputError(source.path, f"ugyldig tegnkoding ({codec})",
                                 f"invalid character encoding ({codec})") from None
    if not looks_like_text(source.head):
        raise InputError(source.path, "er ikke en HTML-fil (binært innhold)", "is not an HTML file (binary content)")
    for codec in dict.fromkeys(filter(None, (_declared_charset(source.head), "utf-8"))):
        try:
            return data.decode(codec).translate(INVISIBLE)
        except (UnicodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace").translate(INVISIBLE)


def _declared_charset(head: bytes) -> str | None:
    match = _CHARSET_IN_META.search(head) or _ENCODING_IN_XML.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Only text encodings: "base64", "rot13" or "zlib" are codecs too, but not charsets.
    return info.name if getattr(info, "_is_text_encoding", True) and info.name not in ("undefined",) else None


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


#: More comments than this are not an author's but a generator's (or an attack's): the
#: page is then parsed without them, as a tree of millions of comment nodes costs gigabytes.
_MAX_COMMENT_NODES = 20_000


def _parse(text: str, path: str) -> _Element:
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree  # type: ignore[import-untyped]

    keep_comments = text.count("<!--") <= _MAX_COMMENT_NODES
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=not keep_comments,
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
    text = collapse(title.text_content()) if title is not None else ""
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
            content = collapse(meta.get("content") or "")
            if content:
                metadata.setdefault(name, content)
    return metadata
