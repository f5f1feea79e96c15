"""Scanned plans read with OCR (``--ocr``): Tesseract's hOCR laid out like a text layer,
per-page choice of what to read, and the same criterion levels as the text version.

The scanned PDFs are made from the committed fixture PDFs by fixtures/scanned.py. Tests
that run Tesseract skip when it (or its Norwegian model) is not installed, and fail
instead when ``PLANAUDIT_REQUIRE_OCR=1`` (set by CI, which installs Debian's
tesseract-ocr and tesseract-ocr-nor).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from planaudit.cli import cli
from planaudit.engine import audit
from planaudit.ingest import ocr_status
from planaudit.ingest._hocr import OcrLine, OcrPage, OcrWord, page_from_hocr, parse_hocr, snap_sizes
from planaudit.ingest._text_quality import text_quality

from _cli import on_a_terminal, one_line_error

from _ocr import PLANS, require_ocr, status_looked_up_again  # noqa: F401 - an autouse fixture
from scanned import VARIANTS, Scan, scan_pdf





# --- hOCR to the page model, without Tesseract ------------------------------------------

_HOCR = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><body>
<div class='ocr_page' title='bbox 0 0 2480 3508'>
 <div class='ocr_carea' title='bbox 250 200 2200 700'><p class='ocr_par'>
  <span class='ocr_header' title='bbox 250 200 900 260; baseline 0 -12; x_size 59'>
   <span class='ocrx_word' title='bbox 250 200 300 260; x_wconf 95'>4</span>
   <span class='ocrx_word' title='bbox 330 200 900 260; x_wconf 95'>Tiltaksplan</span>
  </span>
  <span class='ocr_line' title='bbox 250 300 2100 342; baseline 0 -9; x_size 41'>
   <span class='ocrx_word' title='bbox 250 300 560 342; x_wconf 93'>Fjellbygda</span>
   <span class='ocrx_word' title='bbox 580 300 700 342; x_wconf 91'>følger</span>
   <span class='ocrx_word' title='bbox 720 300 800 342; x_wconf 90'>opp</span>
   <span class='ocrx_word' title='bbox 820 300 880 342; x_wconf 90'>8</span>
   <span class='ocrx_word' title='bbox 900 300 990 342; x_wconf 90'>5-1.</span>
  </span>
  <span class='ocr_line' title='bbox 250 380 2100 422; baseline 0 -9; x_size 42'>
   <span class='ocrx_word' title='bbox 250 380 300 422; x_wconf 60'>«Tre</span>
   <span class='ocrx_word' title='bbox 320 380 500 422; x_wconf 92'>boliger</span>
   <span class='ocrx_word' title='bbox 520 380 540 422; x_wconf 12'>~</span>
   <span class='ocrx_word' title='bbox 1400 380 1420 422; x_wconf 80'>|</span>
   <span class='ocrx_word' title='bbox 1500 380 1800 422; x_wconf 92'>|Eiendom</span>
  </span>
 </p></div>
 <div class='ocr_separator' title='bbox 240 360 2210 362'></div>
 <div class='ocr_photo' title='bbox 1200 800 2000 1400'></div>
</div></body></html>"""


def test_hocr_lines_and_words_are_read_in_tesseracts_order() -> None:
    page = parse_hocr(_HOCR.encode())
    assert [[word.text for word in line.words] for line in page.lines] == [
        ["4", "Tiltaksplan"], ["Fjellbygda", "følger", "opp", "8", "5-1."], ["«Tre", "boliger", "Eiendom"]]


def test_a_grid_line_read_as_a_bar_is_dropped_and_its_box_narrowed() -> None:
    words = parse_hocr(_HOCR.encode()).lines[2].words
    eiendom = next(word for word in words if word.text == "Eiendom")
    assert eiendom.left > 1500  # the box no longer takes in the border before the word
    assert "|" not in [word.text for word in words] and "~" not in [word.text for word in words]


