"""Tesseract, the optional OCR engine: whether it is installed with Norwegian, and one page
image read to hOCR.

Called through pytesseract, chosen by measurement on the generated scanned fixtures
(``bench/bench_ocr.py``): Tesseract gives hOCR with a box for every word, which the PDF
reader lays out like a text layer, and only the pages without usable text are read. OCRmyPDF
does the same OCR but rebuilds the whole PDF around it: on the clean 9-page scan of plan_nb
(two cores) it took 9.4 s, and its text layer read back with 0.897 character accuracy;
planaudit's own reading took 5.5 s at 0.997 (tables kept in rows, rules painted out first).

Each Tesseract process runs on one thread (``OMP_THREAD_LIMIT=1``) and pages are read in
parallel instead: on two cores the same scan took 7.0 s so, and 11.9 s one page at a time
with two threads inside each.

A page scanned sideways or upside down is turned by what Tesseract's orientation detection
(OSD, the ``osd`` model of Debian's tesseract-ocr) says: :func:`orientation`. It is asked
only about pages whose first reading looks turned (see ``_ocr_pages``), as it costs as
much as reading a small page.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ._data import reader_data

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["OcrStatus", "OcrUnavailable", "ocr_status", "orientation", "read_image"]

#: Tesseract's model for Norwegian (bokmål and nynorsk share it).
DEFAULT_LANGUAGE = "nor"
#: A page that Tesseract has not read in this time is given up (seconds).
PAGE_TIMEOUT = 180
#: Tesseract's model for orientation and script detection.
OSD_MODEL = "osd"
#: OSD looks at a page shrunk to this resolution (dots per inch). Measured on page 2 of the
#: scanned plan_nb.pdf turned 90, 180 and 270 degrees: at 150 dpi OSD found each turn (with
#: orientation confidence 10.7-13.4) in 0.56-0.80 s, at 300 dpi in 0.76-1.06 s; at 100 dpi
#: it named the wrong turn for all three.
OSD_DPI = 150


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

    @property
    def osd(self) -> bool:
        """Whether Tesseract can tell a page's orientation (its ``osd`` model is installed);
        without it, pages scanned sideways or upside down are read as they lie."""
        return self.ready(OSD_MODEL)

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


def read_image(image: Image.Image, language: str = DEFAULT_LANGUAGE) -> bytes:
    """Tesseract's hOCR for one page image, read as one block of text (``ocr.yaml``'s
    ``tesseract_config``: the layout is planaudit's, from the words' boxes). Raises
    RuntimeError when Tesseract fails or takes longer than :data:`PAGE_TIMEOUT`."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        hocr = pytesseract.image_to_pdf_or_hocr(image, lang=language, extension="hocr", timeout=PAGE_TIMEOUT,
                                                config=str(reader_data("ocr")["tesseract_config"]))
    except (pytesseract.TesseractError, OSError) as err:
        raise RuntimeError(str(err).strip() or type(err).__name__) from None
    except RuntimeError as err:  # pytesseract's time-out
        raise RuntimeError(f"Tesseract timed out after {PAGE_TIMEOUT} s") from err
    return bytes(hocr)


def orientation(image: Image.Image, dpi: float) -> int | None:
    """How many degrees clockwise the page image (rendered at ``dpi``) must be turned to stand
    upright (0, 90, 180 or 270), by Tesseract's OSD; None when OSD is not installed, fails
    (too few letters on the page) or answers something else: the caller then keeps the
    reading it has."""
    if not ocr_status().osd:
        return None
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    scale = min(1.0, OSD_DPI / dpi) if dpi > 0 else 1.0
    small = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale)))) \
        if scale < 1.0 else image
    try:
        found = pytesseract.image_to_osd(small, lang=OSD_MODEL, config=f"--dpi {round(dpi * scale)}",
                                         output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT)
    except (pytesseract.TesseractError, OSError, RuntimeError, ValueError, KeyError):
        return None  # RuntimeError: pytesseract's time-out; the others: no answer to parse
    finally:
        if small is not image:
            small.close()
    turn = found.get("rotate") if isinstance(found, dict) else None
    return turn if turn in (0, 90, 180, 270) else None
