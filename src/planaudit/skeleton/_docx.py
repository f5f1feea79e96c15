"""The plan as a Word document: real heading styles, bullet lists, a table with a marked
header row for the measures, and guidance in grey italics.

Word users navigate and number by heading styles, and planaudit's own docx reader finds
chapters the same way, so ``#`` becomes Heading 1, ``##`` Heading 2, and so on.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ._blocks import Block

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import Table

__all__ = ["write_docx"]

_LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO"}
_GUIDANCE_GREY = (0x59, 0x59, 0x59)  # dark enough to read and print (contrast about 7:1 on white)
# A fixed timestamp: the same template and options give the same document properties.
_STAMP = datetime(2000, 1, 1, tzinfo=timezone.utc)


def write_docx(blocks: list[Block], lang: str) -> bytes:
    import docx

    word = docx.Document()
    _set_language(word, _LANGUAGE_TAGS[lang])
    title = next((block.text for block in blocks if block.kind == "heading"), "")
    properties = word.core_properties
    properties.title, properties.author, properties.language = title, "planaudit init", _LANGUAGE_TAGS[lang]
    properties.created = properties.modified = _STAMP
    properties.last_modified_by, properties.revision = "planaudit init", 1
    for block in blocks:
        _write(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _write(word: WordDocument, block: Block) -> None:
    from docx.shared import RGBColor

    if block.kind == "heading":
        word.add_heading(block.text, level=min(block.level, 9))
    elif block.kind == "item":
        word.add_paragraph(block.text, style="List Bullet")
    elif block.kind == "guidance":
        run = word.add_paragraph().add_run(block.text)
        run.italic = True
        run.font.color.rgb = RGBColor(*_GUIDANCE_GREY)
    elif block.kind == "table":
        _table(word, block.rows)
    else:
        word.add_paragraph(block.text)


def _table(word: WordDocument, rows: tuple[tuple[str, ...], ...]) -> Table:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = max(len(row) for row in rows)
    table = word.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for row, cells in zip(table.rows, rows):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    for cell in table.rows[0].cells:
        for run in (run for paragraph in cell.paragraphs for run in paragraph.runs):
            run.bold = True
    # Marked as the header row: repeated on every page and read as headers by screen readers.
    header = table.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header.append(marker)
    return table


def _set_language(word: WordDocument, tag: str) -> None:
    """The proofing language of all text, so Word checks spelling in bokmål or nynorsk."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = word.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    properties = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if properties is None:
        return
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), tag)
