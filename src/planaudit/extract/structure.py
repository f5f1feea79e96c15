"""Goals and measures, and which goal each measure serves.

Plans state goals and measures in a few recurring shapes, which this module reads in one
pass over the blocks: labelled lines ("Mål 2: ...", "Tiltak 3.1 ...", "Ansvar: NAV"),
lists under a heading or label ("Hovedmål", "Tiltak:"), and tables whose header names
the columns (Tiltak | Ansvarlig | Tidsfrist | Kostnad). Text converted from PDF tables
arrives as short lines after each measure; those are read as its attributes.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from ..model import Block, BlockKind, Document, Goal, Location, Measure
from ._lexicon import terms, terms_pattern
from .money import find_money
from .targets import find_horizon, find_indicator, find_target
from .responsibility import classify_responsible, find_responsible
from .timing import find_timing

__all__ = ["extract_goals_and_measures"]

_SEP = r"\s*(?P<id>\d+(?:\.\d+)*[a-z]?)?\s*(?:[:.)\-–—]|(?=\s+[A-ZÆØÅ])|(?=\s*$))\s*(?P<rest>.*)$"
_ATTRIBUTE = re.compile(
    r"^\s*(?P<label>ansvar\w*|hvem|kven|utføres av|frist|tidsfrist|tidspunkt|tid|når|periode|år|"
    r"kostnad\w*|økonomi\w*|finansiering\w*|budsjett\w*|ressurs\w*)\s*[:：]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_MAX_GOAL = 400
_MAX_MEASURE = 500


def _label_pattern(path: str) -> re.Pattern[str]:
    alternatives = "|".join(sorted(terms(path), key=len, reverse=True))
    return re.compile(rf"^\s*(?P<label>{alternatives}){_SEP}", re.IGNORECASE)


@lru_cache(maxsize=1)
def _goal_labels() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (kind, re.compile(rf"^\s*(?P<label>{'|'.join(alternatives)}){_SEP}", re.IGNORECASE))
        for kind, alternatives in terms("goals.labels").items()
    )


def _goal_label(text: str) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in _goal_labels():
        match = pattern.match(text)
        if match:
            return kind, match
    return None


_MEASURE_LABEL = _label_pattern("measures.labels")


@dataclass
class _Walk:
    goals: list[Goal] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    mode: str | None = None
    mode_level: int = 0
    goal_kind: str = "mål"
    heading_level: int = 0
    attributes_open: bool = False

    # --- goals ---------------------------------------------------------------------------

    def add_goal(self, text: str, location: Location, kind: str, goal_id: str | None) -> None:
        text = _clip(text, _MAX_GOAL)
        if len(text) < 8:
            return
        self.goals.append(Goal(
            text=text, location=location, id=goal_id, kind=kind,  # type: ignore[arg-type]
            target=find_target(text), horizon=find_horizon(text), indicator=find_indicator(text),
        ))
        self.attributes_open = False

    # --- measures ------------------------------------------------------------------------

    def add_measure(self, text: str, location: Location, measure_id: str | None = None,
                    cells: dict[str, str] | None = None) -> None:
        text = _clip(text, _MAX_MEASURE)
        if len(text) < 8:
            return
        cells = cells or {}
        responsible = cells.get("responsible") or find_responsible(text)
        timing = find_timing(cells["deadline"], bare_year=True) if cells.get("deadline") else find_timing(text)
        money = find_money(cells["cost"]) if cells.get("cost") else find_money(text)
        self.measures.append(Measure(
            text=text, location=location, id=measure_id,
            goal=cells.get("goal") or self._goal_for(location),
            responsible=responsible,
            responsible_generic=bool(responsible) and classify_responsible(responsible) == "generic",
            deadline=timing.text if timing else None,
            deadline_vague=bool(timing and timing.vague),
            cost=money.text if money else None,
            cost_generic=bool(money and money.kind == "generic"),
        ))
        self.attributes_open = True

    def _goal_for(self, location: Location) -> str | None:
        """The latest goal stated in this section or a section above it."""
        for goal in reversed(self.goals):
            section = goal.location.section
            if section and location.section[: len(section)] == section:
                return goal.id or goal.text[:80]
        return None

    def attach(self, label: str, value: str) -> bool:
        """An attribute line ("Ansvar: NAV", "2025", "kr 200 000") for the latest measure."""
        if not self.measures or not self.attributes_open:
            return False
        last = self.measures[-1]
        label = label.lower()
        update: dict[str, object] = {}
        if label.startswith(("ansvar", "hvem", "kven", "utføres")) or (not label and _is_unit(value)):
            if not last.responsible:
                update = {"responsible": value.strip(),
                          "responsible_generic": classify_responsible(value) == "generic"}
        elif label.startswith(("frist", "tid", "når", "periode", "år")) or (not label and find_timing(value, bare_year=True)):
            timing = find_timing(value, bare_year=True)
            if timing and not last.deadline:
                update = {"deadline": timing.text, "deadline_vague": timing.vague}
        elif label or find_money(value):
            money = find_money(value)
            if money and not last.cost:
                update = {"cost": money.text, "cost_generic": money.kind == "generic"}
        if update:
            self.measures[-1] = last.model_copy(update=update)
        return bool(update) or bool(label)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(". ", 0, limit)
    return text[: cut + 1] if cut > 40 else text[:limit].rstrip() + "…"


def _is_unit(text: str) -> bool:
    return len(text.split()) <= 8 and bool(terms_pattern("responsibility.units").search(text))


def _is_attribute_line(text: str) -> bool:
    """A short cell-like line: a unit, a time or an amount, not a sentence."""
    words = text.split()
    if not words or len(words) > 8 or text.rstrip().endswith((".", ":")):
        return False
    return _is_unit(text) or bool(find_timing(text, bare_year=True)) or bool(find_money(text))


_COLUMN_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern, re.IGNORECASE)) for role, pattern in (
        ("measure", r"^(?:nr\.?\s*)?(?:tiltak\w*|aktivitet\w*|hva|kva|handling\w*)\b"),
        ("responsible", r"^(?:ansvar\w*|hovedansvar\w*|hvem|kven|utføres av|eier|eigar)\b"),
        ("deadline", r"^(?:frist|tidsfrist|tid\w*|når|periode|år|oppstart|framdrift|gjennomføring\w*)\b"),
        ("cost", r"^(?:kostnad\w*|økonomi\w*|finansiering\w*|budsjett\w*|ressurs\w*|pris|beløp)\b"),
        ("goal", r"^(?:mål\w*|delmål\w*|hovedmål\w*|strategi\w*|innsatsområde\w*|satsingsområde\w*)\b"),
    )
)


def _column_roles(header: tuple[str, ...]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for index, cell in enumerate(header):
        for role, pattern in _COLUMN_ROLES:
            if pattern.search(cell.strip()) and role not in roles.values():
                roles[index] = role
                break
    return roles


def _walk_table(walk: _Walk, block: Block) -> None:
    if not block.rows:
        return
    roles = _column_roles(block.rows[0])
    body = block.rows[1:]
    if "measure" not in roles.values() and walk.mode == "measures" and block.rows:
        roles = {0: "measure", **{i: r for i, r in roles.items() if i != 0}}
        body = block.rows[1:] if _column_roles(block.rows[0]) else block.rows
    if "measure" in roles.values():
        for row in body:
            cells = {role: row[i].strip() for i, role in roles.items() if i < len(row) and row[i].strip() not in ("", "-", "–")}
            if cells.get("measure"):
                walk.add_measure(cells.pop("measure"), block.location, cells=cells)
    elif "goal" in roles.values():
        column = next(i for i, role in roles.items() if role == "goal")
        for row in body:
            if column < len(row):
                walk.add_goal(row[column], block.location, "mål", None)


def _walk_heading(walk: _Walk, block: Block) -> None:
    level = block.level or 1
    walk.heading_level = level
    walk.attributes_open = False
    if walk.mode and level <= walk.mode_level:
        walk.mode = None
    title = re.sub(r"^\s*\d+(?:\.\d+)*\.?\s*", "", block.text)
    goal = _goal_label(title)
    if goal:
        kind, match = goal
        rest = match.group("rest").strip()
        if len(rest) >= 15 and not terms_pattern("section_roles.tiltak").search(rest[:20]):
            walk.add_goal(rest, block.location, kind, match.group("id"))
            walk.mode = None
            return
        if not terms_pattern("measures.heading_terms").search(title):
            walk.mode, walk.mode_level, walk.goal_kind = "goals", level, kind
            return
    if terms_pattern("measures.heading_terms").search(title):
        walk.mode, walk.mode_level = "measures", level


def _walk_text(walk: _Walk, block: Block) -> None:
    text = block.text
    goal = _goal_label(text)
    if goal:
        kind, match = goal
        rest = match.group("rest").strip()
        if len(rest) >= 10:
            walk.add_goal(rest, block.location, kind, match.group("id"))
        walk.mode, walk.mode_level, walk.goal_kind = "goals", walk.heading_level, kind
        return
    measure = _MEASURE_LABEL.match(text)
    if measure:
        rest = measure.group("rest").strip()
        if len(rest) >= 10:
            walk.add_measure(rest, block.location, measure.group("id"))
        walk.mode, walk.mode_level = "measures", walk.heading_level
        return
    attribute = _ATTRIBUTE.match(text)
    if attribute and walk.attach(attribute.group("label"), attribute.group("value")):
        return
    if walk.attributes_open and block.kind is BlockKind.paragraph and _is_attribute_line(text):
        if walk.attach("", text):
            return
    if walk.mode == "goals" and (block.kind is BlockKind.list_item or len(text) <= 250):
        walk.add_goal(text, block.location, walk.goal_kind, None)
    elif walk.mode == "measures" and (block.kind is BlockKind.list_item or len(text) <= 300):
        walk.add_measure(text, block.location)
    elif block.kind is BlockKind.paragraph and len(text) > 300:
        walk.attributes_open = False


def extract_goals_and_measures(document: Document) -> tuple[list[Goal], list[Measure]]:
    walk = _Walk()
    for block in document.blocks:
        if block.kind is BlockKind.heading:
            _walk_heading(walk, block)
        elif block.kind is BlockKind.table:
            _walk_table(walk, block)
        elif not _is_table_of_contents(block.text):
            _walk_text(walk, block)
    return walk.goals, walk.measures


_LEADERS = re.compile(r"\.{5,}|…{3,}|(?:\s\.){4,}")


def _is_table_of_contents(text: str) -> bool:
    return bool(_LEADERS.search(text))
