"""Sentence-level evidence: actors, participation, plan references, political and
administrative anchoring, follow-up and the knowledge base. Each finder reads one
sentence and says what, if anything, it is evidence of."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TypedDict

from ..model import (
    Actor,
    ActorRole,
    BlockKind,
    Document,
    FollowUp,
    FollowUpKind,
    KnowledgeFact,
    Location,
    Organisation,
    Participation,
    PlanReference,
    PoliticalEvent,
)
from ._lexicon import terms
from ._match import Probe, find
from ._sentences import Sentence
from .timing import find_timing

__all__ = [
    "external_actors_in",
    "find_actors",
    "find_follow_up",
    "find_knowledge",
    "find_organisation",
    "find_participation",
    "find_political",
    "find_references",
    "with_listed_members",
]

_CASE = re.compile(r"\b(?:sak(?:snr\.?|snummer)?|ps|[kf]s?-?(?:sak|vedtak)|saksnr\.?|vedtak)\s*[:.]?\s*(?:nr\.?\s*)?"
                   r"\d{1,4}\s*/\s*\d{2,4}\b", re.IGNORECASE)
_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?(?:20)?\d{2}\b|\b\d{1,2}\.\s?(?:"
                   + "|".join(terms("timing.months")) + r")(?:\s+20\d{2})?\b", re.IGNORECASE)
_QUANTITY = re.compile(r"(?<![\d.,])(?!(?:19|20)\d{2}\b)\d[\d  ]*(?:[.,]\d+)?\s*(?:%|prosent)?")
_PROCESS_ROLES = frozenset({"medvirkning", "organisering", "oppfølging"})
_NOT_COUNTS = re.compile(
    r"\b(?:telefon|tlf\.?|mobil|sentralbord|postboks|besøksadresse|adresse)\b[^.]*"
    r"|^\s*\d{1,2}(?:\.\d{1,2})*\.?\s"
    r"|\b[A-ZÆØÅa-zæøå]\w*\s\d{1,2}(?:\.\d{1,2})*\s*[:.)–-]\s"
    r"|§+\s*\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:første|andre|tredje)?\s*ledd)?"
    r"|\b(?:st\.|meld\.|nou|prop\.|kap\.|kapittel|side|s\.|tabell|figur|vedlegg|del|sak|ps|nr\.?)\s*\d+(?:[./]\d+)*"
    r"|\b\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)?\d{2}\b|\b\d{1,2}\.\s?(?:januar|februar|mars|april|mai|juni|juli|august"
    r"|september|oktober|november|desember)",
    re.IGNORECASE,
)
_TREATMENT_WORD = re.compile(r"\b(?:behandl\w*|handsam\w*|sluttbehandl\w*|møte)\b", re.IGNORECASE)
# Political treatment during the work, whatever the committee is called.
_POLITICAL_TREATMENT = re.compile(
    r"\b(?:politisk\w* (?:behandl\w*|handsam\w*|drøft\w*|styringsgruppe\w*|verksted\w*|workshop\w*)"
    r"|(?:behandl\w*|handsam\w*) (?:\w+ )?politisk\b"
    r"|(?:behandl\w*|handsam\w*)\b[^.]{0,40}\b(?:før (?:høring|høyring)|1\.\s?gangs?|førstegangs\w*))",
    re.IGNORECASE,
)


def _search(path: str, text: str | Probe) -> re.Match[str] | None:
    return find(path, text)


def external_actors_in(text: str | Probe) -> list[str]:
    """Names of the external actors (NAV, Husbanken, frivillige ...) a text mentions."""
    probe = text if isinstance(text, Probe) else Probe(text)
    if "actors.external" not in probe.paths:
        return []
    return [name for name in terms("actors.external") if find(f"actors.external.{name}", probe)]


def find_actors(sentence: Sentence) -> Iterable[Actor]:
    text, probe = sentence.text, sentence.probe
    names = external_actors_in(probe)
    if not names:
        return
    involved = _search("actors.involvement", probe) or "tiltak" in sentence.roles
    role: ActorRole = "participant" if involved else ("instrument" if _search("actors.instrument", probe) else "mention")
    for name in names:
        yield Actor(text=text, location=sentence.location, name=name, external=True, role=role)


_NEEDS_USERS = ("workshop", "meeting", "interview", "survey", "intention")
# Who answered: "spørreundersøkelse blant leietakerne", "intervju med brukere"; a survey of
# builders about housing for young people is not user participation.
_RESPONDENTS = r"(?:bruker|brukar)\w*undersøk\w*|(?:blant|med|til|av)\s+(?:[\wæøå]+\s){{0,2}}?(?:{users})"


@lru_cache(maxsize=1)
def _users_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Who participation is with, and who answered a survey: compiled once, used per sentence."""
    users = terms("participation.users")
    return (re.compile(users, re.IGNORECASE),
            re.compile(_RESPONDENTS.format(users=users), re.IGNORECASE))


