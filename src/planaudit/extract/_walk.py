"""The state of reading goals and measures block by block: the items found so far, the goal
the measures now serve, and the measure that attribute lines ("Ansvar: NAV", "2026") fill.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Goal, Location, Measure
from ._lexicon import terms_pattern
from ._match import find
from ._shapes import DOCUMENT_TITLE, ENUMERATED, NUMBERED_CELL, unfilled
from .money import Money, find_money
from .responsibility import classify_responsible, find_responsible
from .targets import find_horizon, find_indicator, find_target
from .timing import find_timing

__all__ = ["IndicatorRows", "Walk", "clip", "is_attribute_line", "is_generic_owner", "is_unit"]


# A goal or measure longer than this is prose that swallowed the item; it is clipped.
_MAX_GOAL = 400
_MAX_MEASURE = 500


@dataclass
class IndicatorRows:
    """A goal table flattened into lines: goal and indicator text, then its figures
    (baseline, then targets) under a header such as "Indikator Utgangspunkt 2024 Mål 2028"."""

    horizon: str | None
    text: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    location: Location | None = None


@dataclass
class Walk:
    """Goals and measures read so far, and what the next block is read as: the mode ("goals",
    "measures"), the goal measures serve, a pending row number, an open flattened table."""

    goals: list[Goal] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    mode: str | None = None
    mode_level: int = 0
    goal_kind: str = "mål"
    heading_level: int = 0
    attributes_open: bool = False
    pending_id: str | None = None
    # The goal (or theme) measures now serve, and when it stops applying.
    serving: str | None = None
    serving_level: int = 0
    serving_from_heading: bool = False
    run_open: bool = False
    table_rows: bool = False
    continuing: bool = False
    indicators: IndicatorRows | None = None
    # The measure that attribute lines fill: the latest, or one a later table row numbers again.
    current: int = -1

    # --- goals ---------------------------------------------------------------------------

    def add_goal(self, text: str, location: Location, kind: str, goal_id: str | None) -> Goal | None:
        """The goal added, or the goal of that number already read (a goal table's row and
        the chapter that repeats it as a heading are one goal); None for a fragment."""
        if goal_id is None and (numbered := ENUMERATED.match(text) or NUMBERED_CELL.match(text)):
            goal_id, text = numbered.group(1), numbered.group(2)
        text = clip(text, _MAX_GOAL)
        if len(text) < 8 or unfilled(text):
            return None
        known = next((g for g in self.goals if goal_id and g.id == goal_id and not g.borrowed), None)
        if known is not None:
            self.attributes_open = False
            return known
        goal = Goal(
            text=text, location=location, id=goal_id, kind=kind,  # type: ignore[arg-type]
            target=find_target(text), horizon=find_horizon(text), indicator=find_indicator(text),
            borrowed=_is_borrowed(text, location.section),
        )
        self.goals.append(goal)
        if not self.run_open:
            self.serve(goal.id or goal.text[:80], self.heading_level, from_heading=False)
            self.run_open = True
        self.attributes_open = False
        return goal

    def close_indicator_row(self) -> None:
        rows = self.indicators
        if rows is None or not rows.text or rows.location is None:
            return
        text = " ".join(rows.text)
        numbered = ENUMERATED.match(text)
        before = len(self.goals)
        added = self.add_goal(text, rows.location, "delmål" if numbered else "mål", None)
        if added is not None and added is self.goals[-1] and len(self.goals) > before and rows.values:
            target = " → ".join(rows.values[:1] + rows.values[-1:]) if len(rows.values) > 1 else rows.values[0]
            goal = self.goals[-1]
            self.goals[-1] = goal.model_copy(update={"target": target, "horizon": goal.horizon or rows.horizon,
                                                     "indicator": goal.indicator or text})
        rows.text, rows.values, rows.location = [], [], None

    def end_indicators(self) -> None:
        self.close_indicator_row()
        self.indicators = None

    def serve(self, key: str, level: int, from_heading: bool) -> None:
        self.serving, self.serving_level, self.serving_from_heading = key, level, from_heading

    # --- measures ------------------------------------------------------------------------

    def add_measure(self, text: str, location: Location, measure_id: str | None = None,
                    cells: dict[str, str] | None = None) -> None:
        if measure_id is None and not self.pending_id and (numbered := ENUMERATED.match(text)):
            measure_id, text = numbered.group(1), numbered.group(2)
        text = clip(text, _MAX_MEASURE)
        if len(text) < 8 or DOCUMENT_TITLE.match(text) or unfilled(text):
            return
        known_id = measure_id or self.pending_id
        if known_id and any(measure.id == known_id for measure in self.measures):
            # A note on a measure already listed ("Tiltak 1.2: Modellen skal utredes ..."), or
            # its row in a cost table: it adds what the measure lacked, no new measure.
            self._complete(known_id, text, cells or {})
            self.pending_id, self.continuing = None, False
            return
        cells = cells or {}
        responsible = cells.get("responsible") or find_responsible(text) \
            or (_unit_in_row(text) if self.table_rows else None)
        timing = find_timing(cells["deadline"], bare_year=True) if cells.get("deadline") else find_timing(text)
        money = find_money(cells["cost"]) if cells.get("cost") else _funding_in(text)
        self.measures.append(Measure(
            text=text, location=location, id=measure_id or self.pending_id,
            goal=cells.get("goal") or self._numbered_goal(measure_id or self.pending_id) or self.serving,
            responsible=responsible,
            responsible_generic=bool(responsible and classify_responsible(responsible) == "generic"),
            deadline=timing.text if timing else None,
            deadline_vague=bool(timing and timing.vague),
            cost=money.text if money else None,
            cost_generic=bool(money and money.kind == "generic"),
        ))
        # In a flattened table the lines after a measure's first are its wrapped text.
        self.continuing = bool(self.pending_id and not measure_id)
        self.pending_id = None
        self.run_open = False
        self.attributes_open = True
        self.current = len(self.measures) - 1

    def _complete(self, measure_id: str, text: str, cells: dict[str, str]) -> None:
        index = next(i for i, measure in enumerate(self.measures) if measure.id == measure_id)
        known = self.measures[index]
        update: dict[str, object] = {}
        money = find_money(cells.get("cost") or text) if not known.cost or known.cost_generic else None
        if money and (money.kind != "generic" or not known.cost):
            update |= {"cost": money.text, "cost_generic": money.kind == "generic"}
        timing = None if known.deadline else find_timing(cells.get("deadline") or text)
        if timing:
            update |= {"deadline": timing.text, "deadline_vague": timing.vague}
        if update:
            self.measures[index] = known.model_copy(update=update)
        self.current, self.attributes_open = index, True

    def focus(self, code: str) -> bool:
        """A row numbered like a measure already read (a cost table's "A1"): the cells that
        follow complete that measure."""
        index = next((i for i, measure in enumerate(self.measures) if measure.id == code), None)
        if index is None:
            return False
        self.current, self.attributes_open, self.pending_id, self.continuing = index, True, code, False
        return True

    def _numbered_goal(self, measure_id: str | None) -> str | None:
        """Measure 2.1 serves goal 2 (or 2.1 serves goal 2.1's parent numbering): a plan's own
        numbering ties them even when goals and measures stand in different chapters."""
        if not measure_id or "." not in measure_id:
            return None
        parent = measure_id.rsplit(".", 1)[0]
        return next((goal.id for goal in self.goals if goal.id == parent), None)

    def extend_measure(self, text: str) -> None:
        """A further cell of the latest measure's row (a flattened table)."""
        last = self.measures[self.current]
        self.measures[self.current] = last.model_copy(update={"text": clip(f"{last.text} {text}", _MAX_MEASURE)})

    def attach(self, label: str, value: str) -> bool:
        """An attribute line ("Ansvar: NAV", "2025", "kr 200 000") for the latest measure.

        A labelled line fills its own attribute; an unlabelled cell line from a flattened
        table fills whichever empty attributes it holds (cells often run together).
        """
        if not self.measures or not self.attributes_open:
            return False
        if unfilled(value):
            return bool(label)
        last = self.measures[self.current]
        label = label.lower()
        wants = {
            "responsible": label.startswith(("ansvar", "hvem", "kven", "utføres"))
            or (not label and (is_unit(value) or is_generic_owner(value))),
            "deadline": label.startswith(("frist", "tid", "når", "periode", "år")) or not label,
            "cost": label.startswith(("kostnad", "økonomi", "finansiering", "budsjett", "ressurs")) or not label,
        }
        update: dict[str, object] = {}
        if wants["responsible"] and not last.responsible:
            update |= {"responsible": value.strip(), "responsible_generic": classify_responsible(value) == "generic"}
        timing = find_timing(value, bare_year=True) if wants["deadline"] and not last.deadline else None
        if timing:
            update |= {"deadline": timing.text, "deadline_vague": timing.vague}
        money = find_money(value) if wants["cost"] and not last.cost else None
        if money:
            update |= {"cost": money.text, "cost_generic": money.kind == "generic"}
        if update:
            self.measures[self.current] = last.model_copy(update=update)
        return bool(update) or bool(label)


def _is_borrowed(text: str, section: tuple[str, ...]) -> bool:
    """A goal quoted from another document: under a heading on national or master-plan
    guidance ("Nasjonale føringer", "Kommuneplanens samfunnsdel"), or introduced as a quote."""
    return any(find("goals.borrowed_sections", title) for title in section) \
        or bool(find("goals.borrowed_phrases", text))


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(". ", 0, limit)
    return text[: cut + 1] if cut > 40 else text[:limit].rstrip() + "…"


# A grant named in a measure's own words funds it only when the words say so: "Kjøpe 4
# boliger med tilskudd fra Husbanken", not "Informere om startlån".
_FUNDING = re.compile(r"\b(?:finansier\w*|dekke[st]?|dekkast|dekt|søke|søkje|søkes|søkast|midler|midlar|"
                      r"tilskudd fra|tilskot frå|med tilskudd|med tilskot|støtte fra|støtte frå)\b", re.IGNORECASE)


def _funding_in(text: str) -> Money | None:
    money = find_money(text)
    if money and money.kind == "grant" and not _FUNDING.search(text):
        return None
    return money


def _unit_in_row(text: str) -> str | None:
    """The responsible cell of a table row whose cells ran together on one line: a named
    unit after the measure's opening words ("3.2 Kjøpe 6 boliger Storvika Eiendom KF 2025")."""
    words = text.split()
    tail = " ".join(words[3:])
    unit = terms_pattern("responsibility.units").search(tail)
    # The responsible cell stands before the row's date or amount, not at a sentence's end.
    if unit is None or not (find_timing(tail[unit.end():], bare_year=True) or find_money(tail[unit.end():])):
        return None
    return unit.group(0)


def is_unit(text: str) -> bool:
    return len(text.split()) <= 8 and bool(terms_pattern("responsibility.units").search(text))


def is_generic_owner(text: str) -> bool:
    """A cell that says only "Kommunen" or "Alle enheter": generic responsibility, still a cell."""
    match = terms_pattern("responsibility.generic").match(text.strip())
    return match is not None and len(text.split()) <= 3 and match.end() >= len(text.strip()) - 1


def is_attribute_line(text: str) -> bool:
    """A short cell-like line: a unit, a time or an amount, not a sentence."""
    words = text.split()
    # A full stop ends a sentence, but also an abbreviation in a cell ("kr 9 mill.").
    if not words or len(words) > 8 or text.rstrip().endswith(":") or (text.rstrip().endswith(".") and len(words) > 4):
        return False
    if ENUMERATED.match(text):
        return False  # "3.2 Kjøpe 6 boliger … 2025" opens a row of its own
    return is_unit(text) or is_generic_owner(text) or bool(find_timing(text, bare_year=True)) or bool(find_money(text))
