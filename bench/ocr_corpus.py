#!/usr/bin/env python3
"""A labelled corpus plan (Markdown converted from a PDF) typeset again as a PDF and, with
``--scan``, turned into pictures and read back with OCR: prints the JSON report, so the
corpus agreement script can measure what scanning costs on real plans.

    python ../shared/eval/agreement.py --cmd "python bench/ocr_corpus.py {file}"          # typeset PDF
    python ../shared/eval/agreement.py --cmd "python bench/ocr_corpus.py --scan {file}"   # scanned, --ocr

The plan is read with planaudit's Markdown reader and each block typeset with reportlab
(headings by level, paragraphs, bullets, tables with a grid), a new PDF page at each page
marker of the source. The scan is 300 dpi greyscale, turned up to half a degree, through
JPEG (``fixtures/scanned.py``). Nothing is written next to the corpus: the PDFs live in a
temporary folder (``--keep DIR`` keeps them).
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

from planaudit.engine import read_plan
from planaudit.model import Block, BlockKind

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))
from scanned import Scan, scan_pdf  # noqa: E402

SCAN = Scan(rotate=0.5, jpeg=75)


def typeset(blocks: tuple[Block, ...]) -> bytes:
    """The blocks as an A4 PDF in Helvetica, a page break where the source's page changes."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list[object] = []
    page = None
    for block in blocks:
        if page is not None and block.location.page not in (None, page):
            story.append(PageBreak())
        page = block.location.page or page
        text = escape(" ".join(block.text.split()))
        if block.kind is BlockKind.heading:
            story.append(Paragraph(text, styles[f"Heading{min(max(block.level or 2, 1), 3)}"]))
        elif block.kind is BlockKind.list_item:
            story.append(Paragraph(text, styles["BodyText"], bulletText="•"))
        elif block.kind is BlockKind.table and block.rows:
            width = max(len(row) for row in block.rows)
            rows = [[Paragraph(escape(cell), styles["BodyText"]) for cell in row] + [""] * (width - len(row))
                    for row in block.rows]
            table = Table(rows, colWidths=[480 / width] * width, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
        else:
            story.append(Paragraph(text, styles["BodyText"]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--scan", action="store_true", help="scan the typeset PDF and read it with --ocr")
    parser.add_argument("--keep", type=Path, default=None, help="keep the PDFs in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ocr-corpus-"))
    folder.mkdir(parents=True, exist_ok=True)
    pdf = typeset(read_plan(args.file)[0].blocks)
    target = folder / f"{args.file.stem}{'-skannet' if args.scan else ''}.pdf"
    target.write_bytes(scan_pdf(pdf, SCAN) if args.scan else pdf)
    command = [sys.executable, "-m", "planaudit", "check", str(target), "--format", "json"]
    if args.scan:
        command += ["--ocr", "--jobs", str(os.cpu_count() or 1)]
    completed = subprocess.run(command, check=False, capture_output=True, text=True)
    sys.stdout.write(completed.stdout)
    sys.stderr.write(completed.stderr)
    return 0 if completed.returncode in (0, 1) else completed.returncode


if __name__ == "__main__":
    sys.exit(main())