def find_participation(sentence: Sentence) -> Iterable[Participation]:
    """Participation in making the plan; with users, councils or the public, not with builders."""
    text, probe = sentence.text, sentence.probe
    if "participation.kinds" not in probe.paths or _OTHER_PLAN_PROCESS.search(text):
        return  # not the process of regulation plans or building cases
    users_pattern, respondents = _users_patterns()
    for kind in terms("participation.kinds"):
        match = _search(f"participation.kinds.{kind}", probe)
        if not match or (kind in _NEEDS_USERS and not users_pattern.search(text)) or _negated(text, match.start()):
            continue
        if kind in ("survey", "interview") and not respondents.search(text):
            continue
        if kind == "hearing" and not _about_this_plan_process(sentence):
            continue
        if kind in ("workshop", "meeting", "interview", "council") and not _search("participation.done", probe):
            kind = "intention"
        yield Participation(text=text, location=sentence.location, kind=kind, who=match.group(0))


_OTHER_PLAN_PROCESS = re.compile(r"\b(?:reguleringsplan\w*|detaljregulering\w*|områderegulering\w*|byggesak\w*|"
                                 r"dispensasjon\w*)\b", re.IGNORECASE)


def _about_this_plan_process(sentence: Sentence) -> bool:
    """A hearing of this plan: said of the plan, in its participation chapter, or as done;
    not how regulation plans are heard in general, nor a web page's "Planer på høring"."""
    return bool("medvirkning" in sentence.roles or _search("plan_self", sentence.probe)
                or _search("participation.done", sentence.probe))


# "Det er ikke gjennomført egne møter med brukere": a negation before the event denies it.
_NEGATION = re.compile(r"\b(?:ikke|ikkje|ingen|inga|intet|aldri)\b", re.IGNORECASE)
_NEGATION_REACH = 60


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATION.search(text, max(0, start - _NEGATION_REACH), start))


_ECONOMIC = ("økonomiplan", "handlingsprogram", "budsjett")
# "et eget handlingsprogram for bolig" is the plan's own action list, not the economic plan.
_OWN_PROGRAMME = re.compile(r"\b(?:eget|eige|eigen|egen|sitt|separat|årlig|årleg)\s+handlingsprogram\w*"
                            r"(?!\s+(?:og|med)\s+økonomiplan)", re.IGNORECASE)
# Measures that the economic plan takes up: "tiltakene prioriteres i de årlige handlings- og
# økonomiplanene", "finansieres over budsjettet".
_MEASURES_IN_BUDGET = re.compile(
    r"\b(?:tiltak\w*|prioriter\w*|innarbeid\w*|finansier\w*|konkretiser\w*|følges opp|følgjast opp|"
    r"vurderes|vurderast|bevilg\w*|løyv\w*|avsett\w*)\b",
    re.IGNORECASE,
)


def find_references(sentence: Sentence) -> Iterable[PlanReference]:
    """Ties to the plan system: the master plan, the economic plan and budget, the plan's status.

    A tie is explicit when the sentence says the plan follows, feeds or is part of it; for
    the economic plan, when it takes up the measures; or when the sentence speaks of this
    plan under a heading that quotes a budget or economic-plan decision.
    """
    text, probe = sentence.text, sentence.probe
    tie = bool(_search("references.ties", probe))
    seen: set[str] = set()
    for kind in ("samfunnsdel", "arealdel", "planstrategi", "økonomiplan", "handlingsprogram",
                 "budsjett", "status", "kommuneplan"):
        if _search(f"references.{kind}", probe) and kind not in seen:
            if kind == "kommuneplan" and seen & {"samfunnsdel", "arealdel"}:
                continue
            if kind == "handlingsprogram" and _OWN_PROGRAMME.search(text):
                continue
            seen.add(kind)
            explicit = tie or (kind in _ECONOMIC and bool(_MEASURES_IN_BUDGET.search(text)))
            yield PlanReference(text=text, location=sentence.location, kind=kind, explicit=explicit)
    if not seen & set(_ECONOMIC) and _search("plan_self", probe):
        heading = next((title for title in reversed(sentence.location.section)
                        if any(_search(f"references.{kind}", title) for kind in _ECONOMIC)), None)
        if heading:
            yield PlanReference(text=f"{heading}: {text}", location=sentence.location, kind="budsjett", explicit=True)


