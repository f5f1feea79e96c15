"""The OpenDocument text (.odt) reader: what a user sees of a plan written in LibreOffice.

Each test writes a small invented Norwegian plan as an ODF package by hand (mimetype stored
first, manifest, content.xml, styles.xml, meta.xml) and checks a heading, section, list item,
table row, page or title, or the one-line error a broken or hostile file gets.
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

import pytest
from click.testing import CliRunner, Result

from _office import NAMESPACES, ODT_MEDIA_TYPE

from planaudit.cli import cli
from planaudit.errors import InputError
from planaudit.ingest import DocxReader, OdtReader, Source
from planaudit.model import Block, BlockKind, Document

# Every test here runs in an empty folder (conftest.isolated_cwd), as the command-line ones need.
pytestmark = pytest.mark.usefixtures("isolated_cwd")


NAMED_STYLES = """
<style:style style:name="Standard" style:family="paragraph"/>
<style:style style:name="Title" style:display-name="Title" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
  style:parent-style-name="Heading" style:default-outline-level="1"/>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
  style:parent-style-name="Heading" style:default-outline-level="2"/>
<style:style style:name="Kapittelstart" style:family="paragraph" style:parent-style-name="Heading_20_1">
  <style:paragraph-properties fo:break-before="page"/>
</style:style>
<style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph"/>
"""


def content_xml(body: str, automatic: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} office:version="1.3">'
            f"<office:automatic-styles>{automatic}</office:automatic-styles>"
            f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")


def styles_xml(extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NAMESPACES} office:version="1.3">'
            f"<office:styles>{NAMED_STYLES}{extra}</office:styles></office:document-styles>")


def meta_xml(title: str | None, author: str = "Fjellvik kommune") -> str:
    title_element = f"<dc:title>{title}</dc:title>" if title else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {NAMESPACES} office:version="1.3">'
            f"<office:meta>{title_element}<meta:initial-creator>{author}</meta:initial-creator>"
            "<meta:creation-date>2025-02-05T10:00:00</meta:creation-date></office:meta></office:document-meta>")


def manifest_xml(extra: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT_MEDIA_TYPE}"/>'
            f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{extra}</manifest:file-entry>'
            "</manifest:manifest>")


def odt(body: str, automatic: str = "", styles: str = "", title: str | None = None,
        content: str | None = None, manifest: str | None = None, media_type: str = ODT_MEDIA_TYPE) -> bytes:
    """An ODF package as LibreOffice writes it: mimetype first and stored, the rest deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), media_type)  # ZipInfo: stored, uncompressed
        for name, text in (("META-INF/manifest.xml", manifest or manifest_xml()),
                           ("content.xml", content or content_xml(body, automatic)),
                           ("styles.xml", styles_xml(styles)),
                           ("meta.xml", meta_xml(title))):
            archive.writestr(name, text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def read(data: bytes, name: str = "plan.odt") -> Document:
    return OdtReader().read(Source(name, data))


def blocks_of(doc: Document, kind: BlockKind) -> list[Block]:
    return [block for block in doc.blocks if block.kind is kind]


def block_with(doc: Document, needle: str) -> Block:
    found = [block for block in doc.blocks if needle in block.text]
    assert found, f"no block contains {needle!r}; blocks: {[b.text for b in doc.blocks]}"
    return found[0]


def cells(*values: str) -> str:
    return "".join(f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
                   for value in values)


MEASURE_TABLE = (
    '<table:table table:name="Tiltak"><table:table-column table:number-columns-repeated="4"/>'
    f'<table:table-header-rows><table:table-row>{cells("Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad")}'
    "</table:table-row></table:table-header-rows>"
    f'<table:table-row>{cells("Kjøpe 12 boliger", "Eiendomsavdelingen", "2025–2027", "kr 42 mill.")}</table:table-row>'
    f'<table:table-row>{cells("Bo-oppfølgingsteam", "Psykisk helse og rus", "2025–2026", "kr 1,6 mill. per år")}'
    "</table:table-row></table:table>"
)

# P1 starts a chapter on a new page through its parent style in styles.xml.
AUTOMATIC = '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Kapittelstart"/>'

PLAN_BODY = (
    '<text:p text:style-name="Title">Boligsosial handlingsplan 2025–2028</text:p>'
    "<text:p>Vedtatt i kommunestyret 12.06.2025, sak 45/25.</text:p>"
    '<text:h text:style-name="P1" text:outline-level="1">1 Innledning</text:h>'
    "<text:p>Fjellvik kommune har fått flere søkere til kommunal bolig.</text:p>"
    '<text:h text:style-name="Heading_20_2" text:outline-level="2">1.1 Bakgrunn og formål</text:h>'
    "<text:p>Planen bygger på lov om kommunenes ansvar på det boligsosiale feltet.</text:p>"
    "<text:soft-page-break/>"
    "<text:p>Kommunen disponerer 212 kommunale utleieboliger.</text:p>"
    '<text:h text:style-name="P1" text:outline-level="1">3 Mål og strategier</text:h>'
    "<text:p>Antall bostedsløse skal reduseres fra 17 til 8 personer innen 2027.</text:p>"
    "<text:list><text:list-item><text:p>NAV Fjellvik</text:p></text:list-item>"
    "<text:list-item><text:p>Tildelingskontoret</text:p></text:list-item></text:list>"
    '<text:h text:style-name="Heading_20_1" text:outline-level="1">4 Tiltak</text:h>'
    f"{MEASURE_TABLE}"
)


def plan_odt() -> bytes:
    return odt(PLAN_BODY, AUTOMATIC, title="Boligsosial handlingsplan 2025–2028")


# --- headings, sections, title ----------------------------------------------------------------


def test_odt_headings_open_sections() -> None:
    doc = read(plan_odt())
    assert [(b.text, b.level) for b in blocks_of(doc, BlockKind.heading)] == [
        ("Boligsosial handlingsplan 2025–2028", 1),
        ("1 Innledning", 1),
        ("1.1 Bakgrunn og formål", 2),
        ("3 Mål og strategier", 1),
        ("4 Tiltak", 1),
    ]
    assert block_with(doc, "lov om kommunenes ansvar").location.section == ("1 Innledning", "1.1 Bakgrunn og formål")
    assert block_with(doc, "fra 17 til 8").location.section == ("3 Mål og strategier",)
    assert doc.format == "odt"


def test_title_and_metadata_come_from_meta_xml() -> None:
    doc = read(plan_odt())
    assert doc.title == "Boligsosial handlingsplan 2025–2028"
    assert doc.metadata == {"author": "Fjellvik kommune", "created": "2025-02-05T10:00:00"}


def test_title_falls_back_to_title_style_paragraph() -> None:
    doc = read(odt('<text:p text:style-name="Title">Temaplan for boligutvikling</text:p><text:p>Innhold.</text:p>'))
    assert doc.title == "Temaplan for boligutvikling"


def test_chapter_numbering_from_outline_style() -> None:
    outline = (
        '<text:outline-style style:name="Outline">'
        '<text:outline-level-style text:level="1" style:num-format="1"/>'
        '<text:outline-level-style text:level="2" style:num-format="1" text:display-levels="2"/>'
        "</text:outline-style>"
    )
    body = ('<text:h text:outline-level="1">Innledning</text:h><text:h text:outline-level="1">Mål</text:h>'
            '<text:h text:outline-level="2">Hovedmål</text:h><text:p>Ingen skal være bostedsløse.</text:p>')
    doc = read(odt(body, styles=outline))
    assert [b.text for b in blocks_of(doc, BlockKind.heading)] == ["1 Innledning", "2 Mål", "2.1 Hovedmål"]
    assert block_with(doc, "bostedsløse").location.section == ("2 Mål", "2.1 Hovedmål")


def test_table_of_contents_entries_are_not_headings() -> None:
    body = (
        "<text:table-of-content><text:table-of-content-source><text:index-title-template>Innhold"
        "</text:index-title-template></text:table-of-content-source><text:index-body>"
        '<text:p text:style-name="Contents_20_1">1 Innledning<text:tab/>3</text:p>'
        '<text:p text:style-name="Contents_20_1">3 Mål og strategier<text:tab/>7</text:p>'
        "</text:index-body></text:table-of-content>"
        '<text:h text:outline-level="1">1 Innledning</text:h><text:p>Planen gjelder 2025–2028.</text:p>'
    )
    doc = read(odt(body))
    assert [b.text for b in blocks_of(doc, BlockKind.heading)] == ["1 Innledning"]
    assert block_with(doc, "Mål og strategier 7").kind is BlockKind.paragraph
    assert block_with(doc, "2025–2028").location.section == ("1 Innledning",)


# --- paragraph text ---------------------------------------------------------------------------


def test_spans_spaces_tabs_and_line_breaks_make_words_not_run_together() -> None:
    body = ('<text:p>Kommunen<text:s/>skal<text:s text:c="3"/><text:span>kjøpe</text:span>'
            '<text:tab/>12<text:line-break/>boliger <text:a xlink:href="https://example.org" '
            'xmlns:xlink="http://www.w3.org/1999/xlink">i sentrum</text:a>.</text:p>')
    assert read(odt(body)).text == "Kommunen skal kjøpe 12 boliger i sentrum."


def test_comments_footnotes_and_tracked_deletions_are_not_text() -> None:
    body = (
        "<text:tracked-changes><text:changed-region text:id=\"ct1\"><text:deletion>"
        "<office:change-info><dc:creator>Kari</dc:creator></office:change-info>"
        "<text:p>selge 5 boliger</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        '<text:p>Kommunen skal <text:change text:change-id="ct1"/>kjøpe 12 boliger'
        "<office:annotation><dc:creator>Ola</dc:creator><text:p>Sjekk beløpet</text:p></office:annotation>"
        '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>Kilde: SSB</text:p></text:note-body></text:note> i 2026.</text:p>"
    )
    assert read(odt(body)).text == "Kommunen skal kjøpe 12 boliger i 2026."


def test_sections_and_text_boxes_are_read() -> None:
    body = (
        '<text:section text:name="Vedlegg"><text:h text:outline-level="1">Vedlegg 1</text:h>'
        '<text:p>Oversikt<draw:frame draw:name="Ramme1"><draw:text-box>'
        "<text:p>Faktaboks: 212 kommunale boliger.</text:p></draw:text-box></draw:frame> over boliger.</text:p>"
        "</text:section>"
    )
    doc = read(odt(body))
    assert block_with(doc, "Oversikt").text == "Oversikt over boliger."
    box = block_with(doc, "Faktaboks")
    assert box.location.section == ("Vedlegg 1",)


# --- lists ------------------------------------------------------------------------------------


def test_nested_lists_give_one_item_each_in_order() -> None:
    body = (
        '<text:h text:outline-level="2">2.1 Arbeidsgruppen</text:h>'
        "<text:list><text:list-header><text:p>Medlemmer:</text:p></text:list-header>"
        "<text:list-item><text:p>NAV Fjellvik</text:p>"
        "<text:list><text:list-item><text:p>Økonomisk rådgivning</text:p></text:list-item></text:list>"
        "</text:list-item>"
        "<text:list-item><text:p>Tildelingskontoret</text:p><text:p>(leder gruppen)</text:p></text:list-item>"
        "</text:list>"
    )
    doc = read(odt(body))
    assert [b.text for b in blocks_of(doc, BlockKind.list_item)] == [
        "NAV Fjellvik", "Økonomisk rådgivning", "Tildelingskontoret (leder gruppen)",
    ]
    assert block_with(doc, "Medlemmer").kind is BlockKind.paragraph
    assert all(b.location.section == ("2.1 Arbeidsgruppen",) for b in blocks_of(doc, BlockKind.list_item))


# --- tables -----------------------------------------------------------------------------------


def test_measure_table_is_one_block_with_header_first() -> None:
    doc = read(plan_odt())
    [table] = blocks_of(doc, BlockKind.table)
    assert table.rows == (
        ("Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad"),
        ("Kjøpe 12 boliger", "Eiendomsavdelingen", "2025–2027", "kr 42 mill."),
        ("Bo-oppfølgingsteam", "Psykisk helse og rus", "2025–2026", "kr 1,6 mill. per år"),
    )
    assert table.location.section == ("4 Tiltak",)


def test_merged_repeated_and_empty_cells() -> None:
    body = (
        "<table:table>"
        '<table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Hovedmål 1</text:p>'
        "</table:table-cell><table:covered-table-cell/>"
        '<table:table-cell table:number-columns-repeated="1000"/></table:table-row>'
        f'<table:table-row>{cells("Startlån")}<table:table-cell table:number-columns-repeated="2">'
        "<text:p>Ja</text:p></table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="5000"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row>"
        "</table:table>"
    )
    [table] = blocks_of(read(odt(body)), BlockKind.table)
    # the sheet-wide run of empty columns is cut at the last column with text
    assert table.rows == (("Hovedmål 1", "", ""), ("Startlån", "Ja", "Ja"))


def test_nested_table_is_flattened_into_its_cell() -> None:
    inner = f"<table:table><table:table-row>{cells('2025', '2026')}</table:table-row></table:table>"
    body = (f"<table:table><table:table-row>{cells('Tiltak', 'År')}</table:table-row>"
            f"<table:table-row>{cells('Housing First')}<table:table-cell>{inner}</table:table-cell>"
            "</table:table-row></table:table>")
    [table] = blocks_of(read(odt(body)), BlockKind.table)
    assert table.rows[1] == ("Housing First", "2025 2026")


# --- pages ------------------------------------------------------------------------------------


def test_soft_page_breaks_and_page_break_styles_give_pages() -> None:
    doc = read(plan_odt())
    assert block_with(doc, "Vedtatt i kommunestyret").location.page == 1
    assert block_with(doc, "1 Innledning").location.page == 2  # break-before through the parent style
    assert block_with(doc, "lov om kommunenes ansvar").location.page == 2
    assert block_with(doc, "212 kommunale").location.page == 3  # LibreOffice's layout broke the page
    assert block_with(doc, "3 Mål og strategier").location.page == 4
    assert block_with(doc, "Tildelingskontoret").location.page == 4
    assert doc.pages == 4


def test_break_after_and_new_page_style_start_pages_but_not_at_the_top() -> None:
    automatic = (
        '<style:style style:name="P1" style:family="paragraph" style:master-page-name="Standard"/>'
        '<style:style style:name="P2" style:family="paragraph"><style:paragraph-properties fo:break-after="page"/>'
        "</style:style>"
        '<style:style style:name="P3" style:family="paragraph" style:master-page-name="Liggende"/>'
    )
    body = ('<text:p text:style-name="P1">Forside.</text:p>'
            '<text:p text:style-name="P2">Slutt på forsiden.</text:p>'
            "<text:p>Side 2.</text:p>"
            '<text:p text:style-name="P3">Tabell på liggende side.</text:p>')
    doc = read(odt(body, automatic))
    assert [block_with(doc, text).location.page for text in ("Forside", "Slutt", "Side 2", "liggende")] == [1, 1, 2, 3]
    assert doc.pages == 3


def test_soft_break_inside_paragraph_and_table_row() -> None:
    body = (
        "<text:p>Et langt avsnitt som fortsetter<text:soft-page-break/> på neste side.</text:p>"
        "<text:p>Side 2.</text:p>"
        f"<table:table><table:table-row>{cells('Tiltak', 'Ansvarlig')}</table:table-row>"
        "<table:table-row><table:table-cell><text:p>Del 1<text:soft-page-break/> del 2</text:p></table:table-cell>"
        "<table:table-cell><text:p>NAV<text:soft-page-break/> og Husbanken</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        "<text:p>Etter tabellen.</text:p>"
    )
    doc = read(odt(body))
    assert block_with(doc, "langt avsnitt").location.page == 1
    assert block_with(doc, "Side 2").location.page == 2
    # every cell of a row split over two pages records the break: one page turn
    assert block_with(doc, "Etter tabellen").location.page == 3
    assert doc.pages == 3


# --- recognising the format -----------------------------------------------------------------


def test_sniff_tells_odt_from_docx_and_garbage() -> None:
    reader = OdtReader()
    assert reader.sniff(Source("plan.bin", plan_odt())) == 2
    assert reader.sniff(Source("plan.bin", b"PK\x03\x04\x00\x00garbage")) == 0
    assert reader.sniff(Source("plan.odt", b"PK\x03\x04\x00\x00garbage")) == 1
    assert DocxReader().sniff(Source("plan.bin", plan_odt())) == 0


def test_document_without_text_is_refused() -> None:
    with pytest.raises(InputError, match="ingen tekst"):
        read(odt("<text:p/><text:p> </text:p>"))


def test_damaged_packages_only_ever_raise_input_error() -> None:
    """Random cuts in content.xml and styles.xml, and flipped bytes: read, or a named cause."""
    rng = random.Random(2025)
    original = plan_odt()
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    for _ in range(40):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for info, data in members:
                if info.filename in ("content.xml", "styles.xml") and rng.random() < 0.7:
                    start = rng.randrange(len(data))
                    data = data[:start] + data[start + rng.randint(1, 300):]
                archive.writestr(info, data)
        flipped = bytearray(original)
        for _ in range(10):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        for candidate in (buffer.getvalue(), bytes(flipped)):
            try:
                read(candidate)
            except InputError:
                pass


# --- the command line -------------------------------------------------------------------------


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def test_cli_checks_an_odt_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.odt"
    path.write_bytes(plan_odt())
    result = run("check", path)
    assert result.exit_code == 0, result.output
    assert "Poengsum" in result.stdout
    report = json.loads(run("check", path, "--format", "json").stdout)
    assert report["document"]["format"] == "odt"
    assert report["document"]["pages"] == 4


def external_entity() -> bytes:
    content = content_xml("<text:p>&x;</text:p>").replace(
        "?>", '?><!DOCTYPE office:document-content [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)
    return odt("", content=content)


def billion_laughs() -> bytes:
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    content = content_xml("<text:p>&j;</text:p>").replace(
        "?>", f"?><!DOCTYPE office:document-content [{entities}]>", 1)
    return odt("", content=content)


def encrypted() -> bytes:
    encryption = ('<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
                  '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
                  "</manifest:encryption-data>")
    return odt("<text:p>x</text:p>", manifest=manifest_xml(encryption))


def flat_odt() -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><office:document {NAMESPACES} office:version="1.3" '
            f'office:mimetype="{ODT_MEDIA_TYPE}"><office:body><office:text><text:p>Plan</text:p>'
            "</office:text></office:body></office:document>").encode()


HOSTILE = {
    "truncated": (lambda: plan_odt()[:700], "skadet"),
    "external entity": (external_entity, "entitetsdeklarasjoner"),
    "billion laughs": (billion_laughs, "entitetsdeklarasjoner"),
    "password-protected": (encrypted, "passordbeskyttet"),
    "flat .fodt content": (flat_odt, ".fodt"),
    "spreadsheet renamed": (lambda: odt("", media_type="application/vnd.oasis.opendocument.spreadsheet"),
                            "OpenDocument-tekstdokument"),
    "0 bytes": (lambda: b"", "tom"),
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
def test_hostile_odt_is_one_line_and_exit_2(case: str, tmp_path: Path) -> None:
    make, cause = HOSTILE[case]
    path = tmp_path / "plan.odt"
    path.write_bytes(make())
    assert_refused(path, cause)


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "bombe.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MEDIA_TYPE)
        with archive.open("content.xml", "w", force_zip64=True) as member:
            member.write(content_xml("<text:p>").split("<text:p>")[0].encode() + b"<text:p>")
            chunk = b" " * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
            member.write(b"</text:p></office:text></office:body></office:document-content>")
    started = time.perf_counter()
    assert_refused(path, "ZIP-bombe")
    assert time.perf_counter() - started < 2.0


# --- bounded memory and time, whatever the package declares -----------------------------------


def lying_mimetype(megabytes: int) -> bytes:
    """An ODF package whose only member, mimetype, declares 40 bytes and inflates to that many
    megabytes: the media type followed by spaces. Written byte by byte, since zipfile would
    record the true size; the deflate stream repeats one fully flushed megabyte."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(ODT_MEDIA_TYPE.encode()) + compressor.flush(zlib.Z_FULL_FLUSH)
    spaces = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = spaces.compress(b" " * 2**20) + spaces.flush(zlib.Z_FULL_FLUSH)
    data = head + block * megabytes + zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    header = (b"PK\x03\x04", 20, 0, 0, zipfile.ZIP_DEFLATED, 0, 33, 0, len(data), 40, len(b"mimetype"))
    local = struct.pack("<4s2B4HL2L2H", *header, 0) + b"mimetype" + data
    central = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, *header[1:], 0, 0, 0, 0, 0, 0) + b"mimetype"
    return local + central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)


def test_member_larger_than_declared_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """Recognising the file read mimetype whole, asking zlib for up to 2 GB in one call; only
    a hundred bytes of it are needed, and no member may yield more than it declares."""
    resource = pytest.importorskip("resource")
    path = tmp_path / "plan.odt"
    path.write_bytes(lying_mimetype(1100))
    assert path.stat().st_size < 2 * 1024 * 1024

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    result = subprocess.run([sys.executable, "-m", "planaudit", "check", str(path)], preexec_fn=limit,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    [line] = result.stderr.splitlines()
    assert "ZIP-bombe" in line and "mimetype" in line and "MemoryError" not in line, line
    started = time.perf_counter()
    assert OdtReader().sniff(Source("plan.bin", path.read_bytes())) == 0
    assert_refused(path, "ZIP-bombe")
    assert time.perf_counter() - started < 3.0


def test_content_packed_with_lzma_is_refused(tmp_path: Path) -> None:
    """LZMA (and bzip2) unpack without a bound per step: 200 KB became 1.5 GB. LibreOffice
    writes only stored and deflated members."""
    path = tmp_path / "plan.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MEDIA_TYPE)
        archive.writestr("content.xml", content_xml("<text:p>Plan</text:p>"), zipfile.ZIP_LZMA)
    started = time.perf_counter()
    line = assert_refused(path, "metode som ikke støttes")
    assert "content.xml" in line and "LZMA" in line
    assert time.perf_counter() - started < 3.0


def repeated_table(rows: int, cell: str, columns: int = 256, repeat: int = 100) -> str:
    row = (f'<table:table-row table:number-rows-repeated="{repeat}">'
           f'<table:table-cell table:number-columns-repeated="{columns}"><text:p>{cell}</text:p>'
           "</table:table-cell></table:table-row>")
    return f'<text:h text:outline-level="1">Tiltak</text:h><table:table>{row * rows}</table:table>'


@pytest.mark.parametrize(("rows", "cell"), [
    (4000, "xxxxxxxxxx"),  # 4 KB on disk, 100 million cells
    (1, "x" * 100_000),  # 2.5 billion characters
], ids=["cells", "characters"])
def test_repeated_rows_and_cells_have_a_budget(rows: int, cell: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.odt"
    path.write_bytes(odt(repeated_table(rows, cell)))
    assert path.stat().st_size < 100 * 1024
    started = time.perf_counter()
    assert_refused(path, "tabellene er for store")
    assert time.perf_counter() - started < 3.0


def test_empty_repeated_rows_and_cells_cost_nothing() -> None:
    """A table copied from a spreadsheet runs to the sheet's edge: a million empty rows, and
    sixteen thousand empty cells ending each row."""
    edge = '<table:table-cell table:number-columns-repeated="16384"/>'
    body = ('<text:h text:outline-level="1">Tiltak</text:h><table:table>'
            f'<table:table-row>{cells("Tiltak", "Ansvarlig")}{edge}</table:table-row>'
            f'<table:table-row>{cells("Kjøpe 12 boliger", "")}{edge}</table:table-row>'
            f'<table:table-row table:number-rows-repeated="1048000">{edge}</table:table-row>'
            "</table:table>") * 50
    started = time.perf_counter()
    tables = blocks_of(read(odt(body)), BlockKind.table)
    assert time.perf_counter() - started < 3.0
    assert len(tables) == 50
    assert tables[0].rows == (("Tiltak", "Ansvarlig"), ("Kjøpe 12 boliger", ""))


@pytest.mark.parametrize(("start", "number_format", "label"), [
    (str(10**20), "a", "a"), (str(10**20), "i", "i"), ("9" * 5000, "A", "A"), ("-3", "I", "I"),
    ("27", "a", "aa"), ("9999", "i", "mmmmmmmmmcmxcix"), ("1664", "a", "z" * 64),
])
def test_chapter_numbers_from_absurd_start_values_stay_short(start: str, number_format: str, label: str) -> None:
    """A start of 10^20 in letters would be a label of 10^20 characters: it is ignored."""
    outline = (
        '<text:outline-style style:name="Outline">'
        f'<text:outline-level-style text:level="1" style:num-format="{number_format}" text:start-value="{start}"/>'
        f'<text:outline-level-style text:level="2" style:num-format="1" style:num-prefix="{"(" * 100_000}" '
        'text:display-levels="2"/>'
        f'<text:outline-level-style text:level="{10**20}" style:num-format="a" text:start-value="{10**20}"/>'
        "</text:outline-style>"
    )
    body = ('<text:h text:outline-level="1">Mål</text:h><text:h text:outline-level="2">Hovedmål</text:h>'
            "<text:p>Ingen skal være bostedsløse.</text:p>")
    started = time.perf_counter()
    headings = [b.text for b in blocks_of(read(odt(body, styles=outline)), BlockKind.heading)]
    assert time.perf_counter() - started < 3.0
    assert headings[0] == f"{label} Mål"
    assert headings[1] == "(" * 64 + " Hovedmål"  # a prefix of 100,000 characters, cut