def test_an_ocr_page_reads_as_the_pdf_reader_reads_a_text_layer() -> None:
    page = parse_hocr(_HOCR.encode())
    laid_out = page_from_hocr(page, 3, 595.0, 842.0, 300.0, snap_sizes([page.lines], 300.0))
    texts = [line.text for line in laid_out.lines]
    assert texts[0] == "4 Tiltaksplan"
    assert texts[1] == "Fjellbygda følger opp § 5-1."  # the section sign Tesseract read as 8
    assert texts[2].startswith("• Tre boliger")  # a bullet read as an opening quotation mark
    assert laid_out.lines[0].size > laid_out.lines[1].size * 1.3  # the heading stays larger
    assert laid_out.lines[1].size == laid_out.lines[2].size  # 41 and 42 px rows are one size
    assert len(laid_out.lines[2].column_groups) == 2  # "Eiendom" stands in its own column
    assert laid_out.lines[0].top > laid_out.lines[1].top  # points, y upwards


@given(st.binary(max_size=3000))
@settings(max_examples=150, deadline=None)
def test_hocr_parser_never_crashes_on_bytes(data: bytes) -> None:
    page = parse_hocr(data)
    assert isinstance(page, OcrPage)


_WORD = st.builds(OcrWord, st.text(max_size=12), st.floats(-50, 3000), st.floats(-50, 4000), st.floats(-50, 3000),
                  st.floats(-50, 4000), st.floats(0, 100))


@given(st.lists(st.builds(OcrLine, st.lists(_WORD, min_size=1, max_size=6).map(tuple), st.floats(0, 3500),
                          st.floats(0, 3500), st.floats(1, 300)), max_size=12))
@settings(max_examples=150, deadline=None)
def test_any_ocr_lines_lay_out_without_crashing(lines: list[OcrLine]) -> None:
    page = OcrPage(tuple(lines))
    laid_out = page_from_hocr(page, 1, 595.0, 842.0, 300.0, snap_sizes([page.lines], 300.0))
    assert all(line.text.strip() for line in laid_out.lines)


# --- which pages need OCR ------------------------------------------------------------------

_PROSE = ("Kommunen skal skaffe flere utleieboliger til vanskeligstilte innen utgangen av 2027. "
          "Tildelingskontoret har ansvaret, og tiltaket koster 1,2 mill. kroner i året.")


def test_prose_and_a_table_of_figures_are_usable_text() -> None:
    assert text_quality(_PROSE).usable
    figures = "Utleieboliger 2024 2025 2026\n" + "\n".join(f"Sone {n} 184 190 196 12 000" for n in range(1, 20))
    assert text_quality(figures).usable


@pytest.mark.parametrize("text", [
    "",
    "12",
    "Side 4",
])
def test_a_page_without_letters_has_no_text_layer(text: str) -> None:
    quality = text_quality(text)
    assert quality.missing and not quality.usable


@pytest.mark.parametrize("text", [
    "Qxrtzk pmvnbl ghjkd srtvwx znpqlm bcdfgh klmnpr stvwxz " * 6,  # a font without a usable character map
    "\ufffd\ufffd\ufffd ab\ufffdcd \ufffd\ufffdefgh\ufffd " * 10,  # replacement characters
    "!\"#$%&'()*+,-./:;<=>? ab !\"#$%&'()*+,-./ cd " * 10,  # glyph numbers as punctuation
])
def test_a_garbage_text_layer_is_not_usable(text: str) -> None:
    quality = text_quality(text)
    assert quality.garbage and not quality.usable


@given(st.text(max_size=2000))
@settings(max_examples=200, deadline=None)
def test_text_quality_never_crashes(text: str) -> None:
    quality = text_quality(text)
    assert quality.letters >= 0


# --- without OCR -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The scanned variants of plan_nb.pdf, and a clean scan of the weak plan."""
    folder = tmp_path_factory.mktemp("skannet")
    made = {}
    for name, scan in VARIANTS.items():
        made[name] = folder / f"plan_nb_{name}.pdf"
        made[name].write_bytes(scan_pdf((PLANS / "plan_nb.pdf").read_bytes(), scan))
    made["weak"] = folder / "plan_svak_nb_clean.pdf"
    made["weak"].write_bytes(scan_pdf((PLANS / "plan_svak_nb.pdf").read_bytes(), Scan()))
    return made


