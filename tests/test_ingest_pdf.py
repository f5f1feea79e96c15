"""The PDF reader on PDFs built here with reportlab: headings from font size, tables from
borders and alignment, running headers and footers, hyphenation, pages, and broken files."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from planaudit.cli import cli
from planaudit.ingest import PdfReader, Source
from planaudit.model import BlockKind, Document

reportlab = pytest.importorskip("reportlab")
from reportlab.lib import colors, pdfencrypt  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402

TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=12)
CHAPTER = ParagraphStyle("chapter", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceBefore=12, spaceAfter=6)
SECTION = ParagraphStyle("section", fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=4)
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=8)
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11)
PROSE = ("Kommunen skal sørge for at flere vanskeligstilte får en trygg og god bolig, og at de som "
         "leier kommunal bolig, får tilbud om oppfølging i hjemmet når de trenger det. ") * 3


def _running(canv: canvas.Canvas, doc: SimpleDocTemplate) -> None:
    canv.setFont("Helvetica", 8)
    canv.drawString(60, 810, "Lindvik kommune – Boligsosial handlingsplan 2026–2029")
    canv.drawString(500, 30, f"side {doc.page}")


def _measure_table(bordered: bool = True) -> Table:
    rows = [["Nr", "Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad"]]
    rows += [[f"2.{n}", Paragraph("Etablere et boligsosialt team med faste møter og oppfølging i hjemmet", CELL),
              Paragraph("NAV Lindvik og tildelingskontoret", CELL), "2. kvartal 2027", "kr 500 000"]
             for n in (1, 2, 3)]
    table = Table(rows, colWidths=[30, 190, 120, 80, 70])
    style = [("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("FONTSIZE", (0, 0), (-1, -1), 9)]
    if bordered:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    table.setStyle(TableStyle(style))
    return table


def _plan_pdf(path: Path, bordered: bool = True) -> Path:
    story = [Paragraph("Boligsosial handlingsplan 2026–2029", TITLE), Paragraph(PROSE, BODY), PageBreak(),
             Paragraph("1 Innledning", CHAPTER), Paragraph(PROSE, BODY),
             Paragraph("1.1 Bakgrunn", SECTION), Paragraph(PROSE, BODY), PageBreak(),
             Paragraph("2 Tiltak", CHAPTER), Paragraph("• Et tiltak i en punktliste", BODY),
             _measure_table(bordered), PageBreak(),
             Paragraph("3 Oppfølging", CHAPTER), Paragraph(PROSE, BODY), PageBreak(),
             Paragraph("4 Vedlegg", CHAPTER), Paragraph(PROSE, BODY)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=_running, onLaterPages=_running)
    return path


def _read(path: Path) -> Document:
    return PdfReader().read(Source(str(path), path.read_bytes()))


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return _read(_plan_pdf(tmp_path_factory.mktemp("pdf") / "plan.pdf"))


def test_headings_come_from_font_size_with_levels_by_size(plan: Document) -> None:
    headings = [(block.level, block.text) for block in plan.blocks if block.kind is BlockKind.heading]
    assert headings == [(1, "Boligsosial handlingsplan 2026–2029"), (2, "1 Innledning"), (3, "1.1 Bakgrunn"),
                        (2, "2 Tiltak"), (2, "3 Oppfølging"), (2, "4 Vedlegg")]


def test_blocks_know_page_and_section_path(plan: Document) -> None:
    background = next(block for block in plan.blocks if block.location.section[-1:] == ("1.1 Bakgrunn",)
                      and block.kind is BlockKind.paragraph)
    assert background.location.page == 2
    assert background.location.section == ("Boligsosial handlingsplan 2026–2029", "1 Innledning", "1.1 Bakgrunn")
    assert plan.pages == 5


def test_bordered_table_becomes_rows_and_cells(plan: Document) -> None:
    table = next(block for block in plan.blocks if block.kind is BlockKind.table)
    assert table.rows[0] == ("Nr", "Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad")
    assert len(table.rows) == 4
    assert table.rows[1] == ("2.1", "Etablere et boligsosialt team med faste møter og oppfølging i hjemmet",
                             "NAV Lindvik og tildelingskontoret", "2. kvartal 2027", "kr 500 000")
    assert table.location.page == 3 and table.location.section[-1] == "2 Tiltak"


def test_table_without_borders_is_found_by_alignment(tmp_path: Path) -> None:
    document = _read(_plan_pdf(tmp_path / "plain.pdf", bordered=False))
    table = next(block for block in document.blocks if block.kind is BlockKind.table)
    assert table.rows[0] == ("Nr", "Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad")
    assert [row[0] for row in table.rows[1:]] == ["2.1", "2.2", "2.3"]
    assert table.rows[3][2] == "NAV Lindvik og tildelingskontoret"


def test_running_header_footer_and_page_numbers_are_left_out(plan: Document) -> None:
    assert "Lindvik kommune – Boligsosial" not in plan.text
    assert not any(block.text.startswith("side ") for block in plan.blocks)


def test_bullets_become_list_items(plan: Document) -> None:
    assert any(block.kind is BlockKind.list_item and block.text == "Et tiltak i en punktliste"
               for block in plan.blocks)


def test_words_hyphenated_at_line_end_are_joined(tmp_path: Path) -> None:
    path = tmp_path / "hyphen.pdf"
    canv = canvas.Canvas(str(path), pagesize=A4)
    canv.setFont("Helvetica", 11)
    lines = ["Kommunen har lenge arbeidet med det bolig-", "sosiale feltet sammen med NAV, og plan- og",
             "bygningsloven krever medvirkning fra innbyggerne."]
    for offset, line in enumerate(lines):
        canv.drawString(72, 700 - 14 * offset, line)
    canv.save()
    text = _read(path).text
    assert "det boligsosiale feltet" in text
    assert "plan- og bygningsloven" in text


def test_owner_password_only_is_read(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    canv = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("", ownerPassword="eier", canPrint=0))
    canv.drawString(72, 700, "Boligsosial handlingsplan for Lindvik kommune med mål og tiltak for perioden")
    canv.save()
    assert "Lindvik kommune" in _read(path).text


def _make_encrypted(path: Path) -> None:
    canv = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("hemmelig"))
    canv.drawString(72, 700, "Boligsosial handlingsplan")
    canv.save()


def _make_scanned(path: Path) -> None:
    from PIL import Image, ImageDraw

    image_path = path.with_suffix(".png")
    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((40, 40), "Boligsosial handlingsplan 2026-2029", fill="black")
    image.save(image_path)
    canv = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        canv.drawImage(str(image_path), 0, 0, 595, 842)
        canv.showPage()
    canv.save()


def _make_truncated(path: Path) -> None:
    _plan_pdf(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(("maker", "cause"), [
    (_make_encrypted, "passordbeskyttet"),
    (_make_scanned, "ikke noe tekstlag"),
    (_make_truncated, "skadet eller avkortet"),
])
def test_broken_pdfs_give_one_line_exit_2_and_stay_unchanged(tmp_path: Path, maker, cause: str) -> None:
    path = tmp_path / "plan.pdf"
    maker(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and cause in lines[0]
    assert "Traceback" not in result.output
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_scanned_pdf_message_suggests_ocr(tmp_path: Path) -> None:
    path = tmp_path / "skannet.pdf"
    _make_scanned(path)
    result = CliRunner().invoke(cli, ["check", "--lang", "en", str(path)])
    assert result.exit_code == 2 and "OCR" in result.stderr


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path) -> None:
    path = _plan_pdf(tmp_path / "plan.pdf")
    renamed = tmp_path / "plan.docx"
    renamed.write_bytes(path.read_bytes())
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(renamed)])
    assert result.exit_code in (0, 1), result.output
    assert '"format": "pdf"' in result.output


def test_a_table_going_on_over_the_page_keeps_its_header(tmp_path: Path) -> None:
    rows = [["Nr", "Tiltak", "Ansvarlig", "Tidsfrist"]]
    rows += [[f"1.{n}", f"Tiltak nummer {n} for flere utleieboliger", "Eiendomsavdelingen", f"{2026 + n % 3}"]
             for n in range(1, 80)]
    table = Table(rows, colWidths=[40, 220, 120, 70])  # no repeatRows: the header is not repeated
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    path = tmp_path / "lang_tabell.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph("5 Tiltak", CHAPTER), table])
    tables = [block for block in _read(path).blocks if block.kind is BlockKind.table]
    assert len(tables) >= 2 and tables[1].location.page == 2
    assert all(block.rows[0] == ("Nr", "Tiltak", "Ansvarlig", "Tidsfrist") for block in tables)
    assert sum(len(block.rows) - 1 for block in tables) == 79


def test_a_page_in_two_columns_is_read_column_by_column(tmp_path: Path) -> None:
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate

    width, height = A4
    path = tmp_path / "to_spalter.pdf"
    doc = BaseDocTemplate(str(path), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=[
        Frame(50, height - 120, width - 100, 60, id="title"),
        Frame(50, 60, (width - 100) / 2 - 10, height - 190, id="left"),
        Frame(width / 2 + 10, 60, (width - 100) / 2 - 10, height - 190, id="right"),
    ])])
    story = [Paragraph("Boligsosial handlingsplan 2026–2029", TITLE), FrameBreak()]
    for number in range(1, 9):
        story += [Paragraph(f"{number} Innsatsområde {number}", CHAPTER),
                  Paragraph(f"Avsnitt {number}. " + PROSE, BODY)]
    doc.build(story)
    document = _read(path)
    paragraphs = [block.text for block in document.blocks if block.kind is BlockKind.paragraph]
    assert [text.split(".")[0] for text in paragraphs if text.startswith("Avsnitt")] == \
        [f"Avsnitt {number}" for number in range(1, 9)]
    chapter_of = {block.location.section[-1] for block in document.blocks if block.text.startswith("Avsnitt 5")}
    assert chapter_of == {"5 Innsatsområde 5"}


def test_word_sized_headings_count_and_a_larger_paragraph_stays_a_paragraph(tmp_path: Path) -> None:
    """Word's defaults: 11 pt text, headings 16/13/12 pt; an introduction set in 12 pt is text."""
    styles = [ParagraphStyle(f"h{size}", fontName="Helvetica", fontSize=size, leading=size * 1.3, spaceBefore=8)
              for size in (16, 13, 12)]
    body = ParagraphStyle("body11", fontName="Helvetica", fontSize=11, leading=14, spaceAfter=8)
    intro = ParagraphStyle("intro12", fontName="Helvetica", fontSize=12, leading=15, spaceAfter=8)
    path = tmp_path / "word.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph("2 Mål og strategier", styles[0]), Paragraph(PROSE, body),
        Paragraph("2.1 Hovedmål", styles[1]), Paragraph(PROSE, body),
        Paragraph("Ventetid på kommunal bolig", styles[2]), Paragraph(PROSE, body),
        Paragraph("Kommunen vil at alle skal bo trygt. " * 6, intro), Paragraph(PROSE, body), Paragraph(PROSE, body),
    ])
    blocks = _read(path).blocks
    headings = [(block.level, block.text) for block in blocks if block.kind is BlockKind.heading]
    assert headings == [(1, "2 Mål og strategier"), (2, "2.1 Hovedmål"), (3, "Ventetid på kommunal bolig")]
    assert any(block.kind is BlockKind.paragraph and block.text.startswith("Kommunen vil at alle") for block in blocks)


