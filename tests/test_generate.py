"""fixtures/generate.py: the fixture plan rendered in every format, page for page, with the
same bytes every time it is regenerated."""
from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "fixtures" / "generate.py"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fixture_generate", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _load_generator()


@pytest.fixture(scope="module")
def page_count(generator: ModuleType) -> int:
    return len(generator.load_plan(generator.SOURCE_DIR / "plan_nb.yaml").pages)


@pytest.fixture(scope="module")
def rendered(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("formats")
    assert generator.main(["--out", str(out), "--lang", "nb"]) == 0
    return out


def test_every_format_is_written(rendered: Path) -> None:
    for fmt in ("md", "html", "docx", "odt", "pdf"):
        path = rendered / f"plan_nb.{fmt}"
        assert path.is_file() and path.stat().st_size > 1000, path


def test_pdf_has_one_page_per_source_page_with_running_lines(rendered: Path, page_count: int) -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(rendered / "plan_nb.pdf")
    try:
        assert len(pdf) == page_count
        texts = [pdf[index].get_textpage().get_text_range() for index in range(len(pdf))]
    finally:
        pdf.close()
    for number, text in enumerate(texts, start=1):
        assert text.startswith("Lindvik kommune – Boligsosial handlingsplan 2026–2029"), number
        assert text.rstrip().endswith(f"side {number}"), number
    # The long paragraph on page 2 breaks "boligsosiale" at a line end, as typeset plans do.
    assert re.search(r"bolig(?:\ufffe|-\r?\n)sosiale", texts[1])
    assert "4.1 Hovedmål" in texts[5] and "Tildelingskontoret" in texts[6]


def test_docx_has_heading_levels_lists_tables_and_page_breaks(rendered: Path, page_count: int) -> None:
    import docx

    document = docx.Document(str(rendered / "plan_nb.docx"))
    styled = [(paragraph.style.name if paragraph.style else "", paragraph.text) for paragraph in document.paragraphs]
    assert styled[0] == ("Heading 1", "Boligsosial handlingsplan 2026–2029")
    assert ("Heading 2", "1 Innledning") in styled and ("Heading 3", "4.1 Hovedmål") in styled
    assert ("List Bullet", "Tildelingskontoret") in styled
    breaks = document.element.body.xpath(".//w:br[@w:type='page']")
    assert len(breaks) == page_count - 1
    measures = document.tables[1]
    assert measures.style is not None and measures.style.name == "Table Grid"
    assert [cell.text for cell in measures.rows[0].cells] == ["Nr", "Tiltak", "Delmål", "Ansvarlig", "Tidsfrist",
                                                              "Kostnad"]
    assert all(run.bold for cell in measures.rows[0].cells for run in cell.paragraphs[0].runs)
    assert document.core_properties.title == "Boligsosial handlingsplan 2026–2029"


def test_odt_is_a_valid_package_with_outline_levels_and_page_breaks(rendered: Path, page_count: int) -> None:
    with zipfile.ZipFile(rendered / "plan_nb.odt") as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        for name in ("META-INF/manifest.xml", "styles.xml", "meta.xml"):
            ElementTree.fromstring(archive.read(name))
        content = ElementTree.fromstring(archive.read("content.xml"))
    headings = content.iter(f"{{{ODF_TEXT}}}h")
    levels = {heading.text: heading.get(f"{{{ODF_TEXT}}}outline-level") for heading in headings}
    assert levels["Boligsosial handlingsplan 2026–2029"] == "1"
    assert levels["5 Tiltak"] == "2" and levels["4.1 Hovedmål"] == "3"
    styles = [element.get(f"{{{ODF_TEXT}}}style-name") or element.get(f"{{{ODF_TABLE}}}style-name")
              for element in content.iter()]
    assert sum(1 for style in styles if style and style.endswith("_break")) == page_count - 1
    assert len(list(content.iter(f"{{{ODF_TABLE}}}table-header-rows"))) == 3


def test_markdown_and_html_mark_every_page(rendered: Path, page_count: int) -> None:
    markdown = (rendered / "plan_nb.md").read_text(encoding="utf-8")
    assert markdown.count("<!-- side ") == page_count
    assert f"Lindvik kommune – Boligsosial handlingsplan 2026–2029 – side {page_count}" in markdown
    html = (rendered / "plan_nb.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in html and "<main>" in html and '<nav aria-label="Hovedmeny">' in html
    assert html.count('style="break-before: page; page-break-before: always"') == page_count - 1
    assert "http" not in html, "no external resources"


def test_regenerating_gives_identical_bytes(generator: ModuleType, rendered: Path, tmp_path: Path) -> None:
    assert generator.main(["--out", str(tmp_path), "--lang", "nb"]) == 0
    for fmt in ("md", "html", "docx", "odt", "pdf"):
        name = f"plan_nb.{fmt}"
        first, second = (hashlib.sha256((folder / name).read_bytes()).hexdigest() for folder in (rendered, tmp_path))
        assert first == second, name


def test_pages_option_stretches_the_plan_for_benchmarks(generator: ModuleType, tmp_path: Path) -> None:
    import pypdfium2

    assert generator.main(["--out", str(tmp_path), "--lang", "nn", "--pages", "14", "--only", "pdf,md"]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan_nn.md", "plan_nn.pdf"]
    pdf = pypdfium2.PdfDocument(tmp_path / "plan_nn.pdf")
    try:
        assert len(pdf) == 14
    finally:
        pdf.close()
    markdown = (tmp_path / "plan_nn.md").read_text(encoding="utf-8")
    assert markdown.count("<!-- side ") == 14 and "– side 14" in markdown


def test_a_mistake_in_the_source_names_where_it_is(generator: ModuleType, tmp_path: Path) -> None:
    source = tmp_path / "plan_xx.yaml"
    source.write_text(
        (generator.SOURCE_DIR / "plan_nb.yaml").read_text(encoding="utf-8")
        .replace('- [Indikator, "2021", "2024"]', "- [Indikator, 2021, 2024]"),
        encoding="utf-8",
    )
    with pytest.raises(generator.SourceError, match=r"page 4, block 4 row 0\[1\]: write the number 2021"):
        generator.load_plan(source)
