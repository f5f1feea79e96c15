"""The shapes plans write goals and measures in: labels ("Mål 2:", "Tiltak 3.1"), numbered
items and rows, table headers and captions, and labels that conversion left at a line's end.

Patterns only: reading a document with them is the work of ``structure``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ._lexicon import terms
from .sections import roles_of_section

__all__ = [
    "ATTRIBUTE", "CAPTION", "DOCUMENT_TITLE", "ENUMERATED", "HEADER_ROW", "LEADING_NUMBER", "MEASURE_COLUMN",
    "NUMBERED_CELL", "NUMBER_ONLY", "ROW_CODE", "ROW_GROUP", "goal_label", "is_measure_header", "label", "names_measures",
    "split_trailing_label", "theme_label", "unfilled",
]


# After a label: its number, then a colon or dash, or a capital ("Tiltak 3 Kjøpe …"; the
# label patterns ignore case, the capital must not: "Tiltak i denne planen …" is prose).
_SEP = r"\s*(?P<id>\d+(?:\.\d+)*(?![\d.]\d)[a-z]?|(?-i:[A-ZÆØÅ])(?=\s*[:.)–-]))?\s*(?:[:.)\-–—]|(?=\s+(?-i:[A-ZÆØÅ«\"]))|(?=\s*$))\s*(?P<rest>.*)$"


ATTRIBUTE = re.compile(
    r"^\s*(?P<label>ansvar\w*|hvem|kven|utføres av|frist|tidsfrist|tidspunkt|tid|når|periode|år|"
    r"kostnad\w*|økonomi\w*|finansiering\w*|budsjett\w*|ressurs\w*)\s*[:：]\s*(?P<value>.+)$",
    re.IGNORECASE,
)


NUMBER_ONLY = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s*$")  # "1.1", "4.1.2", not a year


# A row's own code in a measure table: "A1", "B2.3", "T-04", "3a".
ROW_CODE = re.compile(r"^\s*(?:[A-ZÆØÅ]{1,2}-?\d{1,2}(?:\.\d{1,2})*|\d{1,2}[a-z])\.?\s*$")


# "A Boliger og botilbud", "B – Tjenester": a lettered group of rows in a measure table.
ROW_GROUP = re.compile(r"^\s*[A-ZÆØÅ]\s*[.:)–-]?\s+[A-ZÆØÅ][\wæøå]+(?:\s+[\wæøå-]+){0,7}\s*$")


# A flattened table's header row, cell by cell: "Strategi/Tiltak Ansvarlig", "Frist/Tidsplan".
_COLUMN_WORD = "(?:" + "|".join(terms("measures.columns")) + ")"


HEADER_ROW = re.compile(rf"^\s*{_COLUMN_WORD}(?:[\s/,|&-]+{_COLUMN_WORD})*\s*:?\s*$", re.IGNORECASE)


MEASURE_COLUMN = re.compile(r"\b(?:tiltak|aktivitet\w*|ansvar\w*|frist|tidsfrist|tidsplan|tidsramme|kostnad\w*|hvem|kven)\b",
                             re.IGNORECASE)


LEADING_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s*")


# A list of other plans ("Handlingsplan for trafikksikkerhet 2022–2026 (pdf)") is no list of measures.
DOCUMENT_TITLE = re.compile(
    r"^(?:[\wæøå-]+(?:isk|ig|lig)\s)?[\wæøå-]*(?:plan|strategi|veileder|rapport|melding)(?:en|er|ar|a)?\b"
    r"(?![^.!?]*\b(?:skal|vil|må|utarbeid\w*|lage|revider\w*|rullere\w*|oppdater\w*|evaluer\w*)\b)"
    r"[^.!?]{0,100}$",
    re.IGNORECASE,
)


# "1: Det skal bygges ...", "2) Flere skal eie": an enumerated item keeps its number as id.
# ... but "1. halvår 2024" is a date: an item's text opens with a capital.
ENUMERATED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})+|\d{1,2}(?=\s*[:.)]))\s*[:.)]?\s+([A-ZÆØÅ0-9«\"“(].*)$")


# "1 Tidlig oppdagelse": a goal numbered in a table cell, without the full stop of a list.
NUMBERED_CELL = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\s+([A-ZÆØÅ].{7,})$")


# "Tabell 7: Tiltak", "Figur 3 Boligmasse": a caption names a table, it is no item in it.
_UNFILLED = re.compile(r"^\s*(?:" + "|".join(terms("measures.unfilled")) + r")\s*[.:]?\s*$", re.IGNORECASE)


def unfilled(text: str) -> bool:
    """A value a template left unfilled ("[Ansvarlig enhet]", "xx", "…", or nothing): a
    planner who has not yet named the unit has not named it."""
    return not text.strip() or text.strip() in ("-", "–") or bool(_UNFILLED.match(text))


CAPTION = re.compile(r"^\s*(?:tabell|tab\.|figur|fig\.)\s*\d+", re.IGNORECASE)


@lru_cache(maxsize=None)
def label(path: str) -> re.Pattern[str]:
    alternatives = "|".join(sorted(terms(path), key=len, reverse=True))
    return re.compile(rf"^\s*(?P<label>{alternatives}){_SEP}", re.IGNORECASE)


@lru_cache(maxsize=1)
def _trailing_label() -> re.Pattern[str]:
    """A column label left at the end of a flattened table row: "... bolig Delmål"."""
    words = [*terms("goals.labels.delmål"), *terms("goals.labels.resultatmål"), *terms("goals.labels.effektmål"),
             "tiltak", "strategi(?:er|ar)?", "aktiviteter"]
    return re.compile(rf"\s+(?P<label>{'|'.join(words)})\s*:?\s*$", re.IGNORECASE)


def goal_label(text: str) -> tuple[str, re.Match[str]] | None:
    for kind in terms("goals.labels"):
        match = label(f"goals.labels.{kind}").match(text)
        if match:
            return kind, match
    return None


def theme_label(text: str) -> str | None:
    match = label("goals.themes").match(text)
    if match and (match.group("id") or ":" in text[: match.start("rest") + 1]) and len(match.group("rest")) >= 3:
        return text.strip()
    return None


@lru_cache(maxsize=1)
def _glued_label() -> re.Pattern[str]:
    """A label line ("Mål:", "Tiltak:") that text conversion glued to the end of the
    paragraph before it: "... når de er ferdige med programmet. Mål:"."""
    words = [*(term for kind in terms("goals.labels") for term in terms(f"goals.labels.{kind}")),
             *terms("measures.labels"), "tiltak", "strategi(?:er|ar)?"]
    return re.compile(rf"(?<=[.!?»”)])\s+(?P<label>{'|'.join(words)})\s*:\s*$", re.IGNORECASE)


def split_trailing_label(text: str) -> tuple[str, str | None]:
    """The text without a label left at its end, and the label; a glued label line keeps its colon."""
    match = _trailing_label().search(text)
    glued = None if match else _glued_label().search(text)
    match = match or glued
    if not match or len(text) - len(match.group(0)) < 10:
        return text, None
    colon = glued or match.group(0).rstrip().endswith(":")
    return text[: match.start()].strip(), match.group("label").lower() + (":" if colon else "")


def is_measure_header(text: str) -> bool:
    """A measure table's header row, alone or after its caption ("Tabell 6: Tiltak Nr. Tiltak Ansvarleg Frist")."""
    if CAPTION.match(text):
        words = text.split()
        return any(HEADER_ROW.match(" ".join(words[start:])) and MEASURE_COLUMN.search(" ".join(words[start:]))
                   for start in range(2, min(len(words), 12)))
    return bool(HEADER_ROW.match(text) and MEASURE_COLUMN.search(text))


_TILTAK = re.compile(r"\btiltak\b", re.IGNORECASE)
_NOT_MEASURE_CHAPTERS = frozenset({"medvirkning", "kunnskapsgrunnlag", "innledning", "organisering", "vedlegg"})


def names_measures(header: str, section: tuple[str, ...]) -> bool:
    """Whether a table with this header lists measures: "Tiltak" says so; "Aktivitet | Hvem |
    Når" does too, except in the participation, status or organisation chapter, where it lists
    meetings or figures."""
    return bool(_TILTAK.search(header)) or not roles_of_section(section) & _NOT_MEASURE_CHAPTERS
