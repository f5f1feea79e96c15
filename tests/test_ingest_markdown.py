"""The Markdown / plain-text reader: what a user sees of a plan's layout after reading it.

Each test feeds a small invented text and checks a block, page, section or line a user
would see quoted back in a finding.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from planaudit.errors import InputError
from planaudit.ingest import MarkdownReader, Source, load_source
from planaudit.model import Block, BlockKind, Document


def read(text: str | bytes, name: str = "plan.md") -> Document:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return MarkdownReader().read(Source(name, data))


def blocks_of(doc: Document, kind: BlockKind) -> list[Block]:
    return [block for block in doc.blocks if block.kind is kind]


def block_with(doc: Document, needle: str) -> Block:
    found = [block for block in doc.blocks if needle in block.text]
    assert found, f"no block contains {needle!r}; blocks: {[b.text for b in doc.blocks]}"
    return found[0]


def texts(doc: Document) -> list[str]:
    return [block.text for block in doc.blocks]


# --- headings and sections ----------------------------------------------------------------


def test_markdown_headings_keep_their_level_and_open_sections() -> None:
    doc = read(
        "# Boligsosial handlingsplan\n"
        "\n"
        "## 4 Tiltak\n"
        "\n"
        "### 4.2 Bolig\n"
        "\n"
        "Kommunen skal kjøpe 12 boliger.\n"
        "\n"
        "## 5 Oppfølging\n"
        "\n"
        "Planen rulleres hvert fjerde år.\n"
    )
    headings = [(block.text, block.level) for block in blocks_of(doc, BlockKind.heading)]
    assert headings == [
        ("Boligsosial handlingsplan", 1),
        ("4 Tiltak", 2),
        ("4.2 Bolig", 3),
        ("5 Oppfølging", 2),
    ]
    buy = block_with(doc, "kjøpe 12 boliger")
    assert buy.kind is BlockKind.paragraph
    assert buy.location.section[-2:] == ("4 Tiltak", "4.2 Bolig")
    assert buy.location.section_title == "4.2 Bolig"
    # a sibling heading closes the deeper section
    revise = block_with(doc, "rulleres")
    assert revise.location.section[-1] == "5 Oppfølging"
    assert "4.2 Bolig" not in revise.location.section
    assert "4 Tiltak" not in revise.location.section


@pytest.mark.parametrize("name", ["plan.txt", "plan.md"])
def test_numbered_line_in_plain_text_becomes_heading(name: str) -> None:
    doc = read(
        "3 Mål og strategier\n"
        "\n"
        "3.2 Mål\n"
        "Antall bostedsløse skal ned fra 17 til 8 innen 2027.\n"
        "\n"
        "3.2.1 Delmål for ungdom\n"
        "Ti unge skal få egen bolig innen 2026.\n",
        name,
    )
    levels = {block.text: block.level for block in blocks_of(doc, BlockKind.heading)}
    assert levels == {"3 Mål og strategier": 1, "3.2 Mål": 2, "3.2.1 Delmål for ungdom": 3}
    goal = block_with(doc, "fra 17 til 8")
    assert goal.kind is BlockKind.paragraph
    assert goal.location.section == ("3 Mål og strategier", "3.2 Mål")
    young = block_with(doc, "Ti unge")
    assert young.location.section == ("3 Mål og strategier", "3.2 Mål", "3.2.1 Delmål for ungdom")


def test_numbered_heading_with_trailing_dot_in_plain_text() -> None:
    """'4. Tiltak' on its own line in text converted from a PDF is a chapter heading,
    as the layout rules intend ("4. Tiltak" is one of their own examples)."""
    doc = read("4. Tiltak\n\nKommunen skal kjøpe 12 boliger innen 2027.\n", "plan.txt")
    headings = blocks_of(doc, BlockKind.heading)
    assert [(block.text, block.level) for block in headings] == [("4. Tiltak", 1)]
    assert block_with(doc, "kjøpe 12 boliger").location.section == ("4. Tiltak",)


def test_sentences_starting_with_numbers_are_not_headings() -> None:
    doc = read(
        "12 boliger skal bygges i planperioden.\n"
        "\n"
        "2025 Kommunestyret vedtar planen.\n"
        "\n"
        "3.1 Innholdsfortegnelse ......... 4\n",
        "plan.txt",
    )
    assert blocks_of(doc, BlockKind.heading) == []


# --- lists ------------------------------------------------------------------------------------


def test_markdown_dash_list_gives_one_item_per_bullet() -> None:
    doc = read(
        "## Tiltak\n"
        "\n"
        "- Kjøpe 12 boliger\n"
        "- Opprette bo-oppfølgingsteam med to årsverk\n"
        "  som også følger opp leietakere i private boliger\n"
        "- Avtale med namsfogden\n"
    )
    items = blocks_of(doc, BlockKind.list_item)
    assert [item.text for item in items] == [
        "Kjøpe 12 boliger",
        "Opprette bo-oppfølgingsteam med to årsverk som også følger opp leietakere i private boliger",
        "Avtale med namsfogden",
    ]
    assert all(item.location.section == ("Tiltak",) for item in items)
    assert [item.location.line for item in items] == [3, 4, 6]


@pytest.mark.parametrize("name", ["plan.txt", "plan.md"])
def test_round_bullets_from_pdf_text_become_list_items(name: str) -> None:
    doc = read(
        "Kommunen vil:\n"
        "• kjøpe 12 boliger\n"
        "• opprette et bo-oppfølgingsteam\n"
        "• inngå avtale med namsfogden\n",
        name,
    )
    items = blocks_of(doc, BlockKind.list_item)
    assert [item.text for item in items] == [
        "kjøpe 12 boliger",
        "opprette et bo-oppfølgingsteam",
        "inngå avtale med namsfogden",
    ]
    assert [item.location.line for item in items] == [2, 3, 4]
    assert block_with(doc, "Kommunen vil").kind is BlockKind.paragraph
    assert not any("•" in text for text in texts(doc))


# --- tables -----------------------------------------------------------------------------------


def test_pipe_table_keeps_rows_and_cells() -> None:
    doc = read(
        "## Hovedmål 1\n"
        "\n"
        "| Tiltak | Ansvarlig | Tidsfrist | Kostnad |\n"
        "|---|---|---|---|\n"
        "| Kjøpe 12 boliger | Eiendomsavdelingen | 2026 | kr 42 mill. |\n"
        "| Bo-oppfølgingsteam | Psykisk helse og rus | 2. kvartal 2025 | Innenfor eksisterende rammer |\n"
    )
    tables = blocks_of(doc, BlockKind.table)
    assert len(tables) == 1
    table = tables[0]
    assert table.rows == (
        ("Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad"),
        ("Kjøpe 12 boliger", "Eiendomsavdelingen", "2026", "kr 42 mill."),
        ("Bo-oppfølgingsteam", "Psykisk helse og rus", "2. kvartal 2025", "Innenfor eksisterende rammer"),
    )
    assert "Eiendomsavdelingen" in table.text
    assert table.location.line == 3
    assert table.location.section == ("Hovedmål 1",)


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["side", "page", "seksjon", "SIDE"])
def test_page_markers_give_page_numbers(word: str) -> None:
    doc = read(
        f"<!-- {word} 1 -->\n"
        "# Boligsosial handlingsplan\n"
        "\n"
        f"<!-- {word} 2 -->\n"
        "Kommunen har 212 kommunale utleieboliger.\n"
        "\n"
        f"<!-- {word} 3 -->\n"
        "- Kjøpe 12 boliger\n"
        "\n"
        "| Tiltak | Ansvarlig |\n"
        "|---|---|\n"
        "| Kjøpe boliger | Eiendomsavdelingen |\n"
    )
    assert doc.pages == 3
    assert block_with(doc, "Boligsosial handlingsplan").location.page == 1
    assert block_with(doc, "212 kommunale").location.page == 2
    assert block_with(doc, "Kjøpe 12 boliger").location.page == 3
    assert blocks_of(doc, BlockKind.table)[0].location.page == 3
    assert not any("<!--" in text for text in texts(doc))


def test_page_markers_need_not_start_at_one() -> None:
    doc = read("<!-- side 7 -->\nTekst fra side sju.\n\n<!-- side 8 -->\nTekst fra side åtte.\n")
    assert block_with(doc, "side sju").location.page == 7
    assert block_with(doc, "side åtte").location.page == 8
    assert doc.pages == 8


def test_form_feeds_between_paragraphs_give_page_numbers() -> None:
    doc = read("Tekst på side en.\n\n\fTekst på side to.\n\n\fTekst på side tre.\n", "plan.txt")
    assert [block.location.page for block in doc.blocks] == [1, 2, 3]
    assert doc.pages == 3
    assert not any("\f" in text for text in texts(doc))


def test_form_feed_starts_the_next_page_even_without_a_blank_line() -> None:
    """pdftotext puts the form feed at the start of the next page's first line, with no
    blank line before it: the text after it is on the next page, not part of the
    last paragraph of the page before."""
    doc = read("Siste linje på side en.\n\fFørste linje på side to.\n", "plan.txt")
    assert block_with(doc, "side to").location.page == 2
    assert block_with(doc, "side en").location.page == 1


def test_trailing_form_feed_does_not_add_a_page() -> None:
    """pdftotext ends its output with a form feed after the last page."""
    doc = read("Tekst på side en.\n\n\fTekst på side to.\n\f", "plan.txt")
    assert doc.pages == 2


def test_text_without_markers_has_no_pages() -> None:
    doc = read("# Plan\n\nKommunen skal kjøpe 12 boliger.\n\n- Tiltak en\n")
    assert doc.pages is None
    assert doc.blocks
    assert all(block.location.page is None for block in doc.blocks)


# --- running headers, footers and page numbers -----------------------------------------------


def _paged(bodies: list[str], footer: str | None = None, number_last: bool = False) -> str:
    out = []
    for page, body in enumerate(bodies, start=1):
        out.append(f"<!-- side {page} -->\n{body}\n")
        if footer:
            out.append("\n" + footer.format(page=page) + "\n")
        if number_last:
            out.append(f"\n{page}\n")
        out.append("\n")
    return "".join(out)


_TOPICS = [
    "Innledningen forklarer hvorfor planen trengs.",
    "Kunnskapsgrunnlaget viser 212 kommunale utleieboliger.",
    "Ventelisten har vokst de siste årene.",
    "Bostedsløse får tilbud om oppfølging i hjemmet.",
    "Tiltakene er ordnet under tre hovedmål.",
    "Planen rulleres hvert fjerde år.",
]


def test_running_footer_repeated_on_many_pages_is_removed() -> None:
    doc = read(_paged(_TOPICS, footer="Fjellvik kommune – Boligsosial handlingsplan 2025–2028 – side {page}"))
    assert not any("Fjellvik kommune –" in text for text in texts(doc))
    assert texts(doc) == _TOPICS
    assert [block.location.page for block in doc.blocks] == [1, 2, 3, 4, 5, 6]


def test_lone_page_numbers_are_removed() -> None:
    bodies = ["Kommunen har 212 kommunale utleieboliger.", "48 husstander står på venteliste.",
              "Planen rulleres hvert fjerde år."]
    doc = read(_paged(bodies, number_last=True))
    assert texts(doc) == bodies


def test_numbers_that_are_content_are_kept() -> None:
    doc = read("Antall søkere på venteliste:\n\n48\n\nKilde: Kostra 2024\n")
    assert "48" in texts(doc)


def test_table_header_repeated_under_goals_on_several_pages_is_kept() -> None:
    """Plans repeat the same measure table header (Tiltak | Ansvarlig | Tidsfrist |
    Kostnad) under every goal; that is content, not a running header."""
    pages = []
    for goal in range(1, 6):
        pages.append(
            f"## Hovedmål {goal}\n\nTekst om mål {goal}.\n\n"
            "| Tiltak | Ansvarlig | Tidsfrist | Kostnad |\n"
            "|---|---|---|---|\n"
            f"| Tiltak {goal}.1 | Tildelingskontoret | 202{goal} | kr {goal}00 000 |\n"
            f"\nMer tekst om mål {goal}."
        )
    doc = read(_paged(pages))
    tables = blocks_of(doc, BlockKind.table)
    assert len(tables) == 5, texts(doc)
    assert [table.rows[0] for table in tables] == [("Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad")] * 5
    assert [table.location.page for table in tables] == [1, 2, 3, 4, 5]


def test_table_continued_over_pages_keeps_its_repeated_header() -> None:
    """A long measure table spanning pages repeats its header row at the top of every page
    (Word's "repeat header row"); each page's part is still a table with that header."""
    units = ["NAV Fjellvik", "Tildelingskontoret", "Eiendomsavdelingen", "Psykisk helse og rus",
             "Flyktningtjenesten"]
    pages = []
    for page, unit in enumerate(units, start=1):
        pages.append(
            "| Tiltak | Ansvarlig | Tidsfrist | Kostnad |\n|---|---|---|---|\n"
            + "".join(f"| Tiltak {page}.{n} for {_WORDS[page * 3 + n]} | {unit} | {2024 + n} | kr {n}00 000 |\n"
                      for n in range(1, 4))
        )
    doc = read(_paged(pages, footer="Boligsosial handlingsplan – side {page}"))
    tables = blocks_of(doc, BlockKind.table)
    assert [table.location.page for table in tables] == [1, 2, 3, 4, 5], texts(doc)
    assert all(table.rows[0] == ("Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad") for table in tables)
    assert all(len(table.rows) == 4 for table in tables)
    assert not any("Boligsosial handlingsplan – side" in text for text in texts(doc))


def test_markdown_heading_opening_every_page_is_kept() -> None:
    """Each goal starting on a new page under '## Hovedmål N' is a heading, not a running
    header, even though it opens every page and differs only by its number."""
    words = iter(_WORDS)
    pages = [
        f"## Hovedmål {n}\n\nHer står teksten om {next(words)}.\n\nHer står teksten om {next(words)}.\n\n"
        f"Her står teksten om {next(words)}."
        for n in range(1, 6)
    ]
    doc = read(_paged(pages, footer="Fjellvik kommune – side {page}"))
    headings = blocks_of(doc, BlockKind.heading)
    assert [(h.text, h.location.page) for h in headings] == [(f"Hovedmål {n}", n) for n in range(1, 6)], texts(doc)
    assert block_with(doc, _WORDS[4]).location.section == ("Hovedmål 2",)


_WORDS = (
    "startlån bostøtte tildeling venteliste botid utkastelse namsfogden husleie depositum "
    "omsorgsboliger gjennomgangsboliger flyktninger ungdom eldre rusmiddelbrukere leietakere "
    "utleiere boligbyggelag tomter reguleringsplan universell utforming brukerråd statistikk"
).split()


@pytest.mark.parametrize(
    "repeated",
    [
        "### Tiltak",
        "## Hovedmål {n}",
        "Ansvarlig: Tildelingskontoret",
        "Frist: {n}. kvartal 202{n}",
    ],
)
def test_content_lines_repeated_mid_page_on_several_pages_are_kept(repeated: str) -> None:
    """A running header or footer sits at the top or bottom of a page; the same sub-heading
    or label line (digits aside) in the middle of several pages is the plan's content."""
    words = iter(_WORDS)
    pages = [
        "\n\n".join([f"Her står teksten om {next(words)}.", f"Her står teksten om {next(words)}.",
                      repeated.format(n=n),
                      f"Her står teksten om {next(words)}.", f"Her står teksten om {next(words)}."])
        for n in range(1, 7)
    ]
    doc = read(_paged(pages))
    wanted = [repeated.format(n=n).lstrip("# ") for n in range(1, 7)]
    kept = [block for block in doc.blocks if block.text in wanted]
    assert [block.location.page for block in kept] == [1, 2, 3, 4, 5, 6], texts(doc)
    assert len(doc.blocks) == 30


# --- hyphenation ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan.txt", "plan.md"])
def test_hyphenated_line_ends_are_joined(name: str) -> None:
    doc = read("Kommunen har en egen bolig-\nsosial handlingsplan for å hjelpe vanskelig-\nstilte.\n", name)
    assert texts(doc) == ["Kommunen har en egen boligsosial handlingsplan for å hjelpe vanskeligstilte."]


def test_hyphenated_line_ends_in_list_items_are_joined() -> None:
    doc = read("- Etablere et bolig-\n  sosialt team i NAV\n- Kjøpe boliger\n")
    assert [item.text for item in blocks_of(doc, BlockKind.list_item)] == [
        "Etablere et boligsosialt team i NAV", "Kjøpe boliger",
    ]


def test_hyphen_before_a_capital_or_a_conjunction_is_kept() -> None:
    """In 'plan-\\nog bygningsloven' the hyphen belongs to a shared compound ("plan- og
    bygningsloven"), and before a capital it joins a name: neither is a broken word."""
    doc = read(
        "Saken følges opp etter plan-\nog bygningsloven.\n\nVi samarbeider med Fjellvik-\nBoligbyggelag.\n",
        "plan.txt",
    )
    assert texts(doc) == [
        "Saken følges opp etter plan- og bygningsloven.",
        "Vi samarbeider med Fjellvik- Boligbyggelag.",
    ]


# --- lines, encodings -------------------------------------------------------------------------


def test_line_numbers_point_at_the_source_lines() -> None:
    source = (
        "<!-- side 1 -->\n"            # 1
        "# Plan\n"                      # 2
        "\n"                            # 3
        "Innledende tekst\n"            # 4
        "som går over to linjer.\n"     # 5
        "\n"                            # 6
        "<!-- side 2 -->\n"             # 7
        "## 2 Mål\n"                    # 8
        "\n"                            # 9
        "- Første punkt\n"              # 10
        "- Andre punkt\n"               # 11
        "\n"                            # 12
        "| Tiltak | Ansvarlig |\n"       # 13
        "|---|---|\n"                   # 14
        "| Kjøpe boliger | NAV |\n"      # 15
        "\n"                            # 16
        "3.1 Delmål\n"                  # 17
        "Ti boliger innen 2027.\n"      # 18
    )
    doc = read(source)
    where = {block.text.split("\n")[0]: (block.location.line, block.location.page) for block in doc.blocks}
    assert where == {
        "Plan": (2, 1),
        "Innledende tekst som går over to linjer.": (4, 1),
        "2 Mål": (8, 2),
        "Første punkt": (10, 2),
        "Andre punkt": (11, 2),
        "Tiltak | Ansvarlig": (13, 2),
        "3.1 Delmål": (17, 2),
        "Ti boliger innen 2027.": (18, 2),
    }
    assert [block.location.block for block in doc.blocks] == list(range(len(doc.blocks)))


def test_windows_line_endings_keep_line_numbers() -> None:
    doc = read(b"# Plan\r\n\r\nTekst\r\n\r\n- Punkt\r\n")
    assert [(block.text, block.location.line) for block in doc.blocks] == [
        ("Plan", 1), ("Tekst", 3), ("Punkt", 5),
    ]


def test_windows_1252_input_is_decoded() -> None:
    data = "# Mål for boligsosialt arbeid\n\nSøkere på venteliste – 48 husstander i Ørsta.\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = read(data)
    assert texts(doc) == ["Mål for boligsosialt arbeid", "Søkere på venteliste – 48 husstander i Ørsta."]


def test_utf8_byte_order_mark_is_dropped() -> None:
    doc = read("\ufeff# Boligsosial handlingsplan\n\nTekst.\n".encode("utf-8"))
    heading = blocks_of(doc, BlockKind.heading)[0]
    assert heading.text == "Boligsosial handlingsplan"
    assert heading.level == 1


def test_binary_content_is_an_input_error_naming_the_file() -> None:
    with pytest.raises(InputError) as caught:
        read(b"\x00\x01\x02PK\x03\x04 not text", "plan.md")
    assert caught.value.message().startswith("plan.md: ")


def test_document_records_path_hash_and_format() -> None:
    data = "# Plan\n\nTekst.\n".encode("utf-8")
    doc = read(data, "kommune/plan.md")
    assert doc.path == "kommune/plan.md"
    assert doc.sha256 == Source("x", data).sha256
    assert len(doc.sha256) == 64
    assert doc.format == "markdown"
    assert read("Bare en tekstlinje uten markdown.\n", "plan.txt").format == "text"


# --- the fixture plans ------------------------------------------------------------------------


def _read_file(path: Path) -> Document:
    return MarkdownReader().read(load_source(path))


def test_good_plan_fixture_reads_as_eight_pages_without_footers(plans_dir: Path) -> None:
    doc = _read_file(plans_dir / "god_plan.md")
    assert doc.pages == 8
    assert doc.blocks[0].kind is BlockKind.heading
    assert doc.blocks[0].text == "Boligsosial handlingsplan 2025–2028"
    assert not any("Fjellvik kommune – Boligsosial" in text for text in texts(doc))
    adopted = block_with(doc, "vedtatt i kommunestyret 12.06.2025, sak 45/25")
    assert adopted.location.page == 2
    assert adopted.location.section[-1] == "1.3 Politisk behandling"
    assert "boligsosiale arbeidet" in block_with(doc, "felles grunnlag").text
    follow = block_with(doc, "rulleres hvert fjerde år")
    assert follow.location.page == 8
    assert follow.location.section[-2:] == ("5 Oppfølging, evaluering og rullering", "5.3 Rullering")


def test_good_plan_fixture_keeps_every_measure_table(plans_dir: Path) -> None:
    doc = _read_file(plans_dir / "god_plan.md")
    measure_tables = [t for t in blocks_of(doc, BlockKind.table) if t.rows and t.rows[0][0] == "Tiltak"]
    assert [t.location.page for t in measure_tables] == [5, 6, 7], texts(doc)
    for table in measure_tables:
        assert table.rows[0] == ("Tiltak", "Ansvarlig", "Tidsfrist", "Kostnad")
        assert len(table.rows) in (4, 5)
        assert all(len(row) == 4 and all(row) for row in table.rows)
    assert measure_tables[1].location.section[-1] == "4.2 Hovedmål 2: Ingen skal være bostedsløse"


def test_nynorsk_fixture_reads_headings_labels_and_table(plans_dir: Path) -> None:
    doc = _read_file(plans_dir / "nynorsk_plan.md")
    assert doc.pages == 3
    label = block_with(doc, "Ansvarleg: Tildelingskontoret")
    assert label.kind is BlockKind.paragraph
    assert label.location.section[-1] == "4.2 Mål 2: Bustader tilpassa behova"
    assert label.location.page == 2
    table = blocks_of(doc, BlockKind.table)[0]
    assert table.rows[0] == ("Tiltak", "Ansvarleg", "Frist", "Kostnad")
    assert table.location.page == 3


def test_weak_plan_fixture_has_bullets_and_no_tables(plans_dir: Path) -> None:
    doc = _read_file(plans_dir / "svak_plan.md")
    assert doc.pages == 3
    assert blocks_of(doc, BlockKind.table) == []
    measures = [b.text for b in blocks_of(doc, BlockKind.list_item) if b.location.section[-1] == "Tiltak"]
    assert len(measures) == 5
    assert measures[0] == "Styrke samarbeidet med frivillige organisasjoner"


# --- the labelled real plans (skipped when ../shared/corpus is absent) ------------------------


@pytest.mark.corpus
def test_every_corpus_plan_reads_with_pages_and_sections(corpus_dir: Path) -> None:
    from planaudit.extract import extract_plan

    plans = sorted(path for path in corpus_dir.glob("*.md") if path.name != "README.md")
    assert plans, f"no plans in {corpus_dir}"
    for path in plans:
        doc = _read_file(path)
        marked = "<!-- side" in path.read_text(encoding="utf-8") or "<!-- seksjon" in path.read_text(
            encoding="utf-8"
        )
        assert len(doc.blocks) > 20, path.name
        assert (doc.pages is not None) == marked, path.name
        assert [b.location.block for b in doc.blocks] == list(range(len(doc.blocks))), path.name
        if marked:
            assert all(b.location.page is not None for b in doc.blocks), path.name
        extract_plan(doc)
