"""Authors' comments in every format: kept out of the plan's text, surfaced as
``Document.comments`` with the page, line and section where they are anchored.

Each test writes a small invented plan in one format, with one comment in the introduction
and one under "4 Tiltak", and checks what the reader makes of them.
"""
from __future__ import annotations

import io

import pytest
from _office import docx_plan, odt_plan
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from planaudit.ingest import DocxReader, HtmlReader, MarkdownReader, OdtReader, PdfReader, Source
from planaudit.ingest._layout import MAX_COMMENTS
from planaudit.model import Document

TITLE = "Boligsosial handlingsplan for Lynghaug"
TILTAK = (TITLE, "4 Tiltak")


def comments(doc: Document) -> list[tuple[str, tuple[str, ...]]]:
    return [(comment.text, comment.location.section) for comment in doc.comments]


# --- Markdown and text ----------------------------------------------------------------------

MARKDOWN = f"""<!-- Utkast til formannskapet -->
# {TITLE}

Lynghaug kommune har 140 kommunale boliger. <!-- tallet er fra 2024 -->

<!-- side 2 -->

## 4 Tiltak

<!-- planaudit-godta PA004: Kostnadene
     vedtas i budsjettet for 2026 -->
Kommunen skal kjøpe fire utleieboliger innen 2027.
"""


def test_markdown_comments_leave_the_text_and_keep_page_line_and_section() -> None:
    doc = MarkdownReader().read(Source("plan.md", MARKDOWN.encode()))
    assert "tallet er fra 2024" not in doc.text and "planaudit-godta" not in doc.text
    assert "Lynghaug kommune har 140 kommunale boliger." in doc.text
    assert comments(doc) == [
        ("Utkast til formannskapet", ()),
        ("tallet er fra 2024", (TITLE,)),
        ("planaudit-godta PA004: Kostnadene\n     vedtas i budsjettet for 2026", TILTAK),
    ]
    locations = [(comment.location.page, comment.location.line) for comment in doc.comments]
    assert locations == [(1, 1), (1, 4), (2, 10)]
    assert doc.pages == 2  # the page marker is still a page marker, not a comment


def test_text_file_comments_and_line_numbers_after_a_comment_stay_right() -> None:
    text = "Innledning\n\n<!-- to\nlinjer -->\nKommunen skal bygge 12 boliger.\n"
    doc = MarkdownReader().read(Source("plan.txt", text.encode()))
    assert [comment.text for comment in doc.comments] == ["to\nlinjer"]
    assert doc.comments[0].location.line == 3
    assert [(block.text, block.location.line) for block in doc.blocks] == [
        ("Innledning", 1), ("Kommunen skal bygge 12 boliger.", 5)]


def test_unclosed_comment_is_text_and_many_comments_are_capped() -> None:
    doc = MarkdownReader().read(Source("plan.md", b"Kommunen skal bygge <!-- uferdig"))
    assert doc.comments == () and "uferdig" in doc.text
    many = "Kommunen skal bygge boliger.\n" + "<!-- x -->" * (MAX_COMMENTS + 10)
    assert len(MarkdownReader().read(Source("plan.md", many.encode())).comments) == MAX_COMMENTS


# --- HTML -----------------------------------------------------------------------------------

HTML = f"""<!DOCTYPE html><html lang="nb"><head><title>Plan</title><!-- i hodet --></head>
<body><nav><a href="/">Forsiden</a><!-- menyen --></nav><main>
<h1>{TITLE}</h1>
<p>Lynghaug kommune har 140 kommunale boliger.<!-- tallet er fra 2024 --></p>
<!--[if !supportLists]--><p>Word-eksport</p><!--[endif]-->
<h2>4 Tiltak <!-- i overskriften --></h2>
<ul><li>Kjøpe fire utleieboliger innen 2027 <!-- i punktet --></li></ul>
<!-- planaudit-godta PA004: Kostnadene vedtas i budsjettet -->
<p>Kommunen skal bygge 12 boliger i sentrum i planperioden.</p>
</main></body></html>"""


def test_html_comments_in_the_content_are_surfaced_in_their_sections() -> None:
    doc = HtmlReader().read(Source("plan.html", HTML.encode()))
    assert "tallet er fra 2024" not in doc.text and "i overskriften" not in doc.text
    assert comments(doc) == [
        ("tallet er fra 2024", (TITLE,)),
        ("i overskriften", TILTAK),
        ("i punktet", TILTAK),
        ("planaudit-godta PA004: Kostnadene vedtas i budsjettet", TILTAK),
    ]  # not the head's, the menu's, or Word's conditional comments
    assert doc.comments[-1].location.line == 8


# --- Word and OpenDocument -----------------------------------------------------------------

