"""Finding lexicon terms: lemmas catch inflections, and the word prefilter never changes an answer."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planaudit.extract import extract_plan
from planaudit.extract._lexicon import lexicon, terms, terms_pattern
from planaudit.extract._match import Probe, find, lemma_of
from planaudit.extract.language import detect_language
from planaudit.ingest import MarkdownReader, Source


def _paths(node: object, prefix: str = "") -> list[str]:
    if isinstance(node, dict):
        return [path for key, value in node.items()
                for path in [f"{prefix}{key}", *_paths(value, f"{prefix}{key}.")]]
    return []


def _is_term_list(path: str) -> bool:
    node = terms(path)
    return isinstance(node, list) or (isinstance(node, dict) and all(isinstance(v, list) for v in node.values()))


# Every path the finders search: a list of terms, or a group of such lists.
PATHS = [path for path in _paths(lexicon()) if _is_term_list(path) and not path.startswith("language")]
# Words the lexicon is made of, to build text that wakes many patterns at once.
VOCABULARY = sorted({word for path in PATHS for word in re.findall(r"[a-zæøå]{2,}", terms_pattern(path).pattern)})


@pytest.mark.parametrize(("path", "text"), [
    ("political.adopted", "Planen vart vedteken i kommunestyret."),
    ("political.involved", "Utkastet ble drøfta i formannskapet i mars."),
    ("political.involved", "Hovudutvalet vart orientert om arbeidet."),
    ("follow_up.reporting", "Status rapporteres til kommunestyret hvert år."),
    ("references.ties", "Tiltaka blir tekne inn i økonomiplanen."),
    ("references.ties", "Tiltakene legges inn i handlings- og økonomiplanen."),
    ("references.ties", "Planen bygde på kommuneplanens samfunnsdel."),
    ("actors.involvement", "NAV samarbeidde med tildelingskontoret."),
    ("administrative.composition", "Arbeidsgruppa bestod av fem personar."),
    ("section_roles.mål", "Måla for planperioden"),
    ("section_roles.mål", "Målene våre"),
])
def test_lemma_terms_catch_inflected_forms(path: str, text: str) -> None:
    assert find(path, text) is not None


@pytest.mark.parametrize(("path", "text"), [
    ("section_roles.mål", "Målingar og statistikk"),
    ("political.involved", "Eldre som har behov for tjenester"),
    ("references.ties", "Folk tar toget inn til byen."),
])
def test_lemma_terms_keep_to_their_word(path: str, text: str) -> None:
    assert find(path, text) is None


def test_lemma_match_quotes_the_text_as_written() -> None:
    match = find("section_roles.mål", "Kapittel fire: MÅLA")
    assert match is not None and match.group(0) == "MÅLA"


def test_lemmas_come_from_a_norwegian_dictionary() -> None:
    assert lemma_of("vedtok") == "vedta"
    assert lemma_of("tiltaka") == "tiltak"
    assert lemma_of("2025") == "2025"


def test_inflected_adoption_and_ties_reach_the_plan() -> None:
    text = ("# Bustadsosial plan 2025–2028\n\nPlanen vart drøfta i formannskapet før høyring.\n\n"
            "Tiltaka i planen blir tekne inn i økonomiplanen kvart år.\n")
    plan = extract_plan(MarkdownReader().read(Source("plan.md", text.encode())))
    assert any(event.kind == "involvement" for event in plan.political)
    assert any(ref.kind == "økonomiplan" and ref.explicit for ref in plan.references)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=6)), max_size=12),
       path=st.sampled_from(PATHS))
def test_prefilter_never_hides_a_pattern_match(words: list[str], path: str) -> None:
    text = " ".join(words)
    if terms_pattern(path).search(text):
        assert find(path, text) is not None


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_probe_and_language_never_crash_on_any_text(text: str) -> None:
    probe = Probe(text)
    for path in ("plan_self", "political.adopted", "section_roles.mål", "references.ties"):
        match = find(path, probe)
        assert match is None or match.group(0).strip()
    assert len(probe.lemmas) == len(probe.words)
    detect_language(text)
