"""The HTML reader: a plan published as a municipal web page or saved by Word as HTML reads
as the plan, not as the site's menus, cookie banner and footer.

Every page here is invented: an invented plan for the invented Fjellvik kommune, wrapped
in the furniture a municipal CMS puts around it.
"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planaudit.cli import cli
from planaudit.errors import InputError
from planaudit.ingest import BUILTIN_READERS, HtmlReader, Source, choose_reader
from planaudit.model import Block, BlockKind, Document

TITLE = "Boligsosial handlingsplan 2025–2028"


def read(page: str | bytes, name: str = "plan.html") -> Document:
    data = page.encode("utf-8") if isinstance(page, str) else page
    return HtmlReader().read(Source(name, data))


def sniff(page: str | bytes, name: str = "plan.html") -> int:
    data = page.encode("utf-8") if isinstance(page, str) else page
    return HtmlReader().sniff(Source(name, data))


def blocks_of(doc: Document, kind: BlockKind) -> list[Block]:
    return [block for block in doc.blocks if block.kind is kind]


def block_with(doc: Document, needle: str) -> Block:
    found = [block for block in doc.blocks if needle in block.text]
    assert found, f"no block contains {needle!r}; blocks: {[b.text for b in doc.blocks]}"
    return found[0]


def texts(doc: Document) -> list[str]:
    return [block.text for block in doc.blocks]


def body(html: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html lang=\"nb\"><head><meta charset=\"utf-8\">{head}</head><body>{html}</body></html>"


# --- a plan on a municipal CMS page ----------------------------------------------------------

MENU = ("Barnehage", "Skole og SFO", "Helse og omsorg", "Bolig og eiendom", "Kultur og fritid",
        "Natur og miljø", "Plan og bygg", "Politikk og organisasjon", "Næringsliv", "Vann og avløp",
        "Renovasjon", "Samferdsel", "Legevakt", "Tannhelse", "Barnevern", "Flyktningtjenesten",
        "Jobb i kommunen", "Innsyn i postliste", "Skjemaer", "Kart")
FURNITURE = ("Hopp til hovedinnhold", "informasjonskapsler", "Godta alle", "Forsiden",
             "Planer og strategier", "Aktuelt", "Nytt bofellesskap", "Rådhusgata", "postmottak",
             "Del på Facebook", "Skriv ut", "Søk i kommunen", "Fant du det du lette etter")

PLAN_BODY = """
<p class="ingress">Vedtatt i kommunestyret 12.06.2025, sak 45/25.</p>
<div class="share-buttons"><a href="#">Del på Facebook</a> <a href="#">Del på LinkedIn</a>
  <button>Skriv ut</button></div>
<h2>1 Innledning</h2>
<p>Et trygt og godt sted å bo er grunnlaget for helse, arbeid og deltakelse i lokalsamfunnet.</p>
<h3>1.1 Bakgrunn</h3>
<p>Fjellvik kommune disponerer 212&nbsp;kommunale utleieboliger, og 48 husstander står på
   venteliste.</p>
<h2>2 Organisering</h2>
<p>Arbeidsgruppen har hatt disse medlemmene:</p>
<ul>
  <li>NAV Fjellvik</li>
  <li>Tildelingskontoret
    <ul><li>Boligkontoret</li><li>Merkantil stab</li></ul>
  </li>
  <li>Eiendomsavdelingen</li>
</ul>
<h2>3 Mål og strategier</h2>
<h3>3.1 Hovedmål 1: Flere skal eie egen bolig</h3>
<ol>
  <li>Minst 20 husstander skal kjøpe bolig med startlån innen 2027.</li>
  <li>Andelen med botid over 5 år skal ned fra 38 % til 25 %.</li>
</ol>
<table class="tiltakstabell">
  <caption>Tiltak under hovedmål 1</caption>
  <thead><tr><th>Tiltak</th><th>Ansvarlig</th><th>Tidsfrist</th><th>Kostnad</th></tr></thead>
  <tbody>
    <tr><td>1.1 Fast rutine for vurdering av startlån</td><td>Tildelingskontoret</td>
        <td>2. kvartal 2025</td><td>Innenfor eksisterende rammer</td></tr>
    <tr><td>1.2 Leie-til-eie for 6 boliger</td><td>Eiendomsavdelingen</td><td>2026</td>
        <td>kr 350&nbsp;000</td></tr>
  </tbody>
