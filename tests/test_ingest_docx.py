"""The Word (.docx) reader: what a user sees of a plan written in Word.

Each test builds a small invented Norwegian plan with python-docx (or, for hostile files,
writes the ZIP by hand) and checks a heading, section, list item, table row, page or title a
user would see quoted back in a finding, or the one-line error a broken file gets.
"""
from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls

from planaudit.cli import cli
from planaudit.errors import InputError
from planaudit.extract import extract_plan
from planaudit.ingest import DocxReader, OdtReader, Source
from planaudit.model import Block, BlockKind, Document

# Every test here runs in an empty folder (conftest.isolated_cwd), as the command-line ones need.
pytestmark = pytest.mark.usefixtures("isolated_cwd")

MEASURES = [
    ("Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad"),
    ("Kjøpe 12 boliger spredt i ordinære bomiljøer", "Eiendomsavdelingen", "2025–2027", "kr 42 mill."),
    ("Bo-oppfølgingsteam med 2 årsverk", "Psykisk helse og rus", "2025–2026", "kr 1,6 mill. per år"),
]


# --- building documents -------------------------------------------------------------------


def saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str = "plan.docx") -> Document:
    return DocxReader().read(Source(name, data))


def new_document(title: str | None = None) -> docx.document.Document:
    document = docx.Document()
    document.core_properties.title = title or ""
    return document


def add_table(document: docx.document.Document, rows: list[tuple[str, ...]]) -> docx.table.Table:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    return table


