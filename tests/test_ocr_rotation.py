"""Pages scanned sideways or upside down (``--ocr``): read as they lie, they are garbage or
columns of words on end; Tesseract's orientation detection (OSD) says how to turn them, and
they are read again. Upright pages must not pay for it: no OSD call when a page reads well.

The turned scans are made here from the committed fixture PDFs: every page rendered and
turned as a page put sideways or upside down on the scanner would be, on a page whose size
is turned with it (a page turned 90 degrees is a landscape page). Tests that run Tesseract
skip when it (or its Norwegian model) is not installed, and fail instead when
``PLANAUDIT_REQUIRE_OCR=1``.
"""
from __future__ import annotations

import io
import os

import pytest

from planaudit.engine import audit, read_plan
from planaudit.ingest import OcrStatus, ReadOptions
from planaudit.ingest import _ocr, _ocr_pages
from planaudit.ingest._hocr import OcrLine, OcrPage, OcrWord
from planaudit.ingest._ocr_pages import looks_turned, ocr_pages, reading_score

from _ocr import PLANS, require_ocr, status_looked_up_again  # noqa: F401 - an autouse fixture
from scanned import Scan, scan_pdf







def turned_scan(source: bytes, degrees: int, pages: tuple[int, ...] = (), dpi: int = 300) -> bytes:
    """The PDF ``source`` with its pages (or only ``pages``, 1-based) as pictures turned
    ``degrees`` counter-clockwise, each on a page of the turned picture's shape."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    original = pypdfium2.PdfDocument(source)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    try:
        for index in range(len(original)):
            if pages and index + 1 not in pages:
                continue
            page = original[index]
            width, height = page.get_size()
            picture = page.render(scale=dpi / 72, grayscale=True).to_pil().rotate(degrees, expand=True)
            if degrees in (90, 270):
                width, height = height, width
            encoded = io.BytesIO()
            picture.save(encoded, "PNG")
            pdf.setPageSize((width, height))
            pdf.drawImage(ImageReader(io.BytesIO(encoded.getvalue())), 0, 0, width, height)
            pdf.showPage()
    finally:
        original.close()
    pdf.save()
    return buffer.getvalue()


def _words(text: str) -> set[str]:
    return {word.strip(".,:;()«»").casefold() for word in text.split() if len(word.strip(".,:;()«»")) >= 4}


# --- when a reading looks turned, without Tesseract -------------------------------------------


def _line(words: list[tuple[str, float]], vertical: bool = False, top: float = 100.0) -> OcrLine:
    placed, left = [], 100.0
    for text, confidence in words:
        extent = 30.0 * len(text)
        box = (left, top, left + 40, top + extent) if vertical else (left, top, left + extent, top + 40)
        placed.append(OcrWord(text, *box, confidence))
        left += extent + 20
    return OcrLine(tuple(placed), top, top + 40, 40.0)


def test_an_upright_reading_does_not_look_turned() -> None:
    page = OcrPage((_line([("Kommunen", 95), ("skal", 93), ("skaffe", 91), ("boliger", 90)]),))
    assert not looks_turned(page)


def test_a_reading_of_low_confidence_looks_turned() -> None:
    page = OcrPage((_line([("Kamnanon", 40), ("sknl", 35), ("sk0ffe", 45), ("bnligar", 38)]),))
    assert looks_turned(page)


def test_words_standing_on_end_look_turned_however_sure() -> None:
    page = OcrPage((_line([("Kommunen", 95), ("skal", 93), ("skaffe", 91), ("boliger", 90)], vertical=True),))
    assert looks_turned(page)
    upright = OcrPage((_line([("Kommunen", 95), ("skal", 93), ("skaffe", 91), ("boliger", 90)]),))
    assert reading_score(upright) > reading_score(page) == 0


def test_a_page_of_two_words_is_not_judged() -> None:
    assert not looks_turned(OcrPage((_line([("Kart", 20), ("1:5000", 30)]),)))
    assert not looks_turned(OcrPage())


def test_without_the_osd_model_orientation_is_not_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setattr(_ocr, "ocr_status", lambda: OcrStatus(True, "/usr/bin/tesseract", "5", ("nor",)))
    image = Image.new("L", (200, 300), 255)
    assert _ocr.orientation(image, 300.0) is None


# --- with Tesseract --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_two() -> tuple[list[str], set[str]]:
    """The headings and words of page 2 of plan_nb.pdf, from its text layer."""
    document, _ = read_plan(PLANS / "plan_nb.pdf")
    blocks = [block for block in document.blocks if block.location.page == 2]
    return [block.text for block in blocks if block.kind == "heading"], _words(" ".join(b.text for b in blocks))


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_turned_page_reads_as_the_upright_page(degrees: int, page_two: tuple[list[str], set[str]]) -> None:
    require_ocr(osd=True)
    data = turned_scan((PLANS / "plan_nb.pdf").read_bytes(), degrees, pages=(2,))
    document, _ = read_plan(data, name=f"snudd_{degrees}.pdf", options=ReadOptions(ocr=True, jobs=1))
    headings, words = page_two
    assert [block.text for block in document.blocks if block.kind == "heading"] == headings
    read = _words(document.text)
    assert len(words & read) >= 0.95 * len(words), sorted(words - read)


@pytest.mark.parametrize("degrees", [90, 270])
def test_a_page_turned_on_its_side_is_laid_out_in_the_upright_pages_points(degrees: int) -> None:
    require_ocr(osd=True)
    data = turned_scan((PLANS / "plan_nb.pdf").read_bytes(), degrees, pages=(2,))
    pages, failed = ocr_pages(data, [1], 1, "nor")
    page = pages[1]
    assert not failed and page.height == pytest.approx(842, abs=1)  # A4 upright, not the landscape sheet
    assert page.lines and all(-5 <= line.x0 and line.x1 <= 600 for line in page.lines)
    assert all(0 <= line.bottom <= line.top <= 847 for line in page.lines)
    texts = [line.text for line in page.lines]
    assert texts[0].startswith("Lindvik kommune") and texts[1] == "1 Innledning"  # running header, heading
    assert page.lines[1].top > 700  # at the top of the page, in points with y upwards


def test_an_upright_scan_asks_osd_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    require_ocr(osd=True)
    asked = []
    monkeypatch.setattr(_ocr_pages, "orientation", lambda image, dpi: asked.append(dpi) or 0)
    data = scan_pdf((PLANS / "plan_svak_nb.pdf").read_bytes(), Scan(rotate=0.7, jpeg=70))
    document, _ = read_plan(data, name="rett.pdf", options=ReadOptions(ocr=True, jobs=2))
    assert document.text and asked == []


def test_when_osd_fails_the_first_reading_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    require_ocr(osd=True)

    def failing(*_: object, **__: object) -> None:
        raise pytesseract.TesseractError(1, "Too few characters. Skipping this page")

    monkeypatch.setattr(pytesseract, "image_to_osd", failing)
    data = turned_scan((PLANS / "plan_nb.pdf").read_bytes(), 180, pages=(2,))
    pages, failed = ocr_pages(data, [1], 1, "nor")
    assert not failed and pages[1].lines  # read as it lies, as before OSD
    assert "Innledning" not in " ".join(line.text for line in pages[1].lines)


def test_a_weak_plan_scanned_upside_down_gets_the_text_versions_levels() -> None:
    require_ocr(osd=True)
    expected = {key: score.level for key, score in audit(PLANS / "plan_svak_nb.pdf").criteria.items()}
    data = turned_scan((PLANS / "plan_svak_nb.pdf").read_bytes(), 180)
    report = audit(data, name="plan_svak_nb_opp_ned.pdf", ocr=True, ocr_jobs=os.cpu_count() or 1)
    assert {key: score.level for key, score in report.criteria.items()} == expected
    notes = [note.message for note in report.notifications if note.code == "reading.ocr_pages"]
    assert notes == ["Side 1,2,3,4,5,6 er lest med OCR (Tesseract); kontroller sitatene mot sidebildet"]
