"""Who is responsible: named units and office-holders versus "kommunen" and the like."""
from __future__ import annotations

import re
from typing import Literal

from ._lexicon import terms, terms_pattern

__all__ = ["classify_responsible", "find_responsible"]

_LABELLED = re.compile(
    r"(?:^|[\s(;,.])(?:" + "|".join(terms("responsibility.labels")) + r")\s*[:：]\s*(?P<who>[^;\n.]{2,120})",
    re.IGNORECASE,
)
_NEXT_LABEL = re.compile(r"\s(?:tid|tidspunkt|frist|tidsfrist|når|år|periode|kostnad\w*|finansiering|økonomi|"
                         r"ressurs\w*|budsjett)\s*:", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\((?P<who>[^()]{2,80})\)\s*\.?\s*$")


def classify_responsible(text: str) -> Literal["specific", "generic", "none"]:
    """"NAV og Tildelingskontoret" is specific; "kommunen", "alle enheter" generic."""
    if terms_pattern("responsibility.units").search(text):
        return "specific"
    if terms_pattern("responsibility.generic").search(text):
        return "generic"
    return "none"


def find_responsible(text: str) -> str | None:
    """The responsible party a measure's own text names, if any.

    Read from a label ("Ansvar: NAV"), from a closing parenthesis ("(Eiendom)"), or from a
    subject that opens the sentence ("NAV skal ...", "Kommunen skal ...").
    """
    labelled = _LABELLED.search(text)
    if labelled:
        # "Ansvar: Teknisk eining Tid: 2024" — the next label ends the cell.
        return _NEXT_LABEL.split(labelled.group("who"), maxsplit=1)[0].strip()
    closing = _PARENTHESIS.search(text)
    if closing and classify_responsible(closing.group("who")) == "specific":
        return closing.group("who").strip()
    subject = " ".join(text.split()[:4])
    if re.search(r"\b(?:skal|skol|må|vil|har ansvar|tar ansvar|ansvarleg|ansvarlig)\b", text[:80], re.IGNORECASE):
        unit = terms_pattern("responsibility.units").search(subject)
        if unit and unit.start() == 0:
            return unit.group(0)
        generic = terms_pattern("responsibility.generic").match(subject)
        if generic:
            return generic.group(0)
    return None