def page_break(document: docx.document.Document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def plan_docx() -> bytes:
    """A short plan as a municipality would write it in Word."""
    document = new_document("Boligsosial handlingsplan 2025–2028")
    document.core_properties.author = "Fjellvik kommune"
    document.add_paragraph("Boligsosial handlingsplan 2025–2028", style="Title")
    document.add_paragraph("Vedtatt i kommunestyret 12.06.2025, sak 45/25.")
    page_break(document)
    document.add_heading("1 Innledning", level=1)
    document.add_paragraph("Fjellvik kommune har fått flere søkere til kommunal bolig og lengre ventetid.")
    document.add_heading("1.1 Bakgrunn og formål", level=2)
    document.add_paragraph("Planen bygger på lov om kommunenes ansvar på det boligsosiale feltet.")
    page_break(document)
    document.add_heading("3 Mål og strategier", level=1)
    document.add_paragraph("Antall bostedsløse skal reduseres fra 17 til 8 personer innen 2027.")
    document.add_paragraph("NAV Fjellvik", style="List Bullet")
    document.add_paragraph("Tildelingskontoret", style="List Bullet")
    document.add_heading("4 Tiltak", level=1)
    add_table(document, MEASURES)
    return saved(document)


def blocks_of(doc: Document, kind: BlockKind) -> list[Block]:
    return [block for block in doc.blocks if block.kind is kind]


def block_with(doc: Document, needle: str) -> Block:
    found = [block for block in doc.blocks if needle in block.text]
    assert found, f"no block contains {needle!r}; blocks: {[b.text for b in doc.blocks]}"
    return found[0]


def minimal_docx(document_xml: bytes | str) -> bytes:
    """A hand-written package: only what Word needs to find the main document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def body_xml(paragraphs: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f"<w:document {W_NS}><w:body>{paragraphs}</w:body></w:document>")


# --- headings and sections ----------------------------------------------------------------


def test_word_headings_open_sections_and_title_is_level_1() -> None:
    doc = read(plan_docx())
    headings = [(block.text, block.level) for block in blocks_of(doc, BlockKind.heading)]
    assert headings == [
        ("Boligsosial handlingsplan 2025–2028", 1),
        ("1 Innledning", 1),
        ("1.1 Bakgrunn og formål", 2),
        ("3 Mål og strategier", 1),
        ("4 Tiltak", 1),
    ]
    assert block_with(doc, "lov om kommunenes ansvar").location.section == ("1 Innledning", "1.1 Bakgrunn og formål")
    goal = block_with(doc, "fra 17 til 8")
    assert goal.kind is BlockKind.paragraph
    assert goal.location.section == ("3 Mål og strategier",)
    assert doc.format == "docx"
    assert doc.title == "Boligsosial handlingsplan 2025–2028"
    assert doc.metadata["author"] == "Fjellvik kommune"


def test_norwegian_style_names_and_outline_levels_make_headings() -> None:
    document = new_document()
    for name in ("Overskrift 1", "Overskrift 2"):
        document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("2 Organisering", style="Overskrift 1")
    document.add_paragraph("2.1 Ansvar", style="Overskrift 2")
    document.add_paragraph("Kommunedirektøren har det overordnede ansvaret.")
    outlined = document.add_paragraph("Vedlegg")  # body style, outline level set by hand
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))
    document.add_paragraph("Oversikt over boliger.")
    doc = read(saved(document))
    assert [(b.text, b.level) for b in blocks_of(doc, BlockKind.heading)] == [
        ("2 Organisering", 1), ("2.1 Ansvar", 2), ("Vedlegg", 1),
    ]
    assert block_with(doc, "overordnede ansvaret").location.section == ("2 Organisering", "2.1 Ansvar")
    assert block_with(doc, "Oversikt over boliger").location.section == ("Vedlegg",)


def test_typed_numbered_heading_in_body_style_still_opens_a_section() -> None:
    document = new_document()
    document.add_paragraph("5 Oppfølging og rullering")
    document.add_paragraph("Planen rulleres hvert fjerde år.")
    doc = read(saved(document))
    assert block_with(doc, "rulleres").location.section == ("5 Oppfølging og rullering",)


def test_table_of_contents_entries_are_not_headings() -> None:
    document = new_document()
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("1 Innledning\t3", style="toc 1")
    document.add_paragraph("3 Mål og strategier\t7", style="toc 1")
    document.add_heading("1 Innledning", level=1)
    document.add_paragraph("Planen gjelder for 2025–2028.")
    doc = read(saved(document))
    assert [b.text for b in blocks_of(doc, BlockKind.heading)] == ["1 Innledning"]
    assert block_with(doc, "Mål og strategier 7").kind is BlockKind.paragraph


def test_automatically_numbered_headings_show_their_numbers() -> None:
    """Word draws "3.1" from numbering.xml; the text holds only "Mål"."""
    document = new_document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level in (1, 2):
        properties = document.styles[f"Heading {level}"].element.get_or_add_pPr()
        properties.append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="90"/></w:numPr>'))
    document.add_heading("Innledning", level=1)
    document.add_heading("Bakgrunn", level=2)
    document.add_heading("Mål og strategier", level=1)
    document.add_heading("Mål", level=2)
    document.add_paragraph("Ingen skal være bostedsløse.")
    doc = read(saved(document))
    assert [b.text for b in blocks_of(doc, BlockKind.heading)] == [
        "1 Innledning", "1.1 Bakgrunn", "2 Mål og strategier", "2.1 Mål",
    ]
    assert block_with(doc, "bostedsløse").location.section == ("2 Mål og strategier", "2.1 Mål")


# --- lists ----------------------------------------------------------------------------------


def test_bullet_and_numbered_lists_give_one_item_each() -> None:
    document = new_document()
    document.add_heading("2.1 Arbeidsgruppen", level=2)
    document.add_paragraph("Arbeidsgruppen har disse medlemmene:")
    document.add_paragraph("NAV Fjellvik", style="List Bullet")
    document.add_paragraph("Tildelingskontoret", style="List Bullet")
    document.add_paragraph("Kartlegge behovet", style="List Number")
    document.add_paragraph("Kjøpe boliger", style="List Number")
    document.styles.add_style("Listeavsnitt", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Flyktningtjenesten", style="Listeavsnitt")
    doc = read(saved(document))
    items = [block.text for block in blocks_of(doc, BlockKind.list_item)]
    assert items == ["NAV Fjellvik", "Tildelingskontoret", "1. Kartlegge behovet", "2. Kjøpe boliger",
                     "Flyktningtjenesten"]
    assert all(block.location.section == ("2.1 Arbeidsgruppen",) for block in blocks_of(doc, BlockKind.list_item))
    assert block_with(doc, "disse medlemmene").kind is BlockKind.paragraph


def test_paragraph_numbered_directly_is_a_list_item_and_num_id_0_is_not() -> None:
    document = new_document()
    item = document.add_paragraph("Økonomisk rådgivning")
    item._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))
    plain = document.add_paragraph("Ikke et punkt", style="List Bullet")
    plain._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))
    doc = read(saved(document))
    assert block_with(doc, "Økonomisk rådgivning").kind is BlockKind.list_item
    # numId 0 switches the style's bullets off, but the list style still marks an item
    assert block_with(doc, "Ikke et punkt").kind is BlockKind.list_item


# --- tables ---------------------------------------------------------------------------------


def test_measure_table_becomes_one_table_block_with_header_first() -> None:
    doc = read(plan_docx())
    [table] = blocks_of(doc, BlockKind.table)
    assert table.rows == tuple(MEASURES)
    assert table.text.splitlines()[0] == "Tiltak | Ansvarlig | Tidsfrist | Kostnad"
    assert table.location.section == ("4 Tiltak",)
    assert table.location.page == 3


def test_merged_cells_appear_once_and_empty_rows_are_skipped() -> None:
    document = new_document()
    table = add_table(document, [
        ("Hovedmål 1: Flere skal eie egen bolig", "", ""),
        ("1.1 Startlån til leietakere", "Tildelingskontoret", "2025"),
        ("", "", ""),
        ("1.2 Leie-til-eie", "Eiendomsavdelingen", "2026"),
    ])
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Hovedmål 1: Flere skal eie egen bolig"
    doc = read(saved(document))
    [block] = blocks_of(doc, BlockKind.table)
    assert block.rows == (
        ("Hovedmål 1: Flere skal eie egen bolig",),
        ("1.1 Startlån til leietakere", "Tildelingskontoret", "2025"),
        ("1.2 Leie-til-eie", "Eiendomsavdelingen", "2026"),
    )


def test_cell_paragraphs_and_nested_tables_are_flattened_into_the_cell() -> None:
    document = new_document()
    table = add_table(document, [("Tiltak", "Kostnad"), ("Housing First", "")])
    cost = table.cell(1, 1)
    cost.text = "kr 4,2 mill."
    cost.add_paragraph("investeringstilskudd fra Husbanken")
    inner = cost.add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "2025"
    inner.cell(0, 1).text = "2026"
    doc = read(saved(document))
    [block] = blocks_of(doc, BlockKind.table)
    assert block.rows[1] == ("Housing First", "kr 4,2 mill. investeringstilskudd fra Husbanken 2025 2026")


# --- pages ----------------------------------------------------------------------------------


def test_hard_page_breaks_give_pages() -> None:
    doc = read(plan_docx())
    assert block_with(doc, "Vedtatt i kommunestyret").location.page == 1
    assert block_with(doc, "1 Innledning").location.page == 2
    assert block_with(doc, "3 Mål og strategier").location.page == 3
    assert doc.pages == 3


def test_break_inside_a_paragraph_moves_the_text_after_it() -> None:
    document = new_document()
    paragraph = document.add_paragraph("Slutten av kapittel 1.")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Dette står på side 2.")
    doc = read(saved(document))
    assert block_with(doc, "kapittel 1").location.page == 1
    assert block_with(doc, "side 2").location.page == 2


def test_page_break_before_and_section_breaks_start_pages() -> None:
    document = new_document()
    document.add_paragraph("Forside.")
    chapter = document.add_paragraph("2 Organisering")
    chapter.paragraph_format.page_break_before = True
    document.add_paragraph("Arbeidsgruppen.")
    document.add_section(WD_SECTION.NEW_PAGE)
    document.add_paragraph("Vedlegg 1.")
    document.add_section(WD_SECTION.CONTINUOUS)
    document.add_paragraph("Vedlegg 2 på samme side.")
    doc = read(saved(document))
    assert block_with(doc, "Forside").location.page == 1
    assert block_with(doc, "2 Organisering").location.page == 2
    assert block_with(doc, "Vedlegg 1").location.page == 3
    assert block_with(doc, "Vedlegg 2").location.page == 3
    assert doc.pages == 3


def test_word_layout_page_marks_win_over_explicit_breaks() -> None:
    """Word records each page start at its last layout, hard breaks included: a hard break
    followed by Word's mark is one page turn, and pages that merely filled up count too."""
    document = new_document()
    document.add_paragraph("Side 1.")
    page_break(document)
    for text in ("Side 2.", "Side 3, fylt opp av lang tekst."):
        run = document.add_paragraph().add_run()
        run._r.append(OxmlElement("w:lastRenderedPageBreak"))
        run.add_text(text)
    doc = read(saved(document))
    assert [block_with(doc, f"Side {n}").location.page for n in (1, 2, 3)] == [1, 2, 3]
    assert doc.pages == 3


def test_document_without_breaks_has_one_page() -> None:
    document = new_document()
    document.add_paragraph("Kort notat om boligbehovet.")
    assert read(saved(document)).pages == 1


# --- what is not text -------------------------------------------------------------------------


def test_tracked_deletions_and_comments_are_not_text_but_insertions_are() -> None:
    document = new_document()
    paragraph = document.add_paragraph("Kommunen skal ")
    change = 'w:author="Kari" w:date="2025-01-10T10:00:00Z"'
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="1" {change}><w:r><w:delText>selge 5 boliger</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="2" {change}><w:r><w:t>kjøpe 12 boliger</w:t></w:r></w:ins>'))
    commented = document.add_paragraph("Kostnaden er kr 42 mill.")
    document.add_comment(commented.runs, text="Sjekk beløpet med økonomi", author="Ola")
    doc = read(saved(document))
    assert block_with(doc, "Kommunen skal").text == "Kommunen skal kjøpe 12 boliger"
    assert "selge" not in doc.text
    assert "Sjekk beløpet" not in doc.text


def test_text_box_is_read_once_after_its_paragraph() -> None:
    """Word stores a text box twice: as a drawing, and as VML for old readers."""
    box = "<w:txbxContent><w:p><w:r><w:t>Faktaboks: 212 kommunale boliger.</w:t></w:r></w:p></w:txbxContent>"
    paragraph = (
        '<w:p><w:r><w:t xml:space="preserve">Oversikt </w:t></w:r><w:r>'
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        f"<mc:Choice Requires=\"wps\"><w:drawing><wps:txbx xmlns:wps=\"urn:x\">{box}</wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:textbox xmlns:v=\"urn:schemas-microsoft-com:vml\">{box}</v:textbox></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>over boliger.</w:t></w:r></w:p>"
    )
    doc = read(minimal_docx(body_xml(paragraph)))
    assert [block.text for block in doc.blocks] == ["Oversikt over boliger.", "Faktaboks: 212 kommunale boliger."]


def test_undefined_heading_style_id_still_makes_a_heading() -> None:
    paragraph = ('<w:p><w:pPr><w:pStyle w:val="Overskrift1"/></w:pPr><w:r><w:t>Innledning</w:t></w:r></w:p>'
                 "<w:p><w:r><w:t>Planen gjelder 2025–2028.</w:t></w:r></w:p>")
    doc = read(minimal_docx(body_xml(paragraph)))
    assert block_with(doc, "2025–2028").location.section == ("Innledning",)


def test_title_falls_back_to_title_style_and_properties_give_metadata() -> None:
    document = new_document()  # no title in the file's properties
    document.core_properties.author = "Kari Nordmann"
    document.add_paragraph("Temaplan for boligutvikling", style="Title")
    document.add_paragraph("Innhold følger.")
    doc = read(saved(document))
    assert doc.title == "Temaplan for boligutvikling"
    assert doc.metadata["author"] == "Kari Nordmann"
    assert doc.metadata["created"].startswith("20")


def test_package_without_properties_has_no_invented_title() -> None:
    doc = read(minimal_docx(body_xml("<w:p><w:r><w:t>Planen gjelder 2025–2028.</w:t></w:r></w:p>")))
    assert doc.title is None
    assert doc.metadata == {}
    assert doc.text == "Planen gjelder 2025–2028."


def test_sniff_tells_docx_from_odt_and_garbage() -> None:
    reader = DocxReader()
    assert reader.sniff(Source("plan.bin", plan_docx())) == 2
    assert reader.sniff(Source("plan.bin", b"PK\x03\x04 not really a zip")) == 0
    assert reader.sniff(Source("plan.bin", b"\x00" * 10)) == 0
    assert reader.sniff(Source("plan.docx", b"PK\x03\x04 truncated")) == 1
    assert OdtReader().sniff(Source("plan.odt", plan_docx())) == 1  # by name only; docx is sure


def test_document_without_text_is_refused() -> None:
    document = new_document()
    document.add_paragraph("")
    with pytest.raises(InputError, match="ingen tekst"):
        read(saved(document))


# --- the command line -------------------------------------------------------------------------


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def test_cli_checks_a_docx_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(plan_docx())
    result = run("check", path)
    assert result.exit_code == 0, result.output
    assert "Poengsum" in result.stdout
    report = json.loads(run("check", path, "--format", "json").stdout)
    assert report["document"]["format"] == "docx"
    assert report["document"]["pages"] == 3


def truncated(tmp_path: Path) -> bytes:
    data = plan_docx()
    return data[: len(data) // 2]


def not_a_docx(tmp_path: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def external_entity(tmp_path: Path) -> bytes:
    prolog = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return minimal_docx(body_xml("<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", prolog))


def billion_laughs(tmp_path: Path) -> bytes:
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    return minimal_docx(body_xml("<w:p><w:r><w:t>&j;</w:t></w:r></w:p>", f"<!DOCTYPE w:document [{entities}]>"))


def ole2_container(tmp_path: Path) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000


def empty_file(tmp_path: Path) -> bytes:
    return b""


HOSTILE = {
    "truncated": (truncated, "skadet"),
    "zip that is not a docx": (not_a_docx, "DOCX"),
    "external entity": (external_entity, "entitetsdeklarasjoner"),
    "billion laughs": (billion_laughs, "entitetsdeklarasjoner"),
    "OLE2 (password or .doc)": (ole2_container, "passordbeskyttet"),
    "0 bytes": (empty_file, "tom"),
}


def assert_refused(path: Path, cause: str) -> str:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run("check", path)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and cause in lines[0], lines[0]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return lines[0]


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_docx_is_one_line_and_exit_2(case: str, tmp_path: Path) -> None:
    make, cause = HOSTILE[case]
    path = tmp_path / "plan.docx"
    path.write_bytes(make(tmp_path))
    assert_refused(path, cause)


def test_entity_file_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("PASSORD-123")
    prolog = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    with pytest.raises(InputError) as caught:
        read(minimal_docx(body_xml("<w:p><w:r><w:t>&x;</w:t></w:r></w:p>", prolog)))
    assert "PASSORD" not in str(caught.value)


def test_picture_with_its_own_doctype_is_not_refused() -> None:
    """Only the parts python-docx parses are checked: an SVG picture may carry a DOCTYPE."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.replace(
            "<Override", '<Default Extension="svg" ContentType="image/svg+xml"/><Override', 1))
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", body_xml("<w:p><w:r><w:t>Kart over boligområder.</w:t></w:r></w:p>"))
        archive.writestr("word/media/kart.svg", '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>')
    assert read(buffer.getvalue()).text == "Kart over boligområder."


def test_damaged_packages_only_ever_raise_input_error() -> None:
    """Random damage to a real plan: the reader reads it or names the cause, nothing else."""
    rng = random.Random(2025)
    original = plan_docx()
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    for _ in range(40):
        damaged = dict(members)
        name = rng.choice([name for name in members if name.endswith(".xml")])
        text = damaged[name]
        start = rng.randrange(len(text))
        damaged[name] = text[:start] + text[start + rng.randint(1, 300):]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for member, data in damaged.items():
                archive.writestr(member, data)
        data = buffer.getvalue()
        flipped = bytearray(original)
        for _ in range(10):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        for candidate in (data, bytes(flipped)):
            try:
                read(candidate)
            except InputError:
                pass


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    """~300 MB of spaces in document.xml, a few hundred KB on disk."""
    path = tmp_path / "bombe.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f"<w:document {W_NS}><w:body><w:p><w:r><w:t>".encode())
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert path.stat().st_size < 5 * 1024 * 1024
    started = time.perf_counter()
    line = assert_refused(path, "ZIP-bombe")
    assert time.perf_counter() - started < 2.0, line


# --- bounded memory and time, whatever the ZIP declares ---------------------------------------


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A ZIP written byte by byte: (name, stored bytes, method, declared size, CRC) per member,
    so that a member may declare any size it likes."""
    local, central = bytearray(), bytearray()
    for name, data, method, size, crc in members:
        encoded = name.encode()
        central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, 0, method, 0, 33, crc,
                               len(data), size, len(encoded), 0, 0, 0, 0, 0, len(local)) + encoded
        local += struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, method, 0, 33, crc,
                             len(data), size, len(encoded), 0) + encoded + data
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(local), 0)
    return bytes(local + central + end)


