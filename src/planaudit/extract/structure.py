"""Goals and measures, and which goal each measure serves.

Plans state goals and measures in a few recurring shapes, which this module reads in one
pass over the blocks: labelled lines ("Mål 2: ...", "Tiltak 3.1 ...", "Ansvar: NAV"),
lists under a heading or label ("Hovedmål", "Tiltak:"), themes that group measures
("Målområde 2", "Satsing 1 – ..."), and tables whose header names the columns
(Tiltak | Ansvarlig | Tidsfrist | Kostnad). Text converted from PDF tables arrives as
short lines after each measure, or with a column label at the end of a line
("... Delmål"); both are read as the table they were.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Block, BlockKind, Document, Goal, Location, Measure
from ._lexicon import terms, terms_pattern
from ._match import find
from .money import Money, find_money
from .sections import roles_of_heading
from .responsibility import classify_responsible, find_responsible
from .targets import find_horizon, find_indicator, find_target
from .timing import find_timing, plan_period

__all__ = ["extract_goals_and_measures"]

# After a label: its number, then a colon or dash, or a capital ("Tiltak 3 Kjøpe …"; the
# label patterns ignore case, the capital must not: "Tiltak i denne planen …" is prose).
_SEP = r"\s*(?P<id>\d+(?:\.\d+)*(?![\d.]\d)[a-z]?)?\s*(?:[:.)\-–—]|(?=\s+(?-i:[A-ZÆØÅ«\"]))|(?=\s*$))\s*(?P<rest>.*)$"
_ATTRIBUTE = re.compile(
    r"^\s*(?P<label>ansvar\w*|hvem|kven|utføres av|frist|tidsfrist|tidspunkt|tid|når|periode|år|"
    r"kostnad\w*|økonomi\w*|finansiering\w*|budsjett\w*|ressurs\w*)\s*[:：]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_NUMBER_ONLY = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s*$")  # "1.1", "4.1.2", not a year
# A row's own code in a measure table: "A1", "B2.3", "T-04", "3a".
_ROW_CODE = re.compile(r"^\s*(?:[A-ZÆØÅ]{1,2}-?\d{1,2}(?:\.\d{1,2})*|\d{1,2}[a-z])\.?\s*$")
# "A Boliger og botilbud", "B – Tjenester": a lettered group of rows in a measure table.
_ROW_GROUP = re.compile(r"^\s*[A-ZÆØÅ]\s*[.:)–-]?\s+[A-ZÆØÅ][\wæøå]+(?:\s+[\wæøå-]+){0,7}\s*$")
# A flattened table's header row, cell by cell: "Strategi/Tiltak Ansvarlig", "Frist/Tidsplan".
_COLUMN_WORD = "(?:" + "|".join(terms("measures.columns")) + ")"
_HEADER_ROW = re.compile(rf"^\s*{_COLUMN_WORD}(?:[\s/,|&-]+{_COLUMN_WORD})*\s*:?\s*$", re.IGNORECASE)
_MEASURE_COLUMN = re.compile(r"\b(?:tiltak|aktivitet\w*|ansvar\w*|frist|tidsfrist|tidsplan|tidsramme|kostnad\w*|hvem|kven)\b",
                             re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s*")
# A list of other plans ("Handlingsplan for trafikksikkerhet 2022–2026 (pdf)") is no list of measures.
_DOCUMENT_TITLE = re.compile(
    r"^(?:[\wæøå-]+(?:isk|ig|lig)\s)?[\wæøå-]*(?:plan|strategi|veileder|rapport|melding)(?:en|er|ar|a)?\b"
    r"(?![^.!?]*\b(?:skal|vil|må|utarbeid\w*|lage|revider\w*|rullere\w*|oppdater\w*|evaluer\w*)\b)"
    r"[^.!?]{0,100}$",
    re.IGNORECASE,
)
# "1: Det skal bygges ...", "2) Flere skal eie": an enumerated item keeps its number as id.
# ... but "1. halvår 2024" is a date: an item's text opens with a capital.
_ENUMERATED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})+|\d{1,2}(?=\s*[:.)]))\s*[:.)]?\s+([A-ZÆØÅ0-9«\"“(].*)$")
# "1 Tidlig oppdagelse": a goal numbered in a table cell, without the full stop of a list.
_NUMBERED_CELL = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\s+([A-ZÆØÅ].{7,})$")
# "Tabell 7: Tiltak", "Figur 3 Boligmasse": a caption names a table, it is no item in it.
_CAPTION = re.compile(r"^\s*(?:tabell|tab\.|figur|fig\.)\s*\d+", re.IGNORECASE)
_MAX_GOAL = 400
_MAX_MEASURE = 500
_MAX_LISTED_PARAGRAPH = 300


@lru_cache(maxsize=None)
def _label(path: str) -> re.Pattern[str]:
    alternatives = "|".join(sorted(terms(path), key=len, reverse=True))
    return re.compile(rf"^\s*(?P<label>{alternatives}){_SEP}", re.IGNORECASE)


@lru_cache(maxsize=1)
def _trailing_label() -> re.Pattern[str]:
    """A column label left at the end of a flattened table row: "... bolig Delmål"."""
    words = [*terms("goals.labels.delmål"), *terms("goals.labels.resultatmål"), *terms("goals.labels.effektmål"),
             "tiltak", "strategi(?:er|ar)?", "aktiviteter"]
    return re.compile(rf"\s+(?P<label>{'|'.join(words)})\s*:?\s*$", re.IGNORECASE)


def _goal_label(text: str) -> tuple[str, re.Match[str]] | None:
    for kind in terms("goals.labels"):
        match = _label(f"goals.labels.{kind}").match(text)
        if match:
            return kind, match
    return None


def _theme_label(text: str) -> str | None:
    match = _label("goals.themes").match(text)
    if match and (match.group("id") or ":" in text[: match.start("rest") + 1]) and len(match.group("rest")) >= 3:
        return text.strip()
    return None


@dataclass
class _IndicatorRows:
    """A goal table flattened into lines: goal and indicator text, then its figures
    (baseline, then targets) under a header such as "Indikator Utgangspunkt 2024 Mål 2028"."""

    horizon: str | None
    text: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    location: Location | None = None


@dataclass
class _Walk:
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
    indicators: _IndicatorRows | None = None
    # The measure that attribute lines fill: the latest, or one a later table row numbers again.
    current: int = -1

    # --- goals ---------------------------------------------------------------------------

    def add_goal(self, text: str, location: Location, kind: str, goal_id: str | None) -> Goal | None:
        """The goal added, or the goal of that number already read (a goal table's row and
        the chapter that repeats it as a heading are one goal); None for a fragment."""
        if goal_id is None and (numbered := _ENUMERATED.match(text) or _NUMBERED_CELL.match(text)):
            goal_id, text = numbered.group(1), numbered.group(2)
        text = _clip(text, _MAX_GOAL)
        if len(text) < 8:
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
        numbered = _ENUMERATED.match(text)
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
        if measure_id is None and not self.pending_id and (numbered := _ENUMERATED.match(text)):
            measure_id, text = numbered.group(1), numbered.group(2)
        text = _clip(text, _MAX_MEASURE)
        if len(text) < 8 or _DOCUMENT_TITLE.match(text):
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
        self.measures[self.current] = last.model_copy(update={"text": _clip(f"{last.text} {text}", _MAX_MEASURE)})

    def attach(self, label: str, value: str) -> bool:
        """An attribute line ("Ansvar: NAV", "2025", "kr 200 000") for the latest measure.

        A labelled line fills its own attribute; an unlabelled cell line from a flattened
        table fills whichever empty attributes it holds (cells often run together).
        """
        if not self.measures or not self.attributes_open:
            return False
        last = self.measures[self.current]
        label = label.lower()
        wants = {
            "responsible": label.startswith(("ansvar", "hvem", "kven", "utføres"))
            or (not label and (_is_unit(value) or _is_generic_owner(value))),
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


def _clip(text: str, limit: int) -> str:
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
    return unit.group(0) if unit else None


def _is_unit(text: str) -> bool:
    return len(text.split()) <= 8 and bool(terms_pattern("responsibility.units").search(text))


def _is_generic_owner(text: str) -> bool:
    """A cell that says only "Kommunen" or "Alle enheter": generic responsibility, still a cell."""
    match = terms_pattern("responsibility.generic").match(text.strip())
    return match is not None and len(text.split()) <= 3 and match.end() >= len(text.strip()) - 1


def _is_attribute_line(text: str) -> bool:
    """A short cell-like line: a unit, a time or an amount, not a sentence."""
    words = text.split()
    # A full stop ends a sentence, but also an abbreviation in a cell ("kr 9 mill.").
    if not words or len(words) > 8 or text.rstrip().endswith(":") or (text.rstrip().endswith(".") and len(words) > 4):
        return False
    if _ENUMERATED.match(text):
        return False  # "3.2 Kjøpe 6 boliger … 2025" opens a row of its own
    return _is_unit(text) or _is_generic_owner(text) or bool(find_timing(text, bare_year=True)) or bool(find_money(text))


_COLUMN_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern, re.IGNORECASE)) for role, pattern in (
        ("measure", r"^(?:nr\.?\s*)?(?:tiltak\w*|aktivitet\w*|hva|kva|handling\w*)\b"),
        ("responsible", r"^(?:ansvar\w*|hovedansvar\w*|hvem|kven|utføres av|eier|eigar)\b"),
        ("deadline", r"^(?:frist|tidsfrist|tid\w*|når|periode|år|oppstart|framdrift|gjennomføring\w*)\b"),
        ("cost", r"^(?:kostnad\w*|økonomi\w*|finansiering\w*|budsjett\w*|ressurs\w*|pris|beløp)\b"),
        ("target", r"^(?:målverdi\w*|måltall\s*(?:19|20)\d\d|mål\s*(?:for\s*|i\s*)?(?:19|20)\d\d|ønsket\s+(?:nivå|verdi)|ambisjon\w*)"),
        ("goal", r"^(?:mål\w*|delmål\w*|hovedmål\w*|strategi\w*|innsatsområde\w*|satsingsområde\w*)\b"),
        ("indicator", r"^(?:indikator\w*|måleindikator\w*|resultatindikator\w*|måltall|måltal)\b"),
        ("baseline", r"^(?:utgangspunkt\w*|status\w*|nå-?situasjon\w*|nivå i dag|i dag|dagens nivå)"),
    )
)
_YEAR_IN_HEADER = re.compile(r"\b(?:19|20)\d\d\b")


def _column_roles(header: tuple[str, ...]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for index, cell in enumerate(header):
        for role, pattern in _COLUMN_ROLES:
            if pattern.search(cell.strip()) and role not in roles.values():
                roles[index] = role
                break
    return roles


def _walk_table(walk: _Walk, block: Block) -> None:
    roles = _column_roles(block.rows[0]) if block.rows else {}
    body = block.rows[1:]
    if "measure" not in roles.values() and walk.mode == "measures":
        roles = {0: "measure", **{i: r for i, r in roles.items() if i != 0}}
        body = block.rows[1:] if _column_roles(block.rows[0]) else block.rows
    if "measure" in roles.values():
        for row in body:
            cells = {role: row[i].strip() for i, role in roles.items()
                     if i < len(row) and row[i].strip() not in ("", "-", "–")}
            if cells.get("measure"):
                walk.add_measure(cells.pop("measure"), block.location, cells=cells)
    elif "goal" in roles.values():
        _walk_goal_table(walk, block, roles)


def _walk_goal_table(walk: _Walk, block: Block, roles: dict[int, str]) -> None:
    """Goals, one per row, with indicator, baseline and target where the table has them; a
    row with an empty goal cell adds another indicator to the goal above."""
    column = {role: i for i, role in roles.items()}
    years = _YEAR_IN_HEADER.findall(block.rows[0][column["target"]]) if "target" in column else []
    for row in block.rows[1:]:
        cell = {role: row[i].strip() for role, i in column.items() if i < len(row) and row[i].strip() not in ("-", "–")}
        if cell.get("goal"):
            before = len(walk.goals)
            if walk.add_goal(cell["goal"], block.location, "mål", None) is None or len(walk.goals) == before:
                continue
        elif not walk.goals or not cell.get("target"):
            continue
        goal = walk.goals[-1]
        if cell.get("target") and not goal.target:
            target = f"{cell['baseline']} → {cell['target']}" if cell.get("baseline") else cell["target"]
            walk.goals[-1] = goal.model_copy(update={
                "target": target, "horizon": goal.horizon or (years[-1] if years else None),
                "indicator": goal.indicator or cell.get("indicator")})


def _walk_heading(walk: _Walk, block: Block) -> None:
    if _NUMBER_ONLY.match(block.text):
        walk.pending_id = block.text.strip().rstrip(".")
        walk.continuing = False
        return
    level = block.level or 1
    walk.end_indicators()
    walk.heading_level = level
    walk.attributes_open = False
    walk.run_open = False
    walk.table_rows = walk.continuing = False
    title = _LEADING_NUMBER.sub("", block.text)
    is_measure_heading = _is_measure_heading(title, block)
    roles = roles_of_heading(title)
    if walk.mode and level <= walk.mode_level:
        walk.mode = None
    elif walk.mode == "goals" and roles and "mål" not in roles:
        walk.mode = None  # "6.1 Strategier" under a goal chapter: what follows is no goal
    if walk.serving and level <= walk.serving_level and not (walk.serving_from_heading and is_measure_heading):
        walk.serving = None
    goal = _goal_label(title)
    theme = _theme_label(title)
    if goal and len(goal[1].group("rest").strip()) >= 15 and not is_measure_heading:
        kind, match = goal
        added = walk.add_goal(match.group("rest").strip(), block.location, kind, match.group("id"))
        if added is not None:
            walk.serve(added.id or added.text[:80], level, from_heading=True)
        walk.mode = None
    elif theme:
        walk.serve(theme[:80], level, from_heading=True)
        walk.mode = "measures" if is_measure_heading else walk.mode
    elif goal and not is_measure_heading:
        walk.mode, walk.mode_level, walk.goal_kind = "goals", level, goal[0]
    elif "mål" in roles and not is_measure_heading:
        walk.mode, walk.mode_level, walk.goal_kind = "goals", level, "mål"
    elif is_measure_heading:
        walk.mode, walk.mode_level = "measures", level


def _is_measure_heading(title: str, block: Block) -> bool:
    """"Tiltak", "4 Handlingsplan", "Mål og tiltak" — but not the document's title
    ("Boligsosial handlingsplan 2025–2028"), which names the whole plan."""
    if block.location.block == 0 or plan_period(title) or len(title.split()) > 8:
        return False
    return bool(terms_pattern("measures.heading_terms").search(title))


@lru_cache(maxsize=1)
def _glued_label() -> re.Pattern[str]:
    """A label line ("Mål:", "Tiltak:") that text conversion glued to the end of the
    paragraph before it: "... når de er ferdige med programmet. Mål:"."""
    words = [*(term for kind in terms("goals.labels") for term in terms(f"goals.labels.{kind}")),
             *terms("measures.labels"), "tiltak", "strategi(?:er|ar)?"]
    return re.compile(rf"(?<=[.!?»”)])\s+(?P<label>{'|'.join(words)})\s*:\s*$", re.IGNORECASE)


def _split_trailing_label(text: str) -> tuple[str, str | None]:
    """The text without a label left at its end, and the label; a glued label line keeps its colon."""
    match = _trailing_label().search(text)
    glued = None if match else _glued_label().search(text)
    match = match or glued
    if not match or len(text) - len(match.group(0)) < 10:
        return text, None
    colon = glued or match.group(0).rstrip().endswith(":")
    return text[: match.start()].strip(), match.group("label").lower() + (":" if colon else "")


def _is_measure_header(text: str) -> bool:
    """A measure table's header row, alone or after its caption ("Tabell 6: Tiltak Nr. Tiltak Ansvarleg Frist")."""
    if _CAPTION.match(text):
        words = text.split()
        return any(_HEADER_ROW.match(" ".join(words[start:])) and _MEASURE_COLUMN.search(" ".join(words[start:]))
                   for start in range(2, min(len(words), 12)))
    return bool(_HEADER_ROW.match(text) and _MEASURE_COLUMN.search(text))