def test_pages_without_text_in_a_digital_pdf_are_named_in_a_warning(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    from planaudit import audit

    path = tmp_path / "blandet.pdf"
    canv = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, 5):
        if page == 3:
            canv.drawImage(ImageReader(Image.new("L", (300, 400), 200)), 0, 0, 595, 842)
        else:
            canv.setFont("Helvetica", 11)
            for line in range(30):
                canv.drawString(72, 760 - 15 * line, f"Kommunen skal følge opp leietakere i kommunale boliger ({line}).")
        canv.showPage()
    canv.save()
    report = audit(path)
    assert report.document.pages == 4
    assert any(note.message.startswith("Side 3 har ikke noe tekstlag") for note in report.notifications)


def test_pdfs_read_from_many_threads_at_once_do_not_crash() -> None:
    """PDFium is not thread-safe; a web server reads uploads in threads. Run in a child
    process, so a crash fails this test instead of ending the test run."""
    import subprocess
    import sys

    formats = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "formats"
    script = (
        "import sys, concurrent.futures as cf\n"
        "from planaudit.ingest import PdfReader, load_source\n"
        "paths = sys.argv[1:] * 8\n"
        "with cf.ThreadPoolExecutor(8) as pool:\n"
        "    pages = list(pool.map(lambda p: PdfReader().read(load_source(p)).pages, paths))\n"
        "print(sorted(set(pages)))\n")
    result = subprocess.run([sys.executable, "-c", script, str(formats / "plan_nb.pdf"), str(formats / "plan_svak_nb.pdf")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "[6, 9]"


def test_text_placed_far_off_the_page_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "langt_ute.pdf"
    canv = canvas.Canvas(str(path), pagesize=A4)
    canv.setFont("Helvetica", 11)
    for line in range(25):
        canv.drawString(72, 760 - 15 * line, f"Kommunen skal følge opp leietakere i kommunale boliger ({line}).")
    canv.drawString(1e9, 400, "Skjult tekst langt utenfor siden")
    canv.save()
    document = _read(path)
    assert "Skjult tekst" not in document.text and "leietakere" in document.text