</table>
<h3>3.2 Hovedmål 2: Ingen skal være bostedsløse</h3>
<p>Antall bostedsløse skal ned fra 17 til 8 personer innen 2027.</p>
<h2>5 Oppfølging</h2>
<p>Planen rulleres hvert fjerde år.</p>
<p>Kontaktperson: <span class="navn">Kari Nordmann</span>, rådgiver.</p>
<p class="updated">Sist oppdatert 03.04.2025</p>
<div class="feedback"><h2>Fant du det du lette etter?</h2><button>Ja</button><button>Nei</button></div>
"""


def cms_page(layout: str) -> str:
    """The plan inside a CMS page: semantic HTML5 with <main> or <article>, or div soup."""
    menu = "".join(f'<li><a href="/{n}">{item}</a></li>' for n, item in enumerate(MENU))
    cookie = ('<div id="cookie-banner" class="cookie-consent" role="dialog"><p>Vi bruker '
              'informasjonskapsler for å gjøre nettstedet bedre.</p><button>Godta alle</button>'
              '<button>Bare nødvendige</button></div>')
    skip = '<a class="skip-link" href="#hovedinnhold">Hopp til hovedinnhold</a>'
    search = '<form class="site-search" action="/sok"><label>Søk i kommunen</label><input name="q"></form>'
    crumbs = ('<ol><li><a href="/">Forsiden</a></li><li><a href="/planer">Planer og strategier</a></li>'
              f"<li>{TITLE}</li></ol>")
    news = ("<h2>Aktuelt</h2><ul><li><a>Nytt bofellesskap åpnet på Nedre Fjellvik</a></li>"
            "<li><a>Søk om startlån digitalt</a></li></ul>")
    address = ("<p>Fjellvik kommune, Rådhusgata 1, 9999 Fjellvik</p>"
               "<p>E-post: postmottak@fjellvik.kommune.no · Org.nr. 999 888 777</p>")
    if layout == "div":
        return body(
            f'{skip}{cookie}<div id="header"><a class="logo" href="/">Fjellvik kommune</a>{search}'
            f'<div class="menu"><ul>{menu}</ul></div></div>'
            f'<div class="breadcrumb">{crumbs}</div>'
            f'<div id="content" class="page-content has-sidebar">'
            f'<div class="article-header"><h1>{TITLE}</h1></div>{PLAN_BODY}'
            f'<div class="sidebar-right">{news}</div></div>'
            f'<div id="footer">{address}</div>'
        )
    chrome = (f'{skip}{cookie}<header class="site-header"><a class="logo" href="/">'
              f'<img src="logo.svg" alt="Fjellvik kommune"></a>{search}'
              f'<nav class="main-menu" aria-label="Hovedmeny"><ul>{menu}</ul></nav></header>')
    article = f'<article><header class="article-header"><h1>{TITLE}</h1></header>{PLAN_BODY}</article>'
    if layout == "main":
        content = (f'<main id="hovedinnhold"><nav class="breadcrumbs" aria-label="Brødsmulesti">{crumbs}</nav>'
                   f"{article}</main>")
    else:  # a single <article> without <main>, beside teaser articles in the sidebar
        content = (f'<nav class="breadcrumbs">{crumbs}</nav>{article}'
                   '<div class="teasers"><article><a>Nytt bofellesskap åpnet</a></article></div>')
    return body(f'{chrome}{content}<aside class="sidebar">{news}</aside><footer>{address}</footer>',
                head=f'<title>{TITLE} - Fjellvik kommune</title>'
                     '<meta name="description" content="Kommunens plan for det boligsosiale arbeidet.">'
                     '<meta name="author" content="Fjellvik kommune"><script>var menu = "Barnehage";</script>')


@pytest.fixture(params=["main", "article", "div"])
def cms_doc(request: pytest.FixtureRequest) -> Document:
    return read(cms_page(request.param))


def test_cms_page_reads_without_menus_banner_sidebar_and_footer(cms_doc: Document) -> None:
    text = cms_doc.text
    for furniture in (*FURNITURE, *MENU):
        assert furniture not in text, f"{furniture!r} read as plan text: {texts(cms_doc)}"


def test_cms_page_keeps_the_plans_headings_with_their_levels(cms_doc: Document) -> None:
    headings = [(block.text, block.level) for block in blocks_of(cms_doc, BlockKind.heading)]
    assert headings == [
        (TITLE, 1), ("1 Innledning", 2), ("1.1 Bakgrunn", 3), ("2 Organisering", 2),
        ("3 Mål og strategier", 2), ("3.1 Hovedmål 1: Flere skal eie egen bolig", 3),
        ("3.2 Hovedmål 2: Ingen skal være bostedsløse", 3), ("5 Oppfølging", 2),
    ]
    assert cms_doc.title == TITLE


def test_cms_page_paragraphs_carry_their_section_path(cms_doc: Document) -> None:
    homes = block_with(cms_doc, "212 kommunale utleieboliger")
    assert homes.kind is BlockKind.paragraph
    assert homes.text == "Fjellvik kommune disponerer 212 kommunale utleieboliger, og 48 husstander står på venteliste."
    assert homes.location.section == (TITLE, "1 Innledning", "1.1 Bakgrunn")
    homeless = block_with(cms_doc, "fra 17 til 8")
    assert homeless.location.section == (TITLE, "3 Mål og strategier", "3.2 Hovedmål 2: Ingen skal være bostedsløse")
    assert block_with(cms_doc, "Vedtatt i kommunestyret").location.section == (TITLE,)


def test_cms_page_list_items_are_flattened_without_duplicates(cms_doc: Document) -> None:
    items = [block.text for block in blocks_of(cms_doc, BlockKind.list_item)]
    assert items == [
        "NAV Fjellvik", "Tildelingskontoret", "Boligkontoret", "Merkantil stab", "Eiendomsavdelingen",
        "1. Minst 20 husstander skal kjøpe bolig med startlån innen 2027.",
        "2. Andelen med botid over 5 år skal ned fra 38 % til 25 %.",
    ]
    assert block_with(cms_doc, "Merkantil stab").location.section == (TITLE, "2 Organisering")


def test_cms_page_measure_table_keeps_rows_and_cells(cms_doc: Document) -> None:
    tables = blocks_of(cms_doc, BlockKind.table)
    assert len(tables) == 1
    table = tables[0]
    assert table.rows == (
        ("Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad"),
        ("1.1 Fast rutine for vurdering av startlån", "Tildelingskontoret", "2. kvartal 2025",
         "Innenfor eksisterende rammer"),
        ("1.2 Leie-til-eie for 6 boliger", "Eiendomsavdelingen", "2026", "kr 350 000"),
    )
    assert table.text.splitlines()[0] == "Tiltak | Ansvarlig | Tidsfrist | Kostnad"
    assert table.location.section == (TITLE, "3 Mål og strategier", "3.1 Hovedmål 1: Flere skal eie egen bolig")
    assert block_with(cms_doc, "Tiltak under hovedmål 1").kind is BlockKind.paragraph


def test_cms_page_keeps_content_whose_class_only_looks_like_furniture(cms_doc: Document) -> None:
    """"navn" is Norwegian for name, not "nav"; an article's header holds its title."""
    assert "Kontaktperson: Kari Nordmann, rådgiver." in texts(cms_doc)
    assert "Sist oppdatert 03.04.2025" in texts(cms_doc)