def _table_row_marker(walk: _Walk, text: str) -> bool:
    """Header cells and row numbers of a table that PDF conversion flattened into lines."""
    if walk.table_rows and len(text.split()) <= 4 and not any(ch.isdigit() for ch in text) and _HEADER_ROW.match(text):
        return True  # a header cell on its own line ("Investering", "Drift per år")
    if _ROW_CODE.match(text) and (walk.table_rows or walk.mode == "measures"):
        code = text.strip().rstrip(".")
        if not walk.focus(code):
            walk.pending_id, walk.continuing = code, False
        return True
    if walk.table_rows and _ROW_GROUP.match(text) and len(text) <= 60:
        walk.serve(text.strip()[:80], walk.heading_level, from_heading=False)
        walk.pending_id, walk.continuing, walk.run_open = None, False, False
        return True
    if _NUMBER_ONLY.match(text):
        number = text.strip().rstrip(".")
        # A bare count ("96") in a table of figures is a value; it numbers a row only
        # among measures, or in the plan's own numbering ("2.1").
        if ("." in number or walk.table_rows or walk.mode == "measures") and not walk.focus(number):
            walk.pending_id = number
            walk.continuing = False
            if walk.table_rows:
                walk.mode = "measures"
        return True
    if _is_measure_header(text):
        walk.table_rows, walk.continuing = True, False
        walk.mode, walk.mode_level = "measures", walk.heading_level
        return True
    return False