def test_generated_scans_have_no_text_layer_where_pictured(scans: dict[str, Path]) -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(scans["mixed"])
    letters = [sum(char.isalpha() for char in pdf[index].get_textpage().get_text_range()) for index in range(len(pdf))]
    assert [number for number, count in enumerate(letters, start=1) if count < 20] == [2, 7]


def test_scanned_plan_without_ocr_is_one_line_naming_the_option(scans: dict[str, Path]) -> None:
    path = scans["clean"]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    line = one_line_error(CliRunner().invoke(cli, ["check", str(path)]))
    assert line.startswith(f"planaudit: {path}: ") and "--ocr" in line and "tekstlag" in line
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_mixed_plan_without_ocr_warns_which_pages_to_read_with_ocr(scans: dict[str, Path]) -> None:
    report = audit(scans["mixed"])
    warnings = [note.message for note in report.notifications if note.code == "reading.pages_without_text"]
    assert warnings == ["Side 2,7 har ikke noe tekstlag (skannet?) og er ikke revidert; les dem med --ocr"]


def test_garbage_layer_without_ocr_is_named(scans: dict[str, Path]) -> None:
    report = audit(scans["garbage"], lang="en")
    codes = {note.code: note.message for note in report.notifications}
    assert codes["reading.garbled_pages"].startswith("Pages 3 have a text layer that cannot be read")


def test_ocr_asked_for_without_tesseract_is_one_line_naming_what_to_install(scans: dict[str, Path]) -> None:
    ocr_status.cache_clear()  # looked up again, on a PATH without Tesseract
    try:
        result = CliRunner().invoke(cli, ["check", str(scans["clean"]), "--ocr"], env={"PATH": "/nonexistent"})
    finally:
        ocr_status.cache_clear()
    line = one_line_error(result)
    assert "--ocr" in line and "tesseract-ocr-nor" in line


def test_doctor_names_the_ocr_parts(isolated_cwd: Path) -> None:
    result = CliRunner().invoke(cli, ["doctor", "--format", "json"])
    assert result.exit_code == 0, result.output
    parts = {part["name"]: part for part in json.loads(result.output)["parts"]}
    assert {"pytesseract", "tesseract", "tesseract: norsk", "psycopg"} <= set(parts)
    assert parts["tesseract"]["ready"] == ocr_status().ready() or not ocr_status().ready()
    missing = [part for part in parts.values() if not part["ready"] and part["name"] != "tillegg"]
    assert all(part["install"] for part in missing)


# --- with OCR ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text_levels() -> dict[str, dict[str, int]]:
    return {name: {key: score.level for key, score in audit(PLANS / f"{name}.pdf").criteria.items()}
            for name in ("plan_nb", "plan_svak_nb")}


@pytest.fixture(scope="module")
def ocr_reports(scans: dict[str, Path]) -> dict[str, dict]:
    require_ocr()
    result = {}
    for name, path in scans.items():
        runner = CliRunner()
        outcome = runner.invoke(cli, ["check", str(path), "--ocr", "--jobs", "2", "--format", "json"])
        assert outcome.exit_code in (0, 1), outcome.output
        result[name] = json.loads(outcome.stdout)
    return result


@pytest.mark.parametrize("variant", [*VARIANTS, "weak"])
def test_scanned_plan_gets_the_text_versions_levels(variant: str, ocr_reports: dict[str, dict],
                                                    text_levels: dict[str, dict[str, int]]) -> None:
    report = ocr_reports[variant]
    expected = text_levels["plan_svak_nb" if variant == "weak" else "plan_nb"]
    assert {key: value["level"] for key, value in report["criteria"].items()} == expected


def test_findings_on_ocr_pages_say_so(ocr_reports: dict[str, dict]) -> None:
    report = ocr_reports["mixed"]
    located = [finding["location"] for finding in report["findings"] if finding["location"]["page"]]
    assert located, "the mixed plan should have located findings"
    assert all(location["ocr"] == (location["page"] in (2, 7)) for location in located)
    infos = [note["message"] for note in report["notifications"] if note["code"] == "reading.ocr_pages"]
    assert infos == ["Side 2,7 er lest med OCR (Tesseract); kontroller sitatene mot sidebildet"]


