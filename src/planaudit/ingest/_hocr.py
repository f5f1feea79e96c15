"""Tesseract's hOCR to the PDF reader's page model: words with their boxes become text runs
in PDF points, so an OCR page goes through the same line, table and heading rules as a
page with a text layer.

Pure Python over hOCR's bytes: it can be tested and fuzzed without Tesseract. Font size is
estimated from the row height Tesseract measures (``x_size``); sizes on the OCR pages of
one document are then snapped to a few shared sizes, because the layout tells headings
from body text by size.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from ._data import reader_data
from ._pdf_geometry import Run, group_lines, in_reading_order
from ._pdf_layout import PageText

__all__ = ["OcrLine", "OcrPage", "OcrWord", "page_from_hocr", "parse_hocr", "snap_sizes"]

_NUMBERS = r"(-?\d+(?:\.\d+)?)"
_BBOX = re.compile(r"bbox\s+" + r"\s+".join([_NUMBERS] * 4))
_X_SIZE = re.compile(r"x_size\s+" + _NUMBERS)
_CONFIDENCE = re.compile(r"x_wconf\s+" + _NUMBERS)
#: Words further apart than this many font sizes are separate runs; the layout then groups
#: runs into table cells as it does a text layer's (a word space is a quarter to a third).
_WORD_SPACE = 0.6
#: A row is at most this many times as tall as its typical word: specks of dirt or a
#: table border joined to a line make Tesseract's row height (x_size) absurd.
_TALLEST_ROW = 1.3
#: A letter's width as a share of a line's word height, for a box that must be estimated.
_LETTER_WIDTH = 0.7
#: hOCR from one page of a plan is a few hundred kilobytes; more is not Tesseract's output.
_MAX_HOCR_BYTES = 20_000_000


@dataclass(frozen=True)
class OcrWord:
    """A word as Tesseract read it, with its box in image pixels (y downwards)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    confidence: float


@dataclass(frozen=True)
class OcrLine:
    """A line of words and its row height (pixels), from which the font size is estimated."""

    words: tuple[OcrWord, ...]
    top: float
    bottom: float
    x_size: float
    #: which of Tesseract's text blocks the line is in (its columns and table parts)
    block: int = 0


@dataclass(frozen=True)
class OcrPage:
    """What Tesseract found on a page image: its lines of words, in Tesseract's order."""

    lines: tuple[OcrLine, ...] = ()


@dataclass(frozen=True)
class _Settings:
    line_classes: frozenset[str]
    x_size_factor: float
    cluster_gap: float
    grid: str
    noise_confidence: float
    speck_letters: int
    speck_confidence: float


@lru_cache(maxsize=1)
def _settings() -> _Settings:
    data = reader_data("ocr")
    return _Settings(frozenset(data["line_classes"]), float(data["x_size_to_font_size"]),
                     float(data["size_cluster_gap"]), str(data["grid_characters"]),
                     float(data["min_noise_confidence"]), int(data["speck"]["max_letters"]),
                     float(data["speck"]["max_confidence"]))


def parse_hocr(data: bytes) -> OcrPage:
    """One page's hOCR: its lines in Tesseract's order; an empty page for what is not hOCR."""
    if not data or len(data) > _MAX_HOCR_BYTES:
        return OcrPage()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             recover=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return OcrPage()
    if root is None:
        return OcrPage()
    settings = _settings()
    lines = []
    block = 0
    for element in root.iter():
        kind = element.get("class") if isinstance(element.tag, str) else None
        if kind == "ocr_carea":
            block += 1
        elif kind in settings.line_classes:
            line = _line(element, settings, block)
            if line is not None:
                lines.append(line)
    return OcrPage(tuple(lines))


def _box(title: str) -> tuple[float, float, float, float] | None:
    found = _BBOX.search(title)
    if found is None:
        return None
    left, top, right, bottom = (float(found.group(index)) for index in range(1, 5))
    return (left, top, right, bottom) if right >= left and bottom >= top else None


def _line(element: etree._Element, settings: _Settings, block: int) -> OcrLine | None:
    title = element.get("title") or ""
    box, size = _box(title), _X_SIZE.search(title)
    if box is None:
        return None
    words = tuple(word for child in element.iter()
                  if child.get("class") == "ocrx_word" and (word := _word(child, settings)) is not None)
    _, top, _, bottom = box
    x_size = float(size.group(1)) if size else bottom - top
    if not words or bottom <= top or x_size <= 0 or _speck(words, settings):
        return None
    words = _trimmed(words)
    return OcrLine(words, top, bottom, min(x_size, _TALLEST_ROW * _typical_height(words)), block)


def _speck(words: tuple[OcrWord, ...], settings: _Settings) -> bool:
    """A "line" of a few letters all read with doubt: dirt, or the edge of a photo."""
    letters = sum(char.isalnum() for word in words for char in word.text)
    return letters < settings.speck_letters and all(word.confidence < settings.speck_confidence for word in words)