def _walk_text(walk: _Walk, block: Block) -> None:
    text, trailing = _split_trailing_label(block.text)
    if _indicator_table(walk, block, text):
        return
    if _table_row_marker(walk, text) or _CAPTION.match(text):
        return
    if walk.table_rows and _goal_reference(walk, text):
        return
    if _theme_label(text) and len(text) <= 150:
        walk.serve(text[:80], walk.heading_level, from_heading=False)
        walk.run_open = walk.continuing = False
        return
    if trailing and trailing.endswith(":"):
        pass  # prose that introduces a list under a glued label is no item itself
    elif walk.goals and _INDICATOR_LINE.match(text):
        _enrich_goal(walk, text)
    elif _labelled_goal(walk, block, text) or _labelled_measure(walk, block, text):
        pass
    elif not _attribute(walk, block, text):
        _listed_item(walk, block, text)
    if trailing:
        if trailing.startswith("strategi") and trailing.endswith(":") and not trailing.startswith("strategi/"):
            walk.mode = None  # "… følgende strategier:" introduces strategies, neither goals nor measures
        elif trailing.startswith(("tiltak", "aktivitet", "strategi", "handling")):
            walk.mode, walk.mode_level = "measures", walk.heading_level
        else:
            label = _goal_label(trailing if trailing.endswith(":") else f"{trailing}:")
            kind = label[0] if label and label[0] != "mål" else "delmål"
            walk.mode, walk.mode_level, walk.goal_kind = "goals", walk.heading_level, kind
            # A table's column label: the goals in its rows do not start a new group of measures.
            walk.run_open = not trailing.endswith(":")