def test_a_weak_scanned_plan_quotes_what_the_page_shows(ocr_reports: dict[str, dict]) -> None:
    from rapidfuzz import fuzz

    from planaudit.engine import read_plan

    source = " ".join(read_plan(PLANS / "plan_svak_nb.pdf")[0].text.split())
    quoted = [finding["evidence"] for finding in ocr_reports["weak"]["findings"] if finding["evidence"]]
    assert quoted and all(finding["location"]["ocr"] for finding in ocr_reports["weak"]["findings"]
                          if finding["location"]["page"])
    assert all(fuzz.partial_ratio(" ".join(quote.split()), source) >= 90 for quote in quoted), quoted


def test_the_table_report_marks_ocr_pages(scans: dict[str, Path]) -> None:
    require_ocr()
    result = CliRunner().invoke(cli, ["check", str(scans["weak"]), "--ocr"])
    assert result.exit_code in (0, 1), result.output
    assert "(OCR)" in result.stdout


def test_ocr_text_matches_the_source_text(scans: dict[str, Path]) -> None:
    from rapidfuzz.distance import Levenshtein

    from planaudit.engine import read_plan

    require_ocr()
    source = " ".join(read_plan(PLANS / "plan_nb.pdf")[0].text.split())
    read = " ".join(read_plan(scans["clean"], options=_ocr_options())[0].text.split())
    accuracy = 1 - Levenshtein.distance(source, read) / len(source)
    assert accuracy >= 0.95, accuracy


def test_one_or_two_page_jobs_give_the_same_report(scans: dict[str, Path]) -> None:
    require_ocr()
    outputs = [CliRunner().invoke(cli, ["check", str(scans["mixed"]), "--ocr", "-j", jobs, "-f", "json"]).stdout
               for jobs in ("1", "2")]
    assert outputs[0] == outputs[1] and outputs[0]


def _ocr_options():  # noqa: ANN202 - ReadOptions, imported here to keep the module's imports light
    from planaudit.ingest import ReadOptions

    return ReadOptions(ocr=True, jobs=2)


# --- table rules painted out before Tesseract reads a page -----------------------------------


def test_rules_are_painted_out_and_letters_kept() -> None:
    from PIL import Image, ImageDraw

    from planaudit.ingest._page_image import without_rules

    image = Image.new("L", (900, 600), 255)
    draw = ImageDraw.Draw(image)
    draw.line((50, 100, 850, 100), fill=0, width=3)  # a table's row border
    draw.line((400, 50, 400, 550), fill=0, width=2)  # a column border
    draw.rectangle((100, 200, 130, 260), fill=0)  # a letter's stroke: short both ways
    cleaned = without_rules(image, 300)
    assert cleaned.getpixel((600, 100)) == 255 and cleaned.getpixel((400, 300)) == 255
    assert cleaned.getpixel((115, 230)) == 0
    assert image.getpixel((600, 100)) == 0  # the page image given is not changed


@given(st.integers(1, 60), st.integers(1, 60), st.binary(min_size=1, max_size=3600))
@settings(max_examples=60, deadline=None)
def test_rule_removal_never_crashes_on_any_image(width: int, height: int, data: bytes) -> None:
    from PIL import Image

    from planaudit.ingest._page_image import without_rules

    pixels = (data * (width * height // len(data) + 1))[: width * height]
    cleaned = without_rules(Image.frombytes("L", (width, height), pixels), 72)
    assert cleaned.size == (width, height)


def test_one_scanned_plan_on_a_terminal_shows_its_pages_being_read(scans: dict[str, Path], tmp_path: Path) -> None:
    require_ocr()
    returncode, shown = on_a_terminal(["check", str(scans["mixed"]), "--ocr", "-f", "json"], tmp_path,
                                      tmp_path / "rapport.json")
    assert returncode in (0, 1), shown
    assert "Leser sider med OCR" in shown and "2/2" in shown  # the mixed plan's two scanned pages
    assert "Reviderer" not in shown  # no bar counting one plan
    assert json.loads((tmp_path / "rapport.json").read_text(encoding="utf-8"))["plan"]["measures"] > 0
