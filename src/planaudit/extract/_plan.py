"""Document → Plan: every extractor over the document, each item keeping its Location."""
from __future__ import annotations

import re

from ..model import Document, Plan
from . import mentions
from ._sentences import sentences
from .language import detect_language
from .metadata import extract_metadata
from .structure import extract_goals_and_measures

__all__ = ["extract_plan"]

_ELSEWHERE = re.compile(
    r"\btiltak\w*\b[^.]{0,80}\b(?:i (?:et |eit )?(?:eget|eige|eiget|eigen|egen|separat|eget) (?:dokument|vedlegg|handlingsplan|handlingsdel|tiltaksplan)"
    r"|i (?:vedlegg|handlingsdel\w*|handlingsprogram\w*|tiltaksplan\w*)en?\b[^.]{0,40}(?:som )?(?:utarbeides|utarbeidast|følger|kjem|kommer))",
    re.IGNORECASE,
)

_FINDERS = {
    "actors": mentions.find_actors,
    "participation": mentions.find_participation,
    "references": mentions.find_references,
    "political": mentions.find_political,
    "organisation": mentions.find_organisation,
    "follow_up": mentions.find_follow_up,
    "knowledge": mentions.find_knowledge,
}


def extract_plan(document: Document) -> Plan:
    language = detect_language(document.text)
    goals, measures = extract_goals_and_measures(document)
    found: dict[str, list[object]] = {name: [] for name in _FINDERS}
    elsewhere = None
    for sentence in sentences(document):
        for name, finder in _FINDERS.items():
            found[name].extend(finder(sentence))
        if elsewhere is None and _ELSEWHERE.search(sentence.text):
            elsewhere = sentence.text
    return Plan(
        metadata=extract_metadata(document, language),
        goals=tuple(goals),
        measures=tuple(measures),
        measures_elsewhere=elsewhere,
        **{name: tuple(items) for name, items in found.items()},
    )