def test_cms_page_has_no_pages_and_records_metadata() -> None:
    doc = read(cms_page("main"))
    assert doc.format == "html"
    assert doc.pages is None
    assert all(block.location.page is None for block in doc.blocks)
    assert all(block.location.line is None for block in doc.blocks)
    assert doc.metadata == {"lang": "nb", "description": "Kommunens plan for det boligsosiale arbeidet.",
                            "author": "Fjellvik kommune"}


def test_title_falls_back_to_the_title_element() -> None:
    doc = read(body("<h2>1 Innledning</h2><p>Planen gjelder hele kommunen.</p>",
                    head="<title>Boligsosial handlingsplan | Fjellvik kommune</title>"))
    assert doc.title == "Boligsosial handlingsplan | Fjellvik kommune"


# --- Word's "Save as HTML" ----------------------------------------------------------------------

WORD_PAGE = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=windows-1252">
<meta name=Generator content="Microsoft Word 15">
<title>Boligsosial handlingsplan</title>
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>Kari Nordmann</o:Author>
</o:DocumentProperties></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt;} --></style>
</head>
<body lang=NO-BOK style='tab-interval:35.4pt'>
<div class=WordSection1>
<p class=MsoTitle>Boligsosial handlingsplan 2025–2028</p>
<p class=MsoNormal>Fjellvik kommune<o:p></o:p></p>
<p class=MsoTocHeading>Innhold</p>
<p class=MsoToc1><a href="#_Toc1">1 Innledning<span style='display:none'>.</span><span>2</span></a></p>
<p class=MsoToc1><a href="#_Toc2">3 Mål og strategier<span>3</span></a></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
</div>
<span style='font-size:11.0pt;font-family:"Calibri",sans-serif'><br clear=all
style='page-break-before:always'>
</span>
<div class=WordSection2>
<h1 style='mso-list:l1 level1 lfo2'><a name="_Toc1"></a><![if !supportLists]><span
style='mso-list:Ignore'>1<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;
</span></span><![endif]>Innledning</h1>
<p class=MsoNormal>Kommunen har 212 kommunale utleieboliger og 48 søkere på
venteliste<a href="#_ftn1" name="_ftnref1"><span class=MsoFootnoteReference>[1]</span></a>.</p>
<p class=MsoNormal><b>1.1 Bakgrunn</b></p>
<p class=MsoNormal>Ventelisten har vokst de siste årene.</p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>Kjøpe 12 boliger<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span></span><![endif]>Øke bostøtten<o:p></o:p></p>
<p class=MsoNormal>·&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; Avtale med namsfogden</p>
<p class=MsoListParagraph style='text-indent:-18.0pt'><span>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span>Etablere bo-oppfølgingsteam</p>
<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l2 level1 lfo3'><span style='mso-list:Ignore'>2.<span>&nbsp;
</span></span>Tildelingsmøte hver fjortende dag</p>
</div>
<span style='font-size:11.0pt'><br clear=all style='page-break-before:always'></span>
<div class=WordSection3>
<h1>3 Mål og strategier</h1>
<p class=MsoNormal><b>3.1 Hovedmål 1</b><br>Flere skal eie egen bolig.</p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0>
 <tr><td valign=top><p class=MsoNormal><b>Tiltak</b></p></td><td><p class=MsoNormal><b>Ansvarlig</b></p></td>
  <td><p class=MsoNormal><b>Tidsfrist</b></p></td><td><p class=MsoNormal><b>Kostnad</b></p></td></tr>
 <tr><td><p class=MsoNormal>Kjøpe 12 boliger</p><p class=MsoNormal>i sentrum</p></td>
  <td><p class=MsoNormal>Eiendomsavdelingen</p></td><td><p class=MsoNormal>2026</p></td>
  <td><p class=MsoNormal>kr 42 mill.</p></td></tr>