_INDICATOR_HEADER = re.compile(
    r"^(?=.{0,120}$)(?!.*[:.;]\s)(?=.*\b(?:indikator\w*|måltall|måltal|målverdi\w*|måleindikator\w*)\b)"
    r"(?=.*\b(?:utgangspunkt\w*|status|nivå|målverdi\w*|(?:19|20)\d\d)\b)", re.IGNORECASE)
_VALUE = re.compile(
    r"^\s*(?:ca\.?|om lag|under|over|minst|maks\w*|høyst|inntil|[<>≤≥~])?\s*\d[\d  ,.]*\s*"
    r"(?:%|prosent|mnd\.?|måneder|månader|dager|dagar|uker|veker|år|stk\.?|kr\.?|mill\.?)?\s*$"
    r"|^\s*(?:ikke registrert|ikkje registrert|ukjent|ikke målt|ikkje målt|[-–])\s*$", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _indicator_table(walk: _Walk, block: Block, text: str) -> bool:
    """Goal tables flattened into lines: each goal with its indicator, baseline and target."""
    if _INDICATOR_HEADER.match(text):
        walk.end_indicators()
        years = _YEAR.findall(text)
        walk.indicators = _IndicatorRows(horizon=years[-1] if len(years) > 1 else None)
        return True
    rows = walk.indicators
    if rows is None:
        return False
    if _VALUE.match(text):
        rows.values.append(" ".join(text.split()))
        return True
    if len(text) > 200 or (_HEADER_ROW.match(text) and _MEASURE_COLUMN.search(text)) or _CAPTION.match(text):
        walk.end_indicators()
        return False
    if _theme_label(text):
        walk.close_indicator_row()
        walk.serve(text[:80], walk.heading_level, from_heading=False)
        walk.run_open = False
        return True
    if rows.values or (rows.text and _ENUMERATED.match(text)):
        walk.close_indicator_row()
    rows.text.append(text)
    rows.location = rows.location or block.location
    return True


# "Indikator: … Målverdi: frå 86 % (2024) til 89 % innan 2030." under the goal it measures.
_INDICATOR_LINE = re.compile(r"^\s*(?:indikator\w*|måleindikator\w*|målverdi\w*|måltall|måltal)\s*:",
                             re.IGNORECASE)
_TARGET_LABEL = re.compile(r"\b(?:målverdi\w*|måltall|måltal|mål\s+(?:for\s+)?(?:19|20)\d\d)\s*:?", re.IGNORECASE)


def _enrich_goal(walk: _Walk, text: str) -> None:
    """The indicator line of the latest goal: its target and horizon, where the goal had none."""
    goal = walk.goals[-1]
    label = _TARGET_LABEL.search(text)
    target = find_target(text[label.end():] if label else text)
    update = {"indicator": goal.indicator or _clip(text, 200)}
    if target and not goal.target:
        update["target"] = target
    horizon = find_horizon(text)
    if horizon and not goal.horizon:
        update["horizon"] = horizon
    walk.goals[-1] = goal.model_copy(update=update)


def _goal_reference(walk: _Walk, text: str) -> bool:
    """"Mål 4.1" or "Hovudmål 1: Fleire skal eige" as a row label in a measure table: the
    rows below serve that goal, and the table goes on with measures."""
    goal = _goal_label(text)
    if not goal or not goal[1].group("id"):
        return False
    goal_id = goal[1].group("id")
    rest = goal[1].group("rest").strip()
    if rest and not any(known.id == goal_id for known in walk.goals):
        return False
    walk.serve(goal_id, walk.heading_level, from_heading=False)
    walk.continuing = False
    walk.pending_id = None
    return True


def _labelled_goal(walk: _Walk, block: Block, text: str) -> bool:
    goal = _goal_label(text)
    if not goal:
        return False
    kind, match = goal
    rest = match.group("rest").strip()
    walk.run_open = False
    if len(rest) >= 10:
        walk.add_goal(rest, block.location, kind, match.group("id"))
    walk.mode, walk.mode_level, walk.goal_kind = "goals", walk.heading_level, kind
    return True


def _labelled_measure(walk: _Walk, block: Block, text: str) -> bool:
    measure = _label("measures.labels").match(text)
    if not measure:
        return False
    rest = measure.group("rest").strip()
    if len(rest) >= 10:
        walk.add_measure(rest, block.location, measure.group("id"))
    walk.mode, walk.mode_level = "measures", walk.heading_level
    return True


def _attribute(walk: _Walk, block: Block, text: str) -> bool:
    attribute = _ATTRIBUTE.match(text)
    if attribute and walk.attach(attribute.group("label"), attribute.group("value")):
        return True
    if not (walk.attributes_open and block.kind is BlockKind.paragraph and _is_attribute_line(text)):
        return False
    walk.attach("", text)
    # A cell the measure already has ("1. halvår 2024" after a deadline) is still a cell, no measure.
    return not _LEADING_CAPITAL_WORDS.match(text) or _is_unit(text) or _is_generic_owner(text)


_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÆØÅ]")
# "Digital søknad om kommunal bolig 2025": words before a date make a measure, not a cell.
_LEADING_CAPITAL_WORDS = re.compile(r"^\s*[A-ZÆØÅ][a-zæøå]+(?:\s+[a-zæøå]+){2,}")


