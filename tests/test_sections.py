"""Section roles, bokmål and nynorsk: what a heading says its section is for."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planaudit.extract import ROLES, classify_sections, roles_of_heading, roles_of_section
from planaudit.model import Block, BlockKind, Document, Location


@pytest.mark.parametrize(("heading", "role"), [
    ("1 Innledning", "innledning"),
    ("1.1 Innleiing", "innledning"),
    ("2 Kunnskapsgrunnlag", "kunnskapsgrunnlag"),
    ("2.3 Utfordringsbilete", "kunnskapsgrunnlag"),
    ("Bakgrunn", "kunnskapsgrunnlag"),
    ("3 Mål og strategiar", "mål"),
    ("3 Mål og strategiar", "strategi"),
    ("4 Handlingsdel", "tiltak"),
    ("Tiltaksplan 2026–2029", "tiltak"),
    ("5 Økonomiske konsekvenser", "økonomi"),
    ("Organisering av arbeidet", "organisering"),
    ("2.2 Medverknad", "medvirkning"),
    ("Brukermedvirkning", "medvirkning"),
    ("7 Oppfølging og rullering", "oppfølging"),
    ("Oppfølgjing og evaluering", "oppfølging"),
    ("Vedlegg 1: Statistikk", "vedlegg"),
])
def test_headings_name_their_role(heading: str, role: str) -> None:
    assert role in roles_of_heading(heading)


def test_a_heading_without_a_role_has_none() -> None:
    assert roles_of_heading("4.2 Bolig for vanskeligstilte") == frozenset()


def test_a_section_takes_its_own_role_before_its_parents() -> None:
    assert roles_of_section(("Boligsosial handlingsplan", "3 Kunnskapsgrunnlag")) == {"kunnskapsgrunnlag"}
    assert roles_of_section(("Boligsosial handlingsplan", "4 Tiltak", "4.2 Bolig for vanskeligstilte")) == {"tiltak"}
    assert roles_of_section(("Lindvik – ein kommune ved fjorden",)) == frozenset()


def _block(kind: BlockKind, text: str, section: tuple[str, ...]) -> Block:
    return Block(kind=kind, text=text, location=Location(section=section))


def test_classify_sections_lists_each_section_once_in_reading_order() -> None:
    document = Document(path="plan.md", sha256="0", format="markdown", blocks=(
        _block(BlockKind.heading, "1 Innledning", ("1 Innledning",)),
        _block(BlockKind.paragraph, "Tekst.", ("1 Innledning",)),
        _block(BlockKind.heading, "2 Mål og strategiar", ("2 Mål og strategiar",)),
        _block(BlockKind.heading, "2.1 Bustad for alle", ("2 Mål og strategiar", "2.1 Bustad for alle")),
        _block(BlockKind.paragraph, "Tekst.", ("1 Innledning",)),
    ))
    sections = classify_sections(document)
    assert list(sections) == [("1 Innledning",), ("2 Mål og strategiar",),
                              ("2 Mål og strategiar", "2.1 Bustad for alle")]
    assert sections[("2 Mål og strategiar", "2.1 Bustad for alle")] == {"mål", "strategi"}


_TEXT = st.text(max_size=200)
_SECTION = st.lists(_TEXT, max_size=6).map(tuple)
_BLOCK = st.builds(
    Block, kind=st.sampled_from(list(BlockKind)), text=_TEXT,
    level=st.one_of(st.none(), st.integers(1, 9)),
    location=st.builds(Location, page=st.one_of(st.none(), st.integers(1, 999)), section=_SECTION),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_BLOCK, max_size=30))
def test_any_document_is_classified_without_error(blocks: list[Block]) -> None:
    document = Document(path="x", sha256="0", format="markdown", blocks=tuple(blocks))
    sections = classify_sections(document)
    assert set(sections) <= {block.location.section for block in blocks}
    assert all(roles <= set(ROLES) for roles in sections.values())


@pytest.mark.parametrize("title", ["Boligsosial handlingsplan 2026–2029", "Bustadsosial handlingsplan 2026-2029"])
def test_the_plan_title_is_no_section_role(title: str) -> None:
    assert roles_of_heading(title) == frozenset()
    assert roles_of_section((title, "5 Lindvik i tall")) == frozenset()
    assert roles_of_heading("5 Tiltaksplan 2026–2029") == {"tiltak"}
    assert roles_of_heading("Handlingsdelen 2024–2027") == {"tiltak"}
    assert roles_of_heading("Tiltakene 2024–2027") == {"tiltak"}
