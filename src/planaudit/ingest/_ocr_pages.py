"""OCR of a PDF's pages: each page rendered by PDFium, read by Tesseract, and laid out as a
page of the PDF reader, several pages at a time.

Rendering holds PDFium's lock and takes a few hundredths of a second; Tesseract runs as its
own process for a second or more a page, so threads are enough to keep every core busy.
Only ``jobs`` page images exist at once: a 40-page scan does not sit in memory as pictures.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ._data import reader_data
from ._hocr import OcrPage, page_from_hocr, parse_hocr, snap_sizes
from ._ocr import ocr_status, read_image
from ._pdf_layout import PageText
from ._pdfium import PDFIUM_LOCK, render_page

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["ocr_pages"]

#: Picture areas read again on one page, and the smallest side (pixels) worth reading.
_MAX_PICTURES = 12
_MIN_PICTURE = 40


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


def ocr_pages(data: bytes, numbers: list[int], jobs: int, language: str) -> tuple[dict[int, PageText], list[int]]:
    """Pages ``numbers`` (1-based) of the PDF in ``data`` read by OCR, and the numbers of the
    pages Tesseract failed on. Raises OcrUnavailable when OCR is not installed."""
    import pypdfium2

    ocr_status().require(language)
    with PDFIUM_LOCK:
        pdf = pypdfium2.PdfDocument(data)
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(numbers)))) as pool:
            outcomes = list(pool.map(lambda number: _read_page(pdf, number, language), numbers))
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


def _read_page(pdf: object, number: int, language: str) -> _Read | None:
    import pypdfium2

    try:
        with PDFIUM_LOCK:
            page = pdf[number - 1]  # type: ignore[index]
            width, height = float(page.get_width()), float(page.get_height())
            page.close()
            image, dpi = render_page(pdf, number - 1, render_dpi())  # type: ignore[arg-type]
    except (pypdfium2.PdfiumError, MemoryError, ValueError):
        return None
    try:
        return _Read(number, _recognised(image, language), width, height, dpi)
    except RuntimeError:
        return None
    finally:
        image.close()


def _recognised(image: Image.Image, language: str) -> OcrPage:
    """The page image read by Tesseract, and the areas it took for pictures read again as
    one block of text each, with the table borders it found painted out: a column of
    single figures in a table, or an infographic, holds words that the page's layout
    analysis leaves out, and Tesseract misses a lone digit beside a border."""
    page = parse_hocr(read_image(image, language))
    pictures = [box for box in page.pictures[:_MAX_PICTURES]
                if box[2] - box[0] >= _MIN_PICTURE and box[3] - box[1] >= _MIN_PICTURE]
    if not pictures:
        return page
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for left, top, right, bottom in page.separators:
        draw.rectangle((left - 3, top - 3, right + 3, bottom + 3), fill=255)
    extra = []
    for left, top, right, bottom in pictures:
        crop = image.crop((int(left), int(top), int(right), int(bottom)))
        try:
            found = parse_hocr(read_image(crop, language, block=True)).shifted(int(left), int(top))
        finally:
            crop.close()
        extra.extend(found.lines)
    return page.with_lines(extra)