def _typical_height(words: tuple[OcrWord, ...]) -> float:
    heights = sorted(word.bottom - word.top for word in words)
    return heights[len(heights) // 2]


def _trimmed(words: tuple[OcrWord, ...]) -> tuple[OcrWord, ...]:
    """Words whose box took in a table border or a cell's corner (far taller than the line's
    other words, and read with doubt) made as wide as their letters, from their left edge:
    such a box would otherwise reach into the next column."""
    typical = _typical_height(words)
    if len(words) < 3 or typical <= 0:
        return words
    return tuple(
        OcrWord(word.text, word.left, word.top, min(word.right, word.left + _LETTER_WIDTH * typical * len(word.text)),
                word.bottom, word.confidence)
        if word.bottom - word.top > 1.6 * typical and word.confidence < 80 else word
        for word in words)


def _word(element: etree._Element, settings: _Settings) -> OcrWord | None:
    box = _box(element.get("title") or "")
    read = " ".join("".join(element.itertext()).split())
    text = read.lstrip(settings.grid + " ")
    lead = len(read) - len(text)
    text = text.rstrip(settings.grid + " ")
    if box is None or not text:
        return None
    confidence_match = _CONFIDENCE.search(element.get("title") or "")
    confidence = float(confidence_match.group(1)) if confidence_match else 100.0
    if confidence < settings.noise_confidence and not any(char.isalnum() for char in text):
        return None
    left, top, right, bottom = box
    if len(text) < len(read):  # the box took in the border: as much narrower as characters went
        width = (right - left) / len(read)
        left, right = left + lead * width, left + (lead + len(text)) * width
    return OcrWord(text, left, top, right, bottom, confidence)


def snap_sizes(pages: list[tuple[OcrLine, ...]], dpi: float) -> dict[float, float]:
    """Each estimated font size (points) on these pages mapped to its cluster's size, so
    lines set in one font size get one size however their letters vary."""
    factor = _settings().x_size_factor * 72.0 / dpi
    weights: dict[float, int] = {}
    for lines in pages:
        for line in lines:
            size = round(line.x_size * factor, 1)
            weights[size] = weights.get(size, 0) + sum(len(word.text) for word in line.words)
    return _clusters(weights, _settings().cluster_gap)


def _clusters(weights: dict[float, int], gap: float) -> dict[float, float]:
    """Sizes split where the next is more than ``gap`` larger; each cluster takes the size
    most of its text is set in."""
    snapped: dict[float, float] = {}
    cluster: list[float] = []
    for size in [*sorted(weights), None]:
        if cluster and (size is None or size > cluster[-1] * (1 + gap) or size > cluster[0] * (1 + 2 * gap)):
            main = max(cluster, key=lambda member: weights[member])
            snapped.update((member, main) for member in cluster)
            cluster = []
        if size is not None:
            cluster.append(size)
    return snapped


def page_from_hocr(page: OcrPage, number: int, width: float, height: float, dpi: float,
                   sizes: dict[float, float] | None = None) -> PageText:
    """One OCR page as the PDF reader's page, in points with y upwards: a run for each
    stretch of a line's words, split where the gap is wider than a word space,
    each as tall as its line so that the runs of a line share it. A table's rules were
    painted out before Tesseract read the page: its rows and cells are found by alignment."""
    scale = 72.0 / dpi
    factor = _settings().x_size_factor * scale
    runs = []
    for line in page.lines:
        if line.bottom <= line.top:
            continue
        estimate = round(line.x_size * factor, 1)
        size = (sizes or {}).get(estimate, estimate)
        top, bottom = height - line.top * scale, height - line.bottom * scale
        for words in _stretches(line.words, _WORD_SPACE * size / scale):
            x0, x1 = words[0].left * scale, words[-1].right * scale
            if -5 <= x0 and x1 <= width + 5 and -5 <= bottom and top <= height + 5:
                runs.append(Run(x0, x1, bottom, top, _corrected(" ".join(word.text for word in words)), size,
                                block=line.block))
    ordered = [line for block in in_reading_order(runs) for line in group_lines(block)]
    return PageText(number, height, ordered)


def _stretches(words: tuple[OcrWord, ...], gap: float) -> list[list[OcrWord]]:
    """Tesseract's words of one line, in runs parted where the gap is wider than ``gap`` (pixels).
    Within a run Tesseract's word boundaries stand: a space between every two words."""
    stretches: list[list[OcrWord]] = []
    for word in sorted((item for item in words if item.text.strip() and item.right >= item.left),
                       key=lambda item: item.left):
        if stretches and word.left - stretches[-1][-1].right < gap:
            stretches[-1].append(word)
        else:
            stretches.append([word])
    return stretches


@lru_cache(maxsize=1)
def _corrections() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(entry["pattern"]), entry["replace"]) for entry in reader_data("ocr")["corrections"]]


def _corrected(text: str) -> str:
    """Tesseract's known misreadings of symbols (see ocr.yaml) put right."""
    for pattern, replacement in _corrections():
        text = pattern.sub(replacement, text)
    return text
