"""Document → Plan: every extractor over the document, each item keeping its Location."""
from __future__ import annotations

import re

from ..model import (
    Actor,
    Document,
    FollowUp,
    KnowledgeFact,
    Organisation,
    Participation,
    Plan,
    PlanReference,
    PoliticalEvent,
)
from . import mentions
from ._sentences import sentences
from .language import detect_language
from .metadata import extract_metadata
from .structure import extract_goals_and_measures

__all__ = ["extract_plan"]

_ELSEWHERE = re.compile(
    r"\btiltak\w*\b[^.]{0,80}\b(?:i (?:et |eit )?(?:eget|eige|eiget|eigen|egen|separat|eget) (?:\w*dokument\w*|vedlegg|handlingsplan|handlingsdel|tiltaksplan)"
    r"|i (?:vedlegg|handlingsdel\w*|handlingsprogram\w*|tiltaksplan\w*)en?\b[^.]{0,40}(?:som )?(?:utarbeides|utarbeidast|følger|kjem|kommer))",
    re.IGNORECASE,
)


# "Kunnskapsgrunnlaget er samlet i eget dokument", "… står i bakgrunnsdokumentet (del 2)".
_KNOWLEDGE_ELSEWHERE = re.compile(
    r"\b(?:kunnskapsgrunnlag\w*|bakgrunnsdokument\w*|statistikk\w*|kartlegging\w*|faktagrunnlag\w*)\b[^.]{0,80}"
    r"\b(?:eget|eige|eigen|egen|separat|eit anna|et annet) (?:dokument|vedlegg|rapport|notat)"
    r"|\b(?:kunnskapsgrunnlag\w*|faktagrunnlag\w*)\b[^.]{0,60}\b(?:i|til) (?:vedlegg\w*|bakgrunnsdokument\w*|del \d)",
    re.IGNORECASE,
)

# Cheap word checks before the patterns above, which most sentences cannot match.
_KNOWLEDGE_WORDS = ("grunnlag", "bakgrunnsdokument", "statistikk", "kartlegging")


def extract_plan(document: Document) -> Plan:
    language = detect_language(document.text)
    goals, measures = extract_goals_and_measures(document)
    actors: list[Actor] = []
    participation: list[Participation] = []
    references: list[PlanReference] = []
    political: list[PoliticalEvent] = []
    organisation: list[Organisation] = []
    follow_up: list[FollowUp] = []
    knowledge: list[KnowledgeFact] = []
    elsewhere = knowledge_elsewhere = None
    for sentence in sentences(document):
        actors.extend(mentions.find_actors(sentence))
        participation.extend(mentions.find_participation(sentence))
        references.extend(mentions.find_references(sentence))
        political.extend(mentions.find_political(sentence))
        organisation.extend(mentions.find_organisation(sentence))
        follow_up.extend(mentions.find_follow_up(sentence))
        knowledge.extend(mentions.find_knowledge(sentence))
        lower = sentence.text.lower()
        if elsewhere is None and "tiltak" in lower and _ELSEWHERE.search(sentence.text):
            elsewhere = sentence.text
        if knowledge_elsewhere is None and any(word in lower for word in _KNOWLEDGE_WORDS) \
                and _KNOWLEDGE_ELSEWHERE.search(sentence.text):
            knowledge_elsewhere = sentence.text
    return Plan(
        metadata=extract_metadata(document, language),
        goals=tuple(goals),
        measures=tuple(measures),
        measures_elsewhere=elsewhere,
        knowledge_elsewhere=knowledge_elsewhere,
        actors=tuple(actors),
        participation=tuple(participation),
        references=tuple(references),
        political=tuple(political),
        organisation=tuple(mentions.with_listed_members(document, organisation)),
        follow_up=tuple(follow_up),
        knowledge=tuple(knowledge),
    )