def deflated_spaces(megabytes: int) -> bytes:
    """A deflate stream of that many megabytes of spaces, a kilobyte per megabyte, made in no
    time: after a full flush the same input compresses to the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(b" " * 2**20) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()


def stored(name: str, text: str) -> tuple[str, bytes, int, int, int]:
    data = text.encode()
    return name, data, zipfile.ZIP_STORED, len(data), zlib.crc32(data)


def check_in_one_gib(path: Path) -> subprocess.CompletedProcess[str]:
    """`planaudit check` in a process that may take 1 GiB of address space at most."""
    resource = pytest.importorskip("resource")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    return subprocess.run([sys.executable, "-m", "planaudit", "check", str(path)], preexec_fn=limit,
                          capture_output=True, text=True, timeout=120, check=False)


def assert_refused_in_one_gib(path: Path, cause: str) -> None:
    result = check_in_one_gib(path)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and cause in lines[0], result.stderr[-2000:]
    assert "MemoryError" not in lines[0] and "intern feil" not in lines[0], lines[0]


def test_member_larger_than_declared_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """A picture that declares 2,000 bytes and inflates to 1.1 GB: zipfile, and so python-docx,
    would ask zlib for all of it at once before looking at the declared size."""
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId9" Target="media/bilde.png" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/></Relationships>')
    path = tmp_path / "plan.docx"
    path.write_bytes(raw_zip([
        stored("[Content_Types].xml", CONTENT_TYPES.replace(
            "<Override", '<Default Extension="png" ContentType="image/png"/><Override', 1)),
        stored("_rels/.rels", PACKAGE_RELS),
        stored("word/document.xml", body_xml("<w:p><w:r><w:t>Boligsosial handlingsplan</w:t></w:r></w:p>")),
        stored("word/_rels/document.xml.rels", rels),
        ("word/media/bilde.png", deflated_spaces(1100), zipfile.ZIP_DEFLATED, 2000, 0),
    ]))
    assert path.stat().st_size < 2 * 1024 * 1024
    assert_refused_in_one_gib(path, "ZIP-bombe")
    started = time.perf_counter()
    assert "større enn de oppgitte 2000 byte" in assert_refused(path, "ZIP-bombe")
    assert time.perf_counter() - started < 3.0


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_member_packed_with_another_method_than_deflate_is_refused(method: int, tmp_path: Path) -> None:
    """bzip2 and LZMA unpack without a bound per step; Word never writes them."""
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", body_xml("<w:p><w:r><w:t>Plan</w:t></w:r></w:p>"), method)
    assert "metode som ikke støttes" in assert_refused(path, "DOCX")


def many_entries(entries: int, end: str) -> bytes:
    """One tiny member and a central directory of `entries` entries, its end record honest
    ("zip64"), saying 65,535 ("classic") or understating the count as 1 ("understated")."""
    local = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
    entry = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)
    directory = (entry + b"a") * entries
    if end == "zip64":
        record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries,
                             len(directory), len(local))
        locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(local) + len(directory), 1)
        return local + directory + record + locator + struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    count = 0xFFFF if end == "classic" else 1
    return local + directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(local), 0)


@pytest.mark.parametrize("end", ["classic", "zip64", "understated"])
def test_huge_central_directory_is_refused_from_its_end_record(end: str, tmp_path: Path) -> None:
    """600,000 entries, 28 MB: parsing the directory takes seconds and hundreds of MB each
    time; the end record says what it is before one entry is read."""
    data = many_entries(600_000, end)
    path = tmp_path / "plan.docx"
    path.write_bytes(data)
    started = time.perf_counter()
    assert DocxReader().sniff(Source("plan.bin", data)) == 0
    assert OdtReader().sniff(Source("plan.bin", data)) == 0
    assert_refused(path, "ZIP-bombe")
    assert time.perf_counter() - started < 3.0


# --- list labels -------------------------------------------------------------------------------


def test_list_labels_stay_short_whatever_numbering_xml_says() -> None:
    """A template of 200,000 "%1" expanded for every numbered paragraph, and start values of
    10^20 in letters and roman numerals: labels are cut, absurd starts ignored."""
    document = new_document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{"%1" * 200_000}"/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="{10**20}"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%3."/></w:lvl>'
        f'<w:lvl w:ilvl="3"><w:start w:val="-5"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%4)"/></w:lvl>'
        "</w:abstractNum>"))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/>'
        f'<w:lvlOverride w:ilvl="2"><w:startOverride w:val="{10**20}"/></w:lvlOverride>'
        f'<w:lvlOverride w:ilvl="99999999"><w:startOverride w:val="3"/></w:lvlOverride></w:num>'))
    for _ in range(100):
        for ilvl, text in enumerate(("Kartlegge behovet", "Kjøpe boliger", "Følge opp", "Rapportere")):
            paragraph = document.add_paragraph(text)
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="91"/></w:numPr>'))
    data = saved(document)
    started = time.perf_counter()
    items = [block.text for block in blocks_of(read(data), BlockKind.list_item)]
    assert time.perf_counter() - started < 3.0
    assert len(items) == 400
    assert items[0] == "1" * 32 + " Kartlegge behovet"  # the template cut at 64 characters
    assert items[1:4] == ["a) Kjøpe boliger", "I. Følge opp", "(i) Rapportere"]
    assert all(len(item) <= 64 + len(" Kartlegge behovet") for item in items)


# --- entity declarations wherever python-docx looks -------------------------------------------


def test_dtd_in_a_part_named_in_another_case_is_refused(tmp_path: Path) -> None:
    """python-docx finds "/WORD/DOCUMENT.BIN" in [Content_Types].xml for word/document.bin:
    the check must find it too, whatever the part's name and extension."""
    path = tmp_path / "plan.docx"
    prolog = '<!DOCTYPE w:document [<!ENTITY a "AAAAAAAAAA">]>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.replace(
            'PartName="/word/document.xml"', 'PartName="/WORD/DOCUMENT.BIN"'))
        archive.writestr("_rels/.rels", PACKAGE_RELS.replace("word/document.xml", "word/document.bin"))
        archive.writestr("word/document.bin", body_xml("<w:p><w:r><w:t>Plan &a;</w:t></w:r></w:p>", prolog))
    assert "word/document.bin" in assert_refused(path, "entitetsdeklarasjoner")


def test_dtd_in_any_member_that_is_not_media_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("word/document.xml", body_xml("<w:p><w:r><w:t>Plan</w:t></w:r></w:p>"))
        archive.writestr("customXml/item1.dat", '<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd">]><x>&x;</x>')
    assert "customXml/item1.dat" in assert_refused(path, "entitetsdeklarasjoner")


def test_page_header_names_plan_and_municipality_outside_the_text():
    """Word keeps the page header apart from the body: it is no text of the plan, but the
    plan's metadata takes the municipality and title from it when the body does not say."""
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = "Eidsvik kommune – Boligplan 2026–2030"
    word.sections[0].footer.paragraphs[0].text = "Side"
    word.add_heading("Innledning", level=1)
    word.add_paragraph("Vi vil at flere skal eie sin egen bolig, og at ingen skal være uten et sted å bo.")
    document = read(saved(word))
    assert document.metadata["running_header"] == "Eidsvik kommune – Boligplan 2026–2030"
    assert "Eidsvik" not in document.text
    metadata = extract_plan(document).metadata
    assert (metadata.municipality, metadata.title) == ("Eidsvik", "Boligplan 2026–2030")