OFFICE_PLAN = [
    ("title", TITLE, None),
    ("p", "Lynghaug kommune har 140 kommunale boliger.", "Tallet er fra 2024"),
    ("break", "", None),
    ("h1", "4 Tiltak", None),
    ("li", "Kjøpe fire utleieboliger innen 2027.", "planaudit-godta PA004:\nKostnadene vedtas i budsjettet"),
]


@pytest.mark.parametrize("reader, build", [(DocxReader(), docx_plan), (OdtReader(), odt_plan)], ids=["docx", "odt"])
def test_office_comments_are_not_text_and_sit_at_their_paragraph(reader: DocxReader | OdtReader, build) -> None:
    doc = reader.read(Source(f"plan.{reader.name}", build(OFFICE_PLAN)))
    assert "Tallet er fra 2024" not in doc.text and "planaudit-godta" not in doc.text
    assert "Saksbehandler" not in doc.text
    assert "Kjøpe fire utleieboliger innen 2027." in doc.text
    # the title is a level-1 heading that "4 Tiltak" (also level 1) closes
    assert comments(doc) == [
        ("Tallet er fra 2024", (TITLE,)),
        ("planaudit-godta PA004:\nKostnadene vedtas i budsjettet", ("4 Tiltak",)),
    ]
    assert [comment.location.page for comment in doc.comments] == [1, 2]


def test_word_comment_range_opening_between_paragraphs_goes_to_the_next_one() -> None:
    """Word may start a comment's range in the body, before the paragraph it covers (here
    with the reference mark taken out, so only that start anchors it)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("4 Tiltak", 1)
    paragraph = document.add_paragraph("Kjøpe fire utleieboliger innen 2027.")
    comment = document.add_comment(paragraph.runs, text="planaudit-godta PA004: Vedtatt i budsjett", author="Ola")
    for element in list(paragraph._p.iter()):
        if element.tag.endswith(("}commentRangeStart", "}commentReference")):
            element.getparent().remove(element)
    paragraph._p.addprevious(parse_xml(f'<w:commentRangeStart {nsdecls("w")} w:id="{comment.comment_id}"/>'))
    buffer = io.BytesIO()
    document.save(buffer)
    doc = DocxReader().read(Source("plan.docx", buffer.getvalue()))
    assert comments(doc) == [("planaudit-godta PA004: Vedtatt i budsjett", ("4 Tiltak",))]


# --- PDF ------------------------------------------------------------------------------------


def plan_pdf() -> bytes:
    """Two pages; a sticky note beside "4 Tiltak" on page 2, and a link (not a comment)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    _, height = A4
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(72, height - 72, TITLE)
    pdf.setFont("Helvetica", 11)
    for number in range(6):
        pdf.drawString(72, height - 110 - number * 16, f"Lynghaug kommune har {140 + number} kommunale boliger i dag.")
    pdf.linkURL("https://lynghaug.kommune.no", (72, height - 120, 300, height - 100), relative=0)
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(72, height - 72, "4 Tiltak")
    pdf.textAnnotation("planaudit-godta PA004: Kostnadene vedtas i budsjettet",
                       Rect=(40, height - 80, 60, height - 60), relative=0)
    pdf.setFont("Helvetica", 11)
    for number in range(6):
        pdf.drawString(72, height - 100 - number * 16, f"Tiltak {number + 1}: kjøpe boliger i sentrum innen 2027.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_sticky_note_is_a_comment_beside_its_line() -> None:
    doc = PdfReader().read(Source("plan.pdf", plan_pdf()))
    assert "planaudit-godta" not in doc.text
    assert comments(doc) == [("planaudit-godta PA004: Kostnadene vedtas i budsjettet", TILTAK)]
    assert doc.comments[0].location.page == 2


@pytest.mark.parametrize("reader, data", [
    (MarkdownReader(), b"# Plan\n\nKommunen skal bygge 12 boliger.\n"),
    (HtmlReader(), b"<html><body><h1>Plan</h1><p>Kommunen skal bygge 12 boliger.</p></body></html>"),
])
def test_documents_without_comments_have_none(reader: MarkdownReader | HtmlReader, data: bytes) -> None:
    assert reader.read(Source("plan", data)).comments == ()


def test_page_with_tens_of_thousands_of_comments_is_read_without_them() -> None:
    noise = "<!-- x -->" * 20_001
    page = f"<html><body><main><h1>{TITLE}</h1><!-- planaudit-godta PA004: x -->{noise}" \
           "<p>Kommunen skal bygge 12 boliger i sentrum i planperioden.</p></main></body></html>"
    doc = HtmlReader().read(Source("plan.html", page.encode()))
    assert doc.comments == () and "Kommunen skal bygge 12 boliger" in doc.text
