"""PDF: the text layer with its pages, headings from font size and weight, tables from
column alignment and drawn borders, running headers and footers left out. With OCR asked
for, pages without a usable text layer (scanned, images, garbage) are read by Tesseract.

Read with PDFium (pypdfium2), chosen by measurement on the generated 100-page plan
(``bench/bench_readers.py``): PDFium's text alone takes 0.03 s, as long as poppler's
pdftotext; pypdf takes 0.31 s and pdfplumber 3.6 s (3.2 s more for its tables), both
parsing in pure Python. PDFium also reports the position, size and font of each text run,
which is all the heading and table rules here need. Asking for those positions and running
the rules in Python brings the whole read to about five times pdftotext's time on that plan.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import Document
from ._data import reader_data
from ._ocr import OcrUnavailable
from ._ocr_pages import ocr_pages
from ._pdf_layout import PageText, blocks_of
from ._pdfium import PDFIUM_LOCK, PageTooLarge, page_text
from ._registry import Source
from ._text_quality import MIN_LETTERS_PER_PAGE, TextQuality, text_quality

if TYPE_CHECKING:
    import pypdfium2

__all__ = ["PdfReader"]

@lru_cache(maxsize=1)
def _placeholder_title() -> re.Pattern[str]:
    data = reader_data("pdf_text")
    return re.compile("^(?:" + "|".join(data["placeholder_titles"]) + ")$", re.IGNORECASE)


class PdfReader:
    name = "pdf"
    extensions: tuple[str, ...] = (".pdf",)
    media_types: tuple[str, ...] = ("application/pdf",)

    def sniff(self, source: Source) -> int:
        return 2 if b"%PDF-" in source.head[:1024] else 0

    def read(self, source: Source) -> Document:
        pages, count, metadata = _read_pages(source)
        quality = {page.number: text_quality("\n".join(line.text for line in page.lines)) for page in pages}
        unusable = [number for number, page_quality in quality.items() if not page_quality.usable]
        if source.options.ocr and unusable:
            pages = _with_ocr(source, pages, unusable, metadata)
        else:
            _check_text_layer(source, pages, quality, metadata)
        sink = blocks_of(pages)
        if sink.running_header:
            metadata["running_header"] = sink.running_header
        return Document(
            path=source.path, sha256=source.sha256, format="pdf", pages=count,
            title=_title(metadata), metadata=metadata, blocks=tuple(sink.blocks),
            comments=tuple(sink.comments),
        )


def _check_text_layer(source: Source, pages: list[PageText], quality: dict[int, TextQuality],
                      metadata: dict[str, str]) -> None:
    """Without OCR: a PDF with (almost) no text is refused, naming the option that reads it;
    scanned or garbled pages in a digital PDF are noted for the report's warnings."""
    if _scarce_text(pages):
        raise InputError(
            source.path,
            "PDF-en har ikke noe tekstlag (skannet eller sider som bilder); "
            "les den med OCR: «planaudit check FIL --ocr» eller «planaudit serve --ocr» "
            "(krever planaudit[ocr] og tesseract-ocr-nor)",
            "the PDF has no text layer (scanned, or pages as images); "
            "read it with OCR: 'planaudit check FILE --ocr' or 'planaudit serve --ocr' "
            "(needs planaudit[ocr] and tesseract-ocr-nor)",
        )
    _note_pages(metadata, "pages_without_text", [page.number for page in pages if page.letters < MIN_LETTERS_PER_PAGE])
    _note_pages(metadata, "garbled_pages", [number for number, page_quality in quality.items() if page_quality.garbage])


def _with_ocr(source: Source, pages: list[PageText], numbers: list[int], metadata: dict[str, str]) -> list[PageText]:
    """The pages, with those in ``numbers`` read by OCR instead, in page order."""
    try:
        read, failed = ocr_pages(source.data, numbers, source.options.jobs, source.options.ocr_language,
                                 source.options.progress)
    except OcrUnavailable as err:
        raise InputError(source.path, err.nb, err.en) from None
    _note_pages(metadata, "ocr_pages", sorted(read))
    _note_pages(metadata, "ocr_failed_pages", failed)
    merged = [read.get(page.number, page) for page in pages]
    if _scarce_text(merged):
        raise InputError(source.path, "OCR fant ingen tekst i PDF-en (tomme sider eller bare bilder uten tekst)",
                         "OCR found no text in the PDF (blank pages, or pictures without text)")
    _note_pages(metadata, "pages_without_text", [page.number for page in merged if page.letters < MIN_LETTERS_PER_PAGE])
    return merged


def _scarce_text(pages: list[PageText]) -> bool:
    """Whether the pages hold less text than a quarter of them would with a text layer."""
    return sum(page.letters for page in pages) < MIN_LETTERS_PER_PAGE * max(1, len(pages)) / 4


def _note_pages(metadata: dict[str, str], key: str, numbers: list[int]) -> None:
    """Pages the report's reading notices name (``_reading_notes`` in the engine)."""
    if numbers:
        metadata[key] = ",".join(str(number) for number in numbers)


def _title(metadata: dict[str, str]) -> str | None:
    title = metadata.get("title", "").strip()
    return title if title and not _placeholder_title().match(title) else None


def _open_error(source: Source, err: Exception) -> InputError:
    code = getattr(err, "err_code", None)
    if code == 4:  # FPDF_ERR_PASSWORD
        return InputError(source.path, "PDF-en er passordbeskyttet (kryptert); lagre en utgave uten passord",
                          "the PDF is password-protected (encrypted); save a copy without a password")
    if code == 5:  # FPDF_ERR_SECURITY
        return InputError(source.path, "PDF-en bruker en ukjent krypteringsordning",
                          "the PDF uses an unsupported security handler")
    return InputError(source.path, "PDF-en er skadet eller avkortet og kan ikke leses",
                      "the PDF is damaged or truncated and cannot be read")


def _read_pages(source: Source) -> tuple[list[PageText], int, dict[str, str]]:
    """The readable pages, the document's page count, and its metadata. One broken or
    absurd page is noted and skipped; it should not cost the rest of the plan."""
    import pypdfium2

    with PDFIUM_LOCK:
        try:
            pdf = pypdfium2.PdfDocument(source.data)
        except pypdfium2.PdfiumError as err:
            raise _open_error(source, err) from None
        try:
            metadata = _metadata(pdf)
            count = len(pdf)
            pages, unreadable = [], []
            for index in range(count):
                content = _page(pdf, index)
                if content is None:
                    unreadable.append(str(index + 1))
                else:
                    pages.append(content)
        finally:
            pdf.close()
    if unreadable:
        metadata["unreadable_pages"] = ",".join(unreadable)
    if not pages:
        raise InputError(source.path, "PDF-en har ingen sider som kan leses", "the PDF has no readable pages")
    return pages, count, metadata


def _page(pdf: pypdfium2.PdfDocument, index: int) -> PageText | None:
    import pypdfium2

    try:
        page = pdf[index]
    except pypdfium2.PdfiumError:
        return None
    try:
        return page_text(page, index + 1)
    except (pypdfium2.PdfiumError, PageTooLarge):
        return None
    finally:
        page.close()


def _metadata(pdf: pypdfium2.PdfDocument) -> dict[str, str]:
    try:
        raw = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - metadata is a bonus; a broken Info dictionary is common
        return {}
    keys = {"Title": "title", "Author": "author", "Creator": "creator", "Producer": "producer",
            "CreationDate": "created"}
    return {name: str(raw[key]) for key, name in keys.items()
            if raw.get(key) and not _placeholder_title().match(str(raw[key]).strip())}


