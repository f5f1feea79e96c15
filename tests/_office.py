"""Small Word and OpenDocument files with comments, built in the tests (no soffice needed).

``docx_plan`` and ``odt_plan`` take a plan as a list of (kind, text, comment) rows, kind
being "title", "h1"/"h2"/"h3", "p" or "li", and write each comment (if any) on its row the
way Word (word/comments.xml, anchored by w:commentRangeStart) and LibreOffice
(office:annotation inside the paragraph) do.
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_BREAK

Row = tuple[str, str, str | None]

ODT_MEDIA_TYPE = "application/vnd.oasis.opendocument.text"
#: The ODF namespaces, as attributes for a hand-written document root.
NAMESPACES = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}.items())


def docx_plan(rows: list[Row], *, title: str | None = None, author: str | None = None) -> bytes:
    """A Word file; a row ("break", "", None) is a page break."""
    document = docx.Document()
    if title:
        document.core_properties.title = title
    if author:
        document.core_properties.author = author
    for kind, text, comment in rows:
        if kind == "break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        if kind == "title":
            paragraph = document.add_paragraph(text, style="Title")
        elif kind.startswith("h"):
            paragraph = document.add_heading(text, int(kind[1]))
        elif kind == "li":
            paragraph = document.add_paragraph(text, style="List Bullet")
        else:
            paragraph = document.add_paragraph(text)
        if comment:
            document.add_comment(paragraph.runs, text=comment, author="Saksbehandler", initials="SB")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _annotation(comment: str | None) -> str:
    if not comment:
        return ""
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in comment.split("\n"))
    return (f"<office:annotation><dc:creator>Saksbehandler</dc:creator><dc:date>2026-02-01T10:00:00</dc:date>"
            f"{paragraphs}</office:annotation>")


def odt_plan(rows: list[Row]) -> bytes:
    """An OpenDocument text; a row ("break", "", None) is a page break LibreOffice recorded."""
    body = []
    for kind, text, comment in rows:
        note = _annotation(comment)
        if kind == "break":
            body.append("<text:soft-page-break/>")
        elif kind == "title":
            body.append(f'<text:p text:style-name="Title">{escape(text)}{note}</text:p>')
        elif kind.startswith("h"):
            body.append(f'<text:h text:outline-level="{kind[1]}">{escape(text)}{note}</text:h>')
        elif kind == "li":
            item = f"<text:list-item><text:p>{escape(text)}{note}</text:p></text:list-item>"
            body.append(f"<text:list>{item}</text:list>")
        else:
            body.append(f"<text:p>{escape(text)}{note}</text:p>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES} office:version="1.3">'
               f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT_MEDIA_TYPE}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MEDIA_TYPE)  # stored, first
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