</table>
<p class=MsoNormal>Planen rulleres i 2028.</p>
</div>
<div style='mso-element:footnote-list'><div style='mso-element:footnote' id=ftn1>
<p class=MsoFootnoteText><a href="#_ftnref1" name="_ftn1"><span class=MsoFootnoteReference>[1]</span></a>
Kilde: Kostra 2024.</p></div></div>
</body></html>"""


@pytest.fixture
def word_doc() -> Document:
    return read(WORD_PAGE.encode("cp1252"), "plan.htm")


def test_word_export_page_breaks_give_page_numbers(word_doc: Document) -> None:
    assert word_doc.pages == 3
    assert block_with(word_doc, "Fjellvik kommune").location.page == 1
    assert block_with(word_doc, "212 kommunale").location.page == 2
    assert block_with(word_doc, "Tildelingsmøte").location.page == 2
    assert block_with(word_doc, "3 Mål og strategier").location.page == 3
    assert blocks_of(word_doc, BlockKind.table)[0].location.page == 3
    assert all(block.location.page is not None for block in word_doc.blocks)


def test_word_export_headings_title_and_typed_numbering(word_doc: Document) -> None:
    headings = [(block.text, block.level) for block in blocks_of(word_doc, BlockKind.heading)]
    assert headings == [(TITLE, 1), ("1 Innledning", 1), ("1.1 Bakgrunn", 2),
                        ("3 Mål og strategier", 1), ("3.1 Hovedmål 1", 2)]
    assert word_doc.title == TITLE
    assert block_with(word_doc, "Ventelisten har vokst").location.section == ("1 Innledning", "1.1 Bakgrunn")
    assert block_with(word_doc, "Flere skal eie").location.section == ("3 Mål og strategier", "3.1 Hovedmål 1")


def test_word_export_list_paragraphs_become_items_without_bullet_glyphs(word_doc: Document) -> None:
    items = [block.text for block in blocks_of(word_doc, BlockKind.list_item)]
    assert items == ["Kjøpe 12 boliger", "Øke bostøtten", "Avtale med namsfogden",
                     "1. Etablere bo-oppfølgingsteam", "2. Tildelingsmøte hver fjortende dag"]


def test_word_export_drops_toc_and_footnote_marks_and_decodes_cp1252(word_doc: Document) -> None:
    assert "Innhold" not in texts(word_doc)
    assert "Kommunen har 212 kommunale utleieboliger og 48 søkere på venteliste." in texts(word_doc)
    assert "Kilde: Kostra 2024." in texts(word_doc)
    table = blocks_of(word_doc, BlockKind.table)[0]
    assert table.rows[1] == ("Kjøpe 12 boliger i sentrum", "Eiendomsavdelingen", "2026", "kr 42 mill.")
    assert word_doc.metadata["lang"] == "NO-BOK"


def test_css3_breaks_and_break_after_count_leading_break_does_not() -> None:
    doc = read(body(
        '<div style="page-break-before: always"><p>Forside</p></div>'
        '<div style="break-after: page"><p>Side en slutter her.</p></div>'
        '<h2 style="break-before:page">2 Tiltak</h2><p>Side tre.</p>'
    ))
    assert [(block.text, block.location.page) for block in doc.blocks] == [
        ("Forside", 1), ("Side en slutter her.", 1), ("2 Tiltak", 3), ("Side tre.", 3)]
    assert doc.pages == 3


# --- encodings ---------------------------------------------------------------------------------

NORWEGIAN = "Bostøtte for små husstander – også i Ålesund-området"


@pytest.mark.parametrize("declaration", [
    '<meta charset="windows-1252">',
    "<meta http-equiv=Content-Type content='text/html; charset=windows-1252'>",
    '<meta charset="iso-8859-1">',  # browsers read Latin-1 as Windows-1252: "–" is 0x96
    "",  # nothing declared and not UTF-8: Windows-1252, as Norwegian Word exports are
])
def test_windows_1252_bytes_are_decoded(declaration: str) -> None:
    page = f"<html><head>{declaration}</head><body><p>{NORWEGIAN}</p></body></html>"
    assert texts(read(page.encode("cp1252"))) == [NORWEGIAN]


@pytest.mark.parametrize("declaration", ['<meta charset="utf-8">', ""])
def test_utf8_bytes_are_decoded(declaration: str) -> None:
    """Undeclared UTF-8 is UTF-8 (libxml2 alone would take it for Latin-1)."""
    page = f"<html><head>{declaration}</head><body><p>{NORWEGIAN}</p></body></html>"
    assert texts(read(page.encode("utf-8"))) == [NORWEGIAN]


def test_declared_utf8_that_is_not_falls_back_to_windows_1252() -> None:
    page = f'<html><head><meta charset="utf-8"></head><body><p>{NORWEGIAN}</p></body></html>'
    assert texts(read(page.encode("cp1252"))) == [NORWEGIAN]


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_byte_order_mark_decides(codec: str) -> None:
    page = f"<!DOCTYPE html><html><body><p>{NORWEGIAN}</p></body></html>"
    data = page.encode(codec)
    assert sniff(data) == 2
    assert texts(read(data)) == [NORWEGIAN]


# --- entities and other attacks ------------------------------------------------------------------


def test_external_entity_reads_no_file(tmp_path: Path) -> None:
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("HEMMELIG-PASSORD-4711", encoding="utf-8")
    page = (f'<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y SYSTEM "{secret.as_uri()}">'
            f'<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>'
            "<html><body><p>Før &x; midt &y; etter</p></body></html>")
    doc = read(page)
    assert "HEMMELIG" not in doc.text
    assert "root:" not in doc.text
    assert "]>" not in doc.text and "ENTITY" not in doc.text
    assert doc.text.startswith("Før") and doc.text.endswith("etter")


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    dtd = tmp_path / "plan.dtd"
    dtd.write_text('<!ENTITY x "HEMMELIG">', encoding="utf-8")
    doc = read(f'<!DOCTYPE html SYSTEM "{dtd.as_uri()}"><html><body><p>Tekst &x; her</p></body></html>')
    assert "HEMMELIG" not in doc.text


def test_billion_laughs_stays_small_and_fast() -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    page = f"<!DOCTYPE html [{''.join(levels)}]><html><body><p>Le: &lol9;</p></body></html>"
    started = time.perf_counter()
    doc = read(page)
    assert time.perf_counter() - started < 1.0
    assert len(doc.text) < 100
    assert "lollol" not in doc.text


@pytest.mark.parametrize("nest", ["<div>", "<ul><li>", "<ol><li><div>", "<table><tr><td>", "<b><i>"])
def test_deep_nesting_is_bounded(nest: str) -> None:
    page = body("<p>Først</p>" + nest * 3000 + "Dypt")
    started = time.perf_counter()
    try:
        read(page)
    except InputError:
        pass
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 16,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
    b"PK\x03\x04" + bytes(100),
    b"\x00<html>",
])
def test_garbage_bytes_are_an_input_error(data: bytes) -> None:
    assert sniff(data) == 0
    with pytest.raises(InputError) as caught:
        read(data)
    assert "\n" not in caught.value.nb


@pytest.mark.parametrize("page", [
    "<html><head><title>Plan</title></head><body></body></html>",
    "<html><body><script>var plan = 'hemmelig';</script><style>p {}</style><p> &nbsp; </p></body></html>",
    "<!-- bare en kommentar -->",
    "   \n  ",
    "<html><body><img src=logo.png alt=Logo></body></html>",
])
def test_page_without_readable_text_is_an_input_error(page: str) -> None:
    with pytest.raises(InputError) as caught:
        read(page)
    assert caught.value.nb == "nettsiden inneholder ingen lesbar tekst"
    assert caught.value.en == "the web page contains no readable text"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from([b"", b"<!DOCTYPE html><html><body>", b"<p>", b"\xef\xbb\xbf<"]))
def test_any_bytes_sniff_without_error_and_read_to_a_document_or_input_error(data: bytes, prefix: bytes) -> None:
    source = Source("side.html", prefix + data)
    assert HtmlReader().sniff(source) in (0, 1, 2)
    try:
        HtmlReader().read(source)
    except InputError:
        pass


# --- sniffing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "name", "expected"), [
    ("<!DOCTYPE html><html><body><p>x</p></body></html>", "plan", 2),
    ("\ufeff  <!-- CMS -->\n<!doctype HTML>\n<html>", "plan.txt", 2),
    (('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
      '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'), "plan", 2),
    ('<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">', "x.doc", 2),
    ("<meta charset=utf-8>\n<title>Plan</title>\n<body><p>x</p>", "plan", 2),
    ("<div><p>Et utdrag</p></div>", "utdrag.html", 2),
    ("<div><p>Et utdrag</p></div>", "utdrag.md", 0),
    ("Planen gjelder 2025 <-> 2028", "plan.htm", 1),
    ("Ren tekst uten tagger", "plan.html", 0),
    ("# Boligsosial handlingsplan\n\nKommunen skal kjøpe 12 boliger.\n", "plan.md", 0),
    ("<!-- side 1 -->\n# Plan\n\nTekst.\n", "plan.md", 0),
    ("", "plan.html", 0),
])
def test_sniff(page: str, name: str, expected: int) -> None:
    assert sniff(page, name) == expected


@pytest.mark.parametrize(("name", "page", "reader"), [
    ("side.html", cms_page("main"), "html"),
    ("side.txt", cms_page("main"), "html"),
    ("utdrag.htm", "<p>Kommunen skal kjøpe 12 boliger.</p>", "html"),
    ("plan.md", "# Plan\n\n<!-- side 2 -->\nTekst.\n", "markdown"),
])
def test_html_wins_the_choice_of_reader(name: str, page: str, reader: str) -> None:
    assert choose_reader(BUILTIN_READERS, Source(name, page.encode("utf-8"))).name == reader


# --- structure -----------------------------------------------------------------------------------


def test_br_separated_lines_are_read_line_by_line() -> None:
    doc = read(body(
        "<h2>3 Mål og strategier</h2>"
        "<p>Kommunen har tre hovedmål.<br>3.2 Hovedmål 2: Ingen bostedsløse<br>"
        "Antall bostedsløse skal ned fra 17<br>til 8 innen 2027.<br>• Housing First<br>• Bo-oppfølging</p>"
    ))
    assert [(block.kind.value, block.text) for block in doc.blocks] == [
        ("heading", "3 Mål og strategier"),
        ("paragraph", "Kommunen har tre hovedmål."),
        ("heading", "3.2 Hovedmål 2: Ingen bostedsløse"),
        ("paragraph", "Antall bostedsløse skal ned fra 17 til 8 innen 2027."),
        ("list_item", "Housing First"),
        ("list_item", "Bo-oppfølging"),
    ]
    # the typed "3.2" nests under the <h2> "3 ...", it does not close it
    assert block_with(doc, "fra 17").location.section == ("3 Mål og strategier", "3.2 Hovedmål 2: Ingen bostedsløse")


def test_table_head_first_colspan_once_nested_table_flattened() -> None:
    doc = read(body(
        "<table><tbody><tr><td colspan=2>Kjøpe boliger</td><td>2026"
        "<table><tr><td>1. halvår</td><td>2. halvår</td></tr></table></td></tr></tbody>"
        "<thead><tr><th>Tiltak</th><th>Tidsfrist</th></tr></thead>"
        "<tfoot><tr><td>Sum</td><td>kr 42 mill.</td></tr></tfoot>"
        "<tr><td></td><td></td></tr></table>"
    ))
    (table,) = doc.blocks
    assert table.kind is BlockKind.table
    assert table.rows == (("Tiltak", "Tidsfrist"), ("Kjøpe boliger", "2026 1. halvår 2. halvår"),
                          ("Sum", "kr 42 mill."))
    assert table.text == "Tiltak | Tidsfrist\nKjøpe boliger | 2026 1. halvår 2. halvår\nSum | kr 42 mill."


def test_layout_table_is_read_as_text() -> None:
    doc = read(body(
        "<table><tr><td><h2>1 Innledning</h2><p>Planen gjelder hele kommunen.</p></td>"
        "<td><p>Kommunen har 212 boliger.</p></td></tr></table>"
        "<table><tr><td><p>En kolonne er ingen tabell.</p></td></tr></table>"
    ))
    assert [(block.kind.value, block.text) for block in doc.blocks] == [
        ("heading", "1 Innledning"), ("paragraph", "Planen gjelder hele kommunen."),
        ("paragraph", "Kommunen har 212 boliger."), ("paragraph", "En kolonne er ingen tabell."),
    ]


def test_long_image_descriptions_count_short_ones_do_not() -> None:
    goal = "Infografikk: Antall bostedsløse skal ned fra 17 til 8 innen 2027"
    doc = read(body(f'<p><img src="logo.png" alt="Kommunevåpen"></p><figure><img src="mal.png" alt="{goal}">'
                    "<figcaption>Figur 1: Hovedmål</figcaption></figure>"))
    assert texts(doc) == [goal, "Figur 1: Hovedmål"]


def test_whitespace_is_collapsed_and_invisible_characters_removed() -> None:
    doc = read(body("<p>  Bolig&shy;sosial\n\thandlings&#8203;plan&nbsp;&nbsp; for  <b>alle</b>. </p>"))
    assert texts(doc) == ["Boligsosial handlingsplan for alle."]


def test_div_text_blockquote_and_definition_lists() -> None:
    doc = read(body(
        "<div>Innledende tekst.<p>Et avsnitt.</p>Tekst etter avsnittet.</div>"
        "<blockquote><p>Alle trenger et trygt hjem.</p></blockquote>"
        "<dl><dt>Startlån</dt><dd>Lån fra Husbanken til kjøp av bolig.</dd></dl>"
    ))
    assert texts(doc) == ["Innledende tekst.", "Et avsnitt.", "Tekst etter avsnittet.",
                          "Alle trenger et trygt hjem.", "Startlån", "Lån fra Husbanken til kjøp av bolig."]
    assert all(block.kind is BlockKind.paragraph for block in doc.blocks)


def test_ordered_list_numbers_follow_start_value_and_type() -> None:
    doc = read(body('<ol start="3"><li>Tre</li><li value="7">Sju</li><li>Åtte</li></ol>'
                    '<ol type="a"><li>Første</li><li>Andre</li></ol>'))
    assert texts(doc) == ["3. Tre", "7. Sju", "8. Åtte", "a. Første", "b. Andre"]


# --- what is furniture ---------------------------------------------------------------------------


def test_hidden_elements_are_dropped() -> None:
    doc = read(body(
        "<main><p>Synlig tekst om boliger.</p><div hidden><p>Skjult A</p></div>"
        '<p aria-hidden="true">Skjult B</p><p style="color: red; display: none">Skjult C</p>'
        '<span class="sr-only">Skjult D</span><p class="hidden-xs">Synlig på store skjermer.</p></main>'
    ))
    assert texts(doc) == ["Synlig tekst om boliger.", "Synlig på store skjermer."]


def test_page_wrapped_in_a_form_is_read() -> None:
    """ASP.NET pages (common on municipal sites) wrap the whole page in one <form>."""
    plan = "".join(f"<p>Avsnitt {n} om boligsosialt arbeid i kommunen.</p>" for n in range(5))
    doc = read(body(f'<form id="aspnetForm"><div id="header"><ul class="menu"><li>Barnehage</li></ul></div>'
                    f'<div class="content"><h1>Plan</h1>{plan}</div><div id="footer">Rådhusgata 1</div></form>'))
    assert texts(doc) == ["Plan"] + [f"Avsnitt {n} om boligsosialt arbeid i kommunen." for n in range(5)]


def test_site_header_without_the_page_title_is_dropped_with_it_kept() -> None:
    doc = read(body('<header><h1 class="logo"><a href="/">Fjellvik kommune</a></h1><nav><h2>Meny</h2>'
                    '<ul><li>Skole</li></ul></nav></header><div class="content"><p>Planens tekst.</p></div>'
                    '<header class="page-header"><h1>Boligsosial handlingsplan</h1></header>'))
    assert texts(doc) == ["Planens tekst.", "Boligsosial handlingsplan"]


def test_stripping_that_leaves_almost_nothing_falls_back_to_the_whole_body() -> None:
    """A template that puts each part of the text in an <aside>: better the whole page, menu
    and all, than nothing."""
    parts = "".join(f'<aside class="panel"><h2>Del {n}</h2><p>Kommunen skal gjøre tiltak {n} for bostedsløse.</p>'
                    "</aside>" for n in range(6))
    doc = read(body(f'<nav><a>Forsiden</a></nav>{parts}<script>var x;</script>'))
    assert "Kommunen skal gjøre tiltak 5 for bostedsløse." in texts(doc)
    assert "Forsiden" in texts(doc)
    assert "var x" not in doc.text


# --- the command line ----------------------------------------------------------------------------


def test_cli_checks_a_web_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "side.html"
    page.write_text(cms_page("main"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(page)])
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_bad_web_page_exits_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "tom.html"
    page.write_bytes(b"<html><head><title>Plan</title></head><body><script>var a = 1;</script></body></html>")
    before = hashlib.sha256(page.read_bytes()).hexdigest()
    result = CliRunner().invoke(cli, ["check", str(page)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(page) in lines[0] and "ingen lesbar tekst" in lines[0]
    assert "Traceback" not in result.output
    assert hashlib.sha256(page.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("label", ["rot13", "base64", "hex", "zlib", "uu", "undefined", "punycode", "idna"])
def test_a_declared_charset_that_is_no_text_encoding_is_ignored(label: str) -> None:
    page = (f'<html><head><meta charset="{label}"></head><body><h1>Boligsosial handlingsplan</h1>'
            "<p>Kommunen skal sørge for at flere får en trygg og god bolig.</p></body></html>").encode("utf-8")
    document = HtmlReader().read(Source("plan.html", page))
    assert "trygg og god bolig" in document.text