class _Reference(TypedDict):
    date: str | None
    case: str | None


class _EventFields(_Reference):
    text: str
    location: Location
    body: str | None


def _political_reference(text: str) -> _Reference:
    case = _CASE.search(text)
    date = _DATE.search(text)
    return {"date": date.group(0) if date else None, "case": case.group(0) if case else None}


def find_political(sentence: Sentence) -> Iterable[PoliticalEvent]:
    """Adoption of this plan, its commissioning, intentions to adopt, and political involvement.

    An adoption counts only when it is this plan that was adopted: the sentence names the
    plan, or is a short stamp with a date or case number ("Vedtatt i bystyret 3.5.2024, sak 12/24").
    """
    text, probe = sentence.text, sentence.probe
    body = _search("political.bodies", probe)
    treated = _POLITICAL_TREATMENT.search(text)
    if not body and not treated:
        return
    reference = _political_reference(text)
    stamp = len(text) <= 160 and bool(reference["date"] or reference["case"])
    about_plan = bool(_search("plan_self", probe)) or stamp
    common: _EventFields = {"text": text, "location": sentence.location, "body": body.group(0) if body else None, **reference}
    commissioned = bool(body and _search("political.commission", probe))
    if commissioned:
        yield PoliticalEvent(kind="commission", **common)
    council = _search("political.councils", probe)
    decided = _search("political.adopted", probe) or (stamp and _TREATMENT_WORD.search(text))
    if body and about_plan and not commissioned and decided and council:
        yield PoliticalEvent(kind="adoption", **common)
    elif body and about_plan and _search("political.to_adopt", probe):
        yield PoliticalEvent(kind="intention", **common)
    if treated or (body and not _search("political.councils", body.group(0)) and _search("political.involved", probe)):
        yield PoliticalEvent(kind="involvement", **common)


_OWNER_ROLE = re.compile(
    r"\b(?:ansvar\w*|\w*eier|\w*eigar|leder|leiar|leia|ledet|leidd|ledelse|leiing|bestilt|oppdrag\w*|mandat|"
    r"styringsgruppe\w*|prosjekteier\w*|prosjekteigar\w*|bes|anbefal\w*|tilrår|legger fram|legg fram|"
    r"legger frem|fremmer|fremje)\b",
    re.IGNORECASE,
)


_MEASURE_OWNER = re.compile(r"^\s*(?:ansvar\w*|hovedansvar\w*|hovudansvar\w*|hvem|kven)\s*:", re.IGNORECASE)
# "Arbeidsgruppe: NAV, tildelingskontoret, eiendom og helse" — members listed after a colon.
# ... or after "med": "ei arbeidsgruppe med NAV, tildelingskontoret, eigedom og helse".
_MEMBER_LIST = re.compile(r"(?:gruppe|team)\w*\s*(?::|med\b)\s*[^,.:]+,[^.:]{0,200}?(?:,|\bog\b)", re.IGNORECASE)
# A plan signed by its owner: "Kari Nordmann, kommunedirektør" or "Kommunedirektør" alone.
_SIGNATURE = re.compile(
    r"^\s*(?:[A-ZÆØÅ][\wæøå.-]+[\s,]+){0,4}(?:rådmann|kommunedirektør|kommunalsjef|assisterende kommunedirektør)"
    r"(?:\s+(?:for\s+)?[\wæøå -]{0,40})?\s*$",
    re.IGNORECASE,
)


def find_organisation(sentence: Sentence) -> Iterable[Organisation]:
    """Administrative owners (named office-holders with a role in the plan) and working groups."""
    text, probe = sentence.text, sentence.probe
    group = _search("administrative.groups", probe)
    if group:
        described = bool(_search("administrative.composition", probe) or _MEMBER_LIST.search(text))
        yield Organisation(text=text, location=sentence.location, kind="group", members_described=described)
    owner = _search("administrative.owners", probe)
    if _MEASURE_OWNER.match(text):
        return  # "Ansvar: Teknisk eining i samråd med kommunedirektøren" owns a measure, not the plan
    if owner and (_SIGNATURE.match(text) or _OWNER_ROLE.search(text)):
        yield Organisation(text=text, location=sentence.location, kind="owner")