def _listed_item(walk: _Walk, block: Block, text: str) -> None:
    """A list item, or a short one-sentence paragraph, under a goal or measure heading or label.

    Prose of several sentences, or a line that introduces a list (ending in ":"), is not one.
    """
    listed = block.kind is BlockKind.list_item or (
        len(text) <= _MAX_LISTED_PARAGRAPH and not _SENTENCE_BREAK.search(text) and not text.endswith(":"))
    wrapped = walk.table_rows and walk.attributes_open and text[:1].islower()  # a cell's next line
    if (walk.continuing or wrapped) and listed and walk.measures:
        walk.extend_measure(text)
    elif walk.mode == "goals" and listed:
        walk.add_goal(text, block.location, walk.goal_kind, None)
    elif (walk.mode == "measures" or walk.pending_id) and listed:
        walk.add_measure(text, block.location)
    elif block.kind is BlockKind.paragraph and len(text) > _MAX_LISTED_PARAGRAPH:
        walk.attributes_open = False


def extract_goals_and_measures(document: Document) -> tuple[list[Goal], list[Measure]]:
    walk = _Walk()
    for block in document.blocks:
        if block.kind is BlockKind.heading:
            _walk_heading(walk, block)
        elif block.kind is BlockKind.table:
            walk.end_indicators()
            _walk_table(walk, block)
        elif not _is_table_of_contents(block.text):
            _walk_text(walk, block)
    walk.end_indicators()
    return walk.goals, walk.measures


_LEADERS = re.compile(r"\.{5,}|…{3,}|(?:\s\.){4,}")


def _is_table_of_contents(text: str) -> bool:
    return bool(_LEADERS.search(text))
