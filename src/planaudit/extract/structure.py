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

from ..model import Block, BlockKind, Document, Goal, Measure
from ._goal_tables import INDICATOR_LINE, enrich_goal, indicator_table, walk_table
from ._lexicon import terms_pattern
from ._shapes import (
    ATTRIBUTE,
    CAPTION,
    HEADER_ROW,
    LEADING_NUMBER,
    NUMBER_ONLY,
    ROW_CODE,
    ROW_GROUP,
    goal_label,
    is_measure_header,
    label,
    names_measures,
    split_trailing_label,
    theme_label,
)
from ._walk import Walk, is_attribute_line, is_generic_owner, is_unit
from .sections import contents_blocks, roles_of_heading
from .timing import plan_period

__all__ = ["extract_goals_and_measures"]


_MAX_LISTED_PARAGRAPH = 300


def _walk_heading(walk: Walk, block: Block) -> None:
    if NUMBER_ONLY.match(block.text):
        walk.pending_id = block.text.strip().rstrip(".")
        walk.continuing = False
        return
    level = block.level or 1
    walk.end_indicators()
    walk.heading_level = level
    walk.attributes_open = False
    walk.run_open = False
    walk.table_rows = walk.continuing = False
    title = LEADING_NUMBER.sub("", block.text)
    is_measure_heading = _is_measure_heading(title, block)
    roles = roles_of_heading(title)
    if walk.mode and level <= walk.mode_level:
        walk.mode = None
    elif walk.mode == "goals" and roles and "mål" not in roles:
        walk.mode = None  # "6.1 Strategier" under a goal chapter: what follows is no goal
    if walk.serving and level <= walk.serving_level and not (walk.serving_from_heading and is_measure_heading):
        walk.serving = None
    goal = goal_label(title)
    theme = theme_label(title)
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
    ("Boligsosial handlingsplan 2025–2028", or without years as the page's first heading),
    which names the whole plan."""
    if block.location.block == 0 or plan_period(title) or len(title.split()) > 8:
        return False
    if len(block.location.section) <= 1 and terms_pattern("plan_title").search(title) \
            and not LEADING_NUMBER.match(block.text):
        return False
    return bool(terms_pattern("measures.heading_terms").search(title))


def _table_row_marker(walk: Walk, text: str, section: tuple[str, ...] = ()) -> bool:
    """Header cells and row numbers of a table that PDF conversion flattened into lines."""
    if walk.table_rows and len(text.split()) <= 4 and not any(ch.isdigit() for ch in text) and HEADER_ROW.match(text):
        return True  # a header cell on its own line ("Investering", "Drift per år")
    if ROW_CODE.match(text) and (walk.table_rows or walk.mode == "measures"):
        code = text.strip().rstrip(".")
        if not walk.focus(code):
            walk.pending_id, walk.continuing = code, False
        return True
    if walk.table_rows and ROW_GROUP.match(text) and len(text) <= 60:
        # "A Boliger og botilbud" groups rows by theme; a theme is no goal the rows serve.
        walk.serving, walk.pending_id, walk.continuing, walk.run_open = None, None, False, False
        return True
    if NUMBER_ONLY.match(text):
        number = text.strip().rstrip(".")
        # A bare count ("96") in a table of figures is a value; it numbers a row only
        # among measures, or in the plan's own numbering ("2.1").
        if ("." in number or walk.table_rows or walk.mode == "measures") and not walk.focus(number):
            walk.pending_id = number
            walk.continuing = False
            if walk.table_rows:
                walk.mode = "measures"
        return True
    if is_measure_header(text):
        if not names_measures(text, section):
            return True  # "Aktivitet Deltakere Dato" in the participation chapter lists meetings, not measures
        walk.table_rows, walk.continuing = True, False
        walk.mode, walk.mode_level = "measures", walk.heading_level
        return True
    return False


def _walk_text(walk: Walk, block: Block) -> None:
    text, trailing = split_trailing_label(block.text)
    if indicator_table(walk, block, text):
        return
    if _table_row_marker(walk, text, block.location.section) or CAPTION.match(text):
        return
    if walk.table_rows and _goal_reference(walk, text):
        return
    if theme_label(text) and len(text) <= 150:
        walk.serve(text[:80], walk.heading_level, from_heading=False)
        walk.run_open = walk.continuing = False
        return
    if trailing and trailing.endswith(":"):
        pass  # prose that introduces a list under a glued label is no item itself
    elif walk.goals and INDICATOR_LINE.match(text):
        enrich_goal(walk, text)
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
            label = goal_label(trailing if trailing.endswith(":") else f"{trailing}:")
            kind = label[0] if label and label[0] != "mål" else "delmål"
            walk.mode, walk.mode_level, walk.goal_kind = "goals", walk.heading_level, kind
            # A table's column label: the goals in its rows do not start a new group of measures.
            walk.run_open = not trailing.endswith(":")


def _goal_reference(walk: Walk, text: str) -> bool:
    """"Mål 4.1" or "Hovudmål 1: Fleire skal eige" as a row label in a measure table: the
    rows below serve that goal, and the table goes on with measures."""
    goal = goal_label(text)
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


def _labelled_goal(walk: Walk, block: Block, text: str) -> bool:
    goal = goal_label(text)
    if not goal:
        return False
    kind, match = goal
    rest = match.group("rest").strip()
    walk.run_open = False
    if len(rest) >= 10:
        walk.add_goal(rest, block.location, kind, match.group("id"))
    walk.mode, walk.mode_level, walk.goal_kind = "goals", walk.heading_level, kind
    return True


def _labelled_measure(walk: Walk, block: Block, text: str) -> bool:
    measure = label("measures.labels").match(text)
    if not measure:
        return False
    rest = measure.group("rest").strip()
    if len(rest) >= 10:
        walk.add_measure(rest, block.location, measure.group("id"))
    walk.mode, walk.mode_level = "measures", walk.heading_level
    return True


def _attribute(walk: Walk, block: Block, text: str) -> bool:
    attribute = ATTRIBUTE.match(text)
    if attribute and walk.attach(attribute.group("label"), attribute.group("value")):
        return True
    if not (walk.attributes_open and block.kind is BlockKind.paragraph and is_attribute_line(text)):
        return False
    walk.attach("", text)
    # A cell the measure already has ("1. halvår 2024" after a deadline) is still a cell, no measure.
    return not _LEADING_CAPITAL_WORDS.match(text) or is_unit(text) or is_generic_owner(text)


_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÆØÅ]")


# "Digital søknad om kommunal bolig 2025": words before a date make a measure, not a cell.
_LEADING_CAPITAL_WORDS = re.compile(r"^\s*[A-ZÆØÅ][a-zæøå]+(?:\s+[a-zæøå]+){2,}")


def _listed_item(walk: Walk, block: Block, text: str) -> None:
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
    walk = Walk()
    contents = contents_blocks(document)
    for index, block in enumerate(document.blocks):
        if index in contents:
            continue
        if block.kind is BlockKind.heading:
            _walk_heading(walk, block)
        elif block.kind is BlockKind.table:
            walk.end_indicators()
            walk_table(walk, block)
        else:
            _walk_text(walk, block)
    walk.end_indicators()
    return walk.goals, _without_group_labels(document, walk.measures)


_GROUP_LABEL = re.compile(r"^[A-ZÆØÅ][\wæøå]*(?:[ -]+[\wæøå]+){0,4}$")


def _without_group_labels(document: Document, measures: list[Measure]) -> list[Measure]:
    """A short line right above a bulleted list of measures ("Boliger for unge", "Forebygging")
    names their theme; it is no measure itself. (A theme is no goal: the measures below it
    are grouped, not tied to a goal, so they are not linked to it.)"""
    kinds = {block.location.block: block.kind for block in document.blocks}
    kept: list[Measure] = []
    for index, measure in enumerate(measures):
        block = measure.location.block
        following = measures[index + 1] if index + 1 < len(measures) else None
        if block is not None and kinds.get(block) is BlockKind.paragraph and _GROUP_LABEL.match(measure.text) \
                and following is not None and following.location.block == block + 1 \
                and kinds.get(block + 1) is BlockKind.list_item:
            continue
        kept.append(measure)
    return kept

