"""Tables of goals and measures: real tables whose header names the columns, goal tables
flattened into lines (goal, indicator, baseline, target), and indicator lines under a goal.
"""
from __future__ import annotations

import re

from ..model import Block
from ._lexicon import terms
from ._shapes import (
    CAPTION,
    ENUMERATED,
    HEADER_ROW,
    MEASURE_COLUMN,
    names_measures,
    theme_label,
    unfilled,
)
from ._walk import IndicatorRows, Walk, clip
from .targets import find_horizon, find_target

__all__ = ["INDICATOR_LINE", "enrich_goal", "indicator_table", "walk_table"]


# The roles and their header words are data: lexicon.yaml, measures.column_roles.
_COLUMN_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile("^(?:" + "|".join(patterns) + ")", re.IGNORECASE))
    for role, patterns in terms("measures.column_roles").items()
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


def walk_table(walk: Walk, block: Block) -> None:
    roles = _column_roles(block.rows[0]) if block.rows else {}
    body = block.rows[1:]
    if "measure" not in roles.values() and walk.mode == "measures":
        roles = {0: "measure", **{i: r for i, r in roles.items() if i != 0}}
        body = block.rows[1:] if _column_roles(block.rows[0]) else block.rows
    if "measure" in roles.values():
        if block.rows and not names_measures(" ".join(block.rows[0]), block.location.section):
            return
        for row in body:
            cells = {role: row[i].strip() for i, role in roles.items() if i < len(row) and not unfilled(row[i])}
            if cells.get("measure"):
                walk.add_measure(cells.pop("measure"), block.location, cells.pop("id", None), cells=cells)
    elif "goal" in roles.values():
        _walk_goal_table(walk, block, roles)


def _walk_goal_table(walk: Walk, block: Block, roles: dict[int, str]) -> None:
    """Goals, one per row, with indicator, baseline and target where the table has them; a
    row with an empty goal cell adds another indicator to the goal above."""
    column = {role: i for i, role in roles.items()}
    years = _YEAR_IN_HEADER.findall(block.rows[0][column["target"]]) if "target" in column else []
    for row in block.rows[1:]:
        cell = {role: row[i].strip() for role, i in column.items() if i < len(row) and not unfilled(row[i])}
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


_INDICATOR_HEADER = re.compile(
    r"^(?=.{0,120}$)(?!.*[:.;]\s)(?=.*\b(?:indikator\w*|måltall|måltal|målverdi\w*|måleindikator\w*)\b)"
    r"(?=.*\b(?:utgangspunkt\w*|status|nivå|målverdi\w*|(?:19|20)\d\d)\b)", re.IGNORECASE)


_VALUE = re.compile(
    r"^\s*(?:ca\.?|om lag|under|over|minst|maks\w*|høyst|inntil|[<>≤≥~])?\s*\d[\d  ,.]*\s*"
    r"(?:%|prosent|mnd\.?|måneder|månader|dager|dagar|uker|veker|år|stk\.?|kr\.?|mill\.?)?\s*$"
    r"|^\s*(?:ikke registrert|ikkje registrert|ukjent|ikke målt|ikkje målt|[-–])\s*$", re.IGNORECASE)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def indicator_table(walk: Walk, block: Block, text: str) -> bool:
    """Goal tables flattened into lines: each goal with its indicator, baseline and target."""
    if _INDICATOR_HEADER.match(text):
        walk.end_indicators()
        years = _YEAR.findall(text)
        walk.indicators = IndicatorRows(horizon=years[-1] if len(years) > 1 else None)
        return True
    rows = walk.indicators
    if rows is None:
        return False
    if _VALUE.match(text):
        rows.values.append(" ".join(text.split()))
        return True
    if len(text) > 200 or (HEADER_ROW.match(text) and MEASURE_COLUMN.search(text)) or CAPTION.match(text):
        walk.end_indicators()
        return False
    if theme_label(text):
        walk.close_indicator_row()
        walk.serve(text[:80], walk.heading_level, from_heading=False)
        walk.run_open = False
        return True
    if rows.values or (rows.text and ENUMERATED.match(text)):
        walk.close_indicator_row()
    rows.text.append(text)
    rows.location = rows.location or block.location
    return True


# "Indikator: … Målverdi: frå 86 % (2024) til 89 % innan 2030." under the goal it measures.
INDICATOR_LINE = re.compile(r"^\s*(?:indikator\w*|måleindikator\w*|målverdi\w*|måltall|måltal)\s*:",
                             re.IGNORECASE)


_TARGET_LABEL = re.compile(r"\b(?:målverdi\w*|måltall|måltal|mål\s+(?:for\s+)?(?:19|20)\d\d)\s*:?", re.IGNORECASE)


def enrich_goal(walk: Walk, text: str) -> None:
    """The indicator line of the latest goal: its target and horizon, where the goal had none."""
    goal = walk.goals[-1]
    label = _TARGET_LABEL.search(text)
    target = find_target(text[label.end():] if label else text)
    update = {"indicator": goal.indicator or clip(text, 200)}
    if target and not goal.target:
        update["target"] = target
    horizon = find_horizon(text)
    if horizon and not goal.horizon:
        update["horizon"] = horizon
    walk.goals[-1] = goal.model_copy(update=update)
