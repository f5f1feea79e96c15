"""Tesseract, the optional OCR engine: whether it is installed with Norwegian, and one page
image read to hOCR.

Called through pytesseract, chosen by measurement on the generated scanned fixtures
(``bench/bench_ocr.py``): Tesseract gives hOCR with a box for every word, which the PDF
reader lays out like a text layer, and only the pages without usable text are read. OCRmyPDF
does the same OCR but rebuilds the whole PDF around it; on the 9-page fixture at 300 dpi it
took 10.3 s where rendering and pytesseract took 3.6 s on two cores, at the same accuracy.

Each Tesseract process runs on one thread (``OMP_THREAD_LIMIT=1``): pages are read in
parallel instead, which on two cores is faster than two threads inside one page.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["OcrStatus", "OcrUnavailable", "ocr_status", "read_image"]

#: Tesseract's model for Norwegian (bokmål and nynorsk share it).
DEFAULT_LANGUAGE = "nor"
#: A page that Tesseract has not read in this time is given up (seconds).
PAGE_TIMEOUT = 180


class OcrUnavailable(Exception):
    """Tesseract, pytesseract or the language model is missing."""

    def __init__(self, nb: str, en: str) -> None:
        super().__init__(en)
        self.nb = nb
        self.en = en


@dataclass(frozen=True)
class OcrStatus:
    """What of the OCR path is installed."""

    pytesseract: bool
    tesseract: str | None
    tesseract_version: str | None
    languages: tuple[str, ...]

    def ready(self, language: str = DEFAULT_LANGUAGE) -> bool:
        return self.pytesseract and self.tesseract is not None and _has_languages(self.languages, language)

    def require(self, language: str = DEFAULT_LANGUAGE) -> None:
        """Raise :class:`OcrUnavailable` naming what to install."""
        if not self.pytesseract:
            raise OcrUnavailable("OCR krever tillegget: pip install 'planaudit[ocr]'",
                                 "OCR needs the extra: pip install 'planaudit[ocr]'")
        if self.tesseract is None:
            raise OcrUnavailable("OCR krever Tesseract: apt-get install tesseract-ocr tesseract-ocr-nor",
                                 "OCR needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-nor")
        if not _has_languages(self.languages, language):
            raise OcrUnavailable(
                f"Tesseract mangler språkmodellen «{language}»: apt-get install tesseract-ocr-nor",
                f"Tesseract lacks the language model '{language}': apt-get install tesseract-ocr-nor")


def _has_languages(installed: tuple[str, ...], language: str) -> bool:
    return all(part in installed for part in language.split("+"))


@lru_cache(maxsize=1)
def ocr_status() -> OcrStatus:
    """Which parts of OCR this machine has; looked up once per process."""
    try:
        import pytesseract
    except ImportError:
        return OcrStatus(False, shutil.which("tesseract"), None, ())
    command = shutil.which(pytesseract.pytesseract.tesseract_cmd)
    if command is None:
        return OcrStatus(True, None, None, ())
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = tuple(sorted(pytesseract.get_languages(config="")))
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError):
        return OcrStatus(True, None, None, ())
    return OcrStatus(True, command, version, languages)


def read_image(image: Image.Image, language: str = DEFAULT_LANGUAGE, block: bool = False) -> bytes:
    """Tesseract's hOCR for one page image (``block``: a part of a page, read as one block
    of text without looking for columns and pictures in it). Raises RuntimeError when Tesseract fails or takes longer than
    :data:`PAGE_TIMEOUT`."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        hocr = pytesseract.image_to_pdf_or_hocr(image, lang=language, extension="hocr", timeout=PAGE_TIMEOUT,
                                                config="--psm 6" if block else "")
    except (pytesseract.TesseractError, OSError) as err:
        raise RuntimeError(str(err).strip() or type(err).__name__) from None
    except RuntimeError as err:  # pytesseract's time-out
        raise RuntimeError(f"Tesseract timed out after {PAGE_TIMEOUT} s") from err
    return bytes(hocr)