_UNDER_WAY = re.compile(r"\bunder (?:revisjon|revidering|rullering|utarbeiding|arbeid)\b", re.IGNORECASE)
def with_listed_members(document: Document, organisation: list[Organisation]) -> list[Organisation]:
    """Groups whose members follow as a list: "ei arbeidsgruppe med desse medlemmene:" or a
    bare "Prosjektgruppe" line, then a line per member naming units or roles."""
    index = {block.location.block: n for n, block in enumerate(document.blocks) if block.location.block is not None}
    described = []
    for item in organisation:
        position = index.get(item.location.block) if item.location.block is not None else None
        if item.kind == "group" and not item.members_described and position is not None \
                and (item.text.rstrip().endswith(":") or len(item.text.split()) <= 3):
            following = document.blocks[position + 1: position + 1 + _MEMBER_LINES]
            members = [block for block in following if len(block.text) <= 120 and (
                block.kind is BlockKind.list_item or find("responsibility.units", block.text))]
            if len(members) >= 3:
                item = item.model_copy(update={"members_described": True})
        described.append(item)
    return described


_MEMBER_LINES = 4
_PAST = re.compile(r"\b(?:ble|blei|vart|har blitt|har vorte|ble det)\b", re.IGNORECASE)


def find_follow_up(sentence: Sentence) -> Iterable[FollowUp]:
    """Clauses on how this plan is reported on, evaluated and revised.

    Only clauses about the plan itself count (not the follow-up of patients or tenants), and
    not its history ("ble oppdatert"); a short stamp such as "Revideres hvert 3. år" does,
    but not a cell of a measure table ("Årlig gjennomgang av kontraktene"). A clause can be
    several kinds at once ("evalueres i 2026 og rulleres i 2027").
    """
    text, probe = sentence.text, sentence.probe
    if "follow_up" not in probe.paths:
        return
    if sentence.kind is BlockKind.heading or "vedlegg" in sentence.roles or _UNDER_WAY.search(text):
        return  # no heading, source list or another plan "under revisjon" says how this one is followed up
    stamp = len(text.split()) <= 6 and "tiltak" not in sentence.roles
    channel = _search("follow_up.instruments", probe)
    # In the plan's own follow-up chapter every clause is about the plan.
    own_chapter = "oppfølging" in sentence.roles and "tiltak" not in sentence.roles
    if _PAST.search(text) or not (stamp or channel or own_chapter or _search("plan_self", probe)):
        return
    timing = find_timing(text)
    schedule = timing.text if timing and timing.kind != "vague" else None
    recipient = _search("political.bodies", probe)
    kinds: tuple[FollowUpKind, ...] = ("reporting", "evaluation", "revision")
    if not (channel or _search("plan_self", probe)):
        # A bare "Følges opp i ..." is a measure's cell, and "oppfølging i boligen" a service,
        # not the plan's follow-up; in its own chapter a clause that reports counts.
        kinds = ("reporting", "evaluation", "revision") if own_chapter else ("evaluation", "revision")
    found = [kind for kind in kinds if _search(f"follow_up.{kind}", probe)]
    if not found and (channel or _search("plan_self", probe)) and _search("follow_up.general", probe):
        found = ["general"]
    for kind in found:
        yield FollowUp(text=text, location=sentence.location, kind=kind, schedule=schedule,
                       recipient=recipient.group(0) if recipient else None)


def find_knowledge(sentence: Sentence) -> Iterable[KnowledgeFact]:
    text, probe = sentence.text, sentence.probe
    if sentence.kind is BlockKind.heading or "knowledge.topics" not in probe.paths or not _QUANTITY.search(text) \
            or not _QUANTITY.search(_NOT_COUNTS.sub(" ", text)):
        return  # "3.1 Boligmassen", "Mål 2:", "§ 5-12", "St. 15" number things, they count nothing
    if sentence.roles & _PROCESS_ROLES and "kunnskapsgrunnlag" not in sentence.roles:
        return  # "34 deltakere på verkstedet" tells of the planning, not of the municipality
    sourced = bool(_search("knowledge.sources", probe))
    for topic in ("housing_stock", "waiting_list", "homelessness", "evictions", "needs", "target_group",
                  "demography", "market"):
        if _search(f"knowledge.topics.{topic}", probe):
            yield KnowledgeFact(text=text, location=sentence.location, topic=topic, sourced=sourced)
            return
