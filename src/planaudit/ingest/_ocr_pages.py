"""OCR of a PDF's pages: each page rendered by PDFium, read by Tesseract, and laid out as a
page of the PDF reader, several pages at a time.

Rendering holds PDFium's lock and takes a few hundredths of a second; Tesseract runs as its
own process for a second or more a page, so threads are enough to keep every core busy.
Only ``jobs`` page images exist at once: a 40-page scan does not sit in memory as pictures.

A page scanned sideways or upside down reads as garbage (turned 90 or 180 degrees: words
of low confidence) or as columns of words standing on end (turned 270 degrees: Tesseract
reads the text, but every line is vertical). Such a page is turned as Tesseract's OSD says
and read again, and the better reading is kept; an upright page is read once, as before.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._data import reader_data
from ._hocr import OcrPage, OcrWord, page_from_hocr, parse_hocr, snap_sizes
from ._ocr import ocr_status, orientation, read_image
from ._pdf_layout import PageText
from ._page_image import without_rules
from ._pdfium import PDFIUM_LOCK, render_page

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["TURNED_CONFIDENCE", "TURNED_VERTICAL_SHARE", "looks_turned", "ocr_pages", "reading_score"]

#: A first reading whose words' mean confidence is under this may be a turned page, and OSD
#: is asked. Measured on the scanned fixtures (plan_nb, plan_nn and plan_svak_nb; clean, skewed
#: with JPEG, speckled, and at 150 and 200 dpi): upright pages read at 80-96 per page, the
#: same pages turned 90 or 180 degrees at 34-51. Heavy speckle noise (3 % of the pixels) took
#: a few upright pages down to 52-63: those pay for one OSD call (0.6-0.8 s) and keep their
#: reading when OSD finds them upright.
TURNED_CONFIDENCE = 65.0
#: ... or when this share of its words of four characters or more stand taller than wide: a
#: page turned 270 degrees (and one turned 90) reads as vertical words, 100 % of them on the
#: fixtures, where upright pages have 0-3 % (10 % with heavy speckle noise).
TURNED_VERTICAL_SHARE = 0.5
#: Fewer words than this say nothing about the page's orientation (a picture, a blank page),
#: and OSD needs letters to find it.
_MIN_WORDS_TO_JUDGE = 3
#: Image turns (PIL's transpose, lossless) for OSD's clockwise degrees.
_TURNS = {90: "ROTATE_270", 180: "ROTATE_180", 270: "ROTATE_90"}


@dataclass(frozen=True)
class _Upright:
    """A page image as it is best read: turned ``turn`` degrees clockwise from the rendering."""

    image: Image.Image
    page: OcrPage
    turn: int = 0


@dataclass(frozen=True)
class _Read:
    """One page as Tesseract read it, with the page's size in points."""

    number: int
    page: OcrPage
    width: float
    height: float
    dpi: float


def render_dpi() -> float:
    return float(reader_data("ocr")["render_dpi"])


def ocr_pages(data: bytes, numbers: list[int], jobs: int, language: str,
              progress: Callable[[int, int], None] | None = None) -> tuple[dict[int, PageText], list[int]]:
    """Pages ``numbers`` (1-based) of the PDF in ``data`` read by OCR, and the numbers of the
    pages Tesseract failed on; ``progress`` is told (pages read, pages to read) as each page
    is done. Raises OcrUnavailable when OCR is not installed."""
    import pypdfium2

    ocr_status().require(language)
    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(data)
    counter = _Counter(len(numbers), progress)
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(numbers)))) as pool:
            outcomes = list(pool.map(lambda number: counter.done(_read_page(pdf, number, language)), numbers))
    finally:
        with PDFIUM_LOCK:
            pdf.close()
    read = [outcome for outcome in outcomes if outcome is not None]
    failed = [number for number, outcome in zip(numbers, outcomes) if outcome is None]
    sizes = {dpi: snap_sizes([page.page.lines for page in read if page.dpi == dpi], dpi)
             for dpi in {page.dpi for page in read}}
    pages = {page.number: page_from_hocr(page.page, page.number, page.width, page.height, page.dpi,
                                         sizes[page.dpi]) for page in read}
    return pages, failed


class _Counter:
    """Pages read so far, told to a progress callback from whichever thread read one."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None) -> None:
        self.total, self.progress, self.count = total, progress, 0
        self.lock = threading.Lock()

    def done(self, outcome: _Read | None) -> _Read | None:
        if self.progress is not None:
            with self.lock:
                self.count += 1
                self.progress(self.count, self.total)
        return outcome


def _read_page(pdf: object, number: int, language: str) -> _Read | None:
    import pypdfium2

    try:
        with PDFIUM_LOCK:
            image, dpi, width, height = render_page(pdf, number - 1, render_dpi())  # type: ignore[arg-type]
    except (pypdfium2.PdfiumError, MemoryError, ValueError):
        return None
    made: list[Image.Image] = [image]
    try:
        image = without_rules(image, dpi)
        made.append(image)
        upright = _upright(image, dpi, language)
        made.append(upright.image)
        if upright.turn in (90, 270):  # the page's points as the turned image shows them
            width, height = height, width
        return _Read(number, upright.page, width, height, dpi)
    except RuntimeError:
        return None
    finally:
        for made_image in {id(item): item for item in made}.values():
            made_image.close()


def _upright(image: Image.Image, dpi: float, language: str) -> _Upright:
    """The page read as it lies, or, when that reading looks like a turned page's and OSD
    says which way it is turned, read again turned upright, if that reads better."""
    first = parse_hocr(read_image(image, language))
    if not looks_turned(first):
        return _Upright(image, first)
    turn = orientation(image, dpi)
    if not turn:
        return _Upright(image, first)
    from PIL import Image as PILImage

    turned = image.transpose(getattr(PILImage.Transpose, _TURNS[turn]))
    try:
        again = parse_hocr(read_image(turned, language))
    except RuntimeError:
        turned.close()
        return _Upright(image, first)
    if reading_score(again) > reading_score(first):
        return _Upright(turned, again, turn)
    turned.close()
    return _Upright(image, first)


def _judged_words(page: OcrPage) -> list[OcrWord]:
    return [word for line in page.lines for word in line.words if any(char.isalnum() for char in word.text)]


def looks_turned(page: OcrPage) -> bool:
    """Whether a first reading is what Tesseract makes of a page turned on its side or upside
    down: words read with low confidence, or standing on end (see the thresholds above)."""
    words = _judged_words(page)
    if len(words) < _MIN_WORDS_TO_JUDGE:
        return False
    if sum(word.confidence for word in words) / len(words) < TURNED_CONFIDENCE:
        return True
    long = [word for word in words if len(word.text) >= 4]
    standing = sum(word.bottom - word.top > word.right - word.left for word in long)
    return bool(long) and standing / len(long) >= TURNED_VERTICAL_SHARE


def reading_score(page: OcrPage) -> float:
    """How much a reading is worth, to choose between two of one page: confidence times
    characters over the words that lie as text lies. A vertical word counts for nothing, as
    the layout cannot make lines of it."""
    return sum(word.confidence * len(word.text) for word in _judged_words(page)
               if len(word.text) < 2 or word.right - word.left >= word.bottom - word.top)
