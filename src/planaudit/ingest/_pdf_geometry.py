"""Page geometry to reading structure: text runs into lines, lines into tables and prose.

Pure Python over positions (PDF points, y upwards), so it can be tested and fuzzed without a
PDF library. The PDF reader feeds it the text runs and ruling lines PDFium reports.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ._layout import join_hyphenated

__all__ = ["COLUMN_GAP", "Line", "Rule", "Run", "Table", "find_tables", "group_lines", "in_reading_order"]

#: A gap between two runs on one line this many font sizes wide separates table columns.
COLUMN_GAP = 1.2
#: A list marker alone: a bullet, "1.", "a)", "–".
_MARKER = re.compile(r"^\s*(?:[•▪◦●■□➢►‣·o\-–*]|\d{1,2}[.)]|[a-z][.)])\s*$")
#: A column of prose has lines of at least this many characters (median); a table's
#: columns hold shorter cells.
_PROSE_LINE = 35
#: Rulings shorter than this (points) are underlines or bullets, not table borders.
_MIN_RULE = 15.0


@dataclass(frozen=True)
class Run:
    """A run of text on one line as the PDF placed it."""

    x0: float
    x1: float
    bottom: float
    top: float
    text: str
    size: float
    bold: bool = False
    #: where the run's characters start in the page's text layer (-1 when unknown)
    start: int = -1
    #: the text block OCR found the run in (-1 for a text layer): blocks are cells apart
    block: int = -1

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Rule:
    """A drawn line or an edge of a filled cell: horizontal when it is flat."""

    x0: float
    x1: float
    bottom: float
    top: float

    @property
    def horizontal(self) -> bool:
        return self.top - self.bottom <= 2.0 and self.x1 - self.x0 >= _MIN_RULE

    @property
    def vertical(self) -> bool:
        return self.x1 - self.x0 <= 2.0 and self.top - self.bottom >= _MIN_RULE


@dataclass(frozen=True)
class Line:
    """Runs that share a baseline, left to right, with what the layout rules ask of them."""

    runs: tuple[Run, ...]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    column_groups: tuple[tuple[Run, ...], ...]
    text: str

    @classmethod
    def of(cls, runs: list[Run], borders: tuple[float, ...] = ()) -> Line:
        """The line of these runs; ``borders`` are x positions of drawn vertical lines, which
        separate cells however narrow the gap."""
        if len(runs) == 1:
            run = runs[0]
            return cls((run,), run.top, run.bottom, run.x0, run.x1, run.size, run.bold, ((run,),), run.text)
        ordered = sorted(runs, key=lambda run: run.x0)
        groups = _column_groups(ordered, borders)
        return cls(
            runs=tuple(ordered), top=max(run.top for run in ordered), bottom=min(run.bottom for run in ordered),
            x0=ordered[0].x0, x1=max(run.x1 for run in ordered), size=max(run.size for run in ordered),
            bold=all(run.bold for run in ordered), column_groups=groups,
            text=" ".join(_joined(group) for group in groups),
        )


def _joined(runs: tuple[Run, ...]) -> str:
    """The text of runs side by side: a space where there is a gap, none where a word was only
    split into two runs (kerning, a change of font)."""
    text = runs[0].text
    for before, run in zip(runs, runs[1:]):
        text += ("" if run.x0 - before.x1 < 0.12 * run.size else " ") + run.text
    return text


def _column_groups(runs: list[Run], borders: tuple[float, ...] = ()) -> tuple[tuple[Run, ...], ...]:
    """Runs grouped where gaps are too narrow to separate table columns; a bullet or a list
    number set off by a tab stays with its item."""
    groups: list[list[Run]] = []
    for run in runs:
        close = groups and run.x0 - groups[-1][-1].x1 < COLUMN_GAP * max(run.size, 4.0) \
            and not any(groups[-1][-1].x1 - 1.0 <= x <= run.x0 + 1.0 for x in borders) \
            and not (run.block >= 0 and groups[-1][-1].block >= 0 and run.block != groups[-1][-1].block)
        if groups and (close or _MARKER.match(" ".join(item.text for item in groups[-1]))):
            groups[-1].append(run)
        else:
            groups.append([run])
    return tuple(tuple(group) for group in groups)


@dataclass(frozen=True)
class Table:
    """Lines [first, last] of a page that form a table, and its cells, header row first."""

    first: int
    last: int
    rows: tuple[tuple[str, ...], ...]


def group_lines(runs: list[Run]) -> list[Line]:
    """Runs sorted into lines, top of the page first: a run joins the line whose vertical
    extent holds its middle."""
    lines: list[tuple[float, float, list[Run]]] = []
    for run in sorted(runs, key=lambda item: (-item.top, item.x0)):
        if not run.text.strip():
            continue
        home = next((index for index in range(len(lines) - 1, max(-1, len(lines) - 4), -1)
                     if lines[index][0] <= run.middle <= lines[index][1]), None)
        if home is None:
            lines.append((run.bottom, run.top, [run]))
        else:
            bottom, top, members = lines[home]
            members.append(run)
            lines[home] = (min(bottom, run.bottom), max(top, run.top), members)
    return [Line.of(members) for _, _, members in lines]


def in_reading_order(runs: list[Run]) -> list[list[Run]]:
    """The runs in the blocks a reader takes in turn: the whole page, or, on a page set in
    two columns, the left column and then the right one, band by band between the lines
    that span both (a heading across the page).

    A page is in two columns when a clear gutter runs down its middle and the PDF itself
    writes one column before the other; a table's columns are written row by row, so its
    rows stay together. Where the writing order is unknown (runs read by OCR), both sides
    must hold lines as long as a column of prose: the sides of a table hold short cells.
    """
    gutter = _gutter(runs)
    if gutter is None:
        return [runs]
    sides = {id(run): "L" if run.x1 <= gutter else "R" if run.x0 >= gutter else "S" for run in runs}
    left = [run for run in runs if sides[id(run)] == "L"]
    right = [run for run in runs if sides[id(run)] == "R"]
    left_lines, right_lines = group_lines(left), group_lines(right)
    if len(left_lines) < 5 or len(right_lines) < 5:
        return [runs]
    if all(run.start < 0 for run in runs):
        return _bands(runs, sides) if min(_median_length(left_lines), _median_length(right_lines)) >= _PROSE_LINE \
            else [runs]
    written = [sides[id(run)] for run in sorted(runs, key=lambda run: run.start) if sides[id(run)] != "S"]
    switches = sum(1 for before, after in zip(written, written[1:]) if before != after)
    return [runs] if switches > max(3, len(written) // 10) else _bands(runs, sides)


def _median_length(lines: list[Line]) -> int:
    lengths = sorted(len(line.text) for line in lines)
    return lengths[len(lengths) // 2]


def _bands(runs: list[Run], sides: dict[int, str]) -> list[list[Run]]:
    """Left column, right column, then the spanning run below them, band after band."""
    spanning = sorted((run for run in runs if sides[id(run)] == "S"), key=lambda run: -run.middle)
    depths = [-run.middle for run in spanning]
    bands: list[dict[str, list[Run]]] = [{"L": [], "R": []} for _ in range(len(spanning) + 1)]
    for run in sorted(runs, key=lambda run: -run.top):
        side = sides[id(run)]
        if side != "S":  # the band below every spanning run whose middle is above this one
            bands[bisect.bisect_left(depths, -run.middle)][side].append(run)
    blocks: list[list[Run]] = []
    for index, band in enumerate(bands):
        blocks += [band["L"], band["R"]]
        if index < len(spanning):
            blocks.append([spanning[index]])
    return [block for block in blocks if block]


def _gutter(runs: list[Run]) -> float | None:
    """The middle of the widest vertical strip in the middle half of the text area that at
    most a few runs cross, if it is at least 8 points wide."""
    if len(runs) < 20:
        return None
    left = int(min(run.x0 for run in runs))
    width = int(max(run.x1 for run in runs)) - left + 2
    crossing = [0] * (width + 1)
    for run in runs:  # how many runs cross each point, by a difference array
        crossing[int(run.x0) - left + 1] += 1
        crossing[int(run.x1) - left] -= 1
    allowed = max(2, len(runs) // 25)
    best, start, count = (0, 0), None, 0
    for x in range(width):
        count += crossing[x]
        inside = width * 0.25 <= x <= width * 0.75
        if inside and count <= allowed:
            start = x if start is None else start
            if x - start > best[1] - best[0]:
                best = (start, x)
        else:
            start = None
    if best[1] - best[0] < 8:
        return None
    return left + (best[0] + best[1]) / 2


def find_tables(lines: list[Line], rules: list[Rule]) -> list[Table]:
    """Tables on a page: a header line with two or more columns, the lines that keep to its
    columns, rows split at drawn horizontal borders where there are any."""
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        table = _table_from(lines, index, rules)
        if table is None:
            index += 1
        else:
            tables.append(table)
            index = table.last + 1
    return tables


def _table_from(lines: list[Line], first: int, rules: list[Rule]) -> Table | None:
    header = lines[first]
    groups = header.column_groups
    if len(groups) < 2:
        return None
    starts = [group[0].x0 for group in groups]
    last = first
    while last + 1 < len(lines) and _keeps_to_columns(lines[last + 1], starts, lines[last]):
        last += 1
    if last == first:
        return None
    borders = _row_borders(lines[first:last + 1], rules)
    rows = _rows(lines[first:last + 1], starts, borders)
    if len(rows) < 2:
        return None
    return Table(first, last, tuple(rows))


def _column_of(x0: float, starts: list[float]) -> int | None:
    tolerance = 6.0
    best = None
    for index, start in enumerate(starts):
        if x0 >= start - tolerance:
            best = index
    return best


def _keeps_to_columns(line: Line, starts: list[float], previous: Line) -> bool:
    """A line belongs to the table when its pieces begin at column starts and it follows
    closely; a wide paragraph line or a larger font ends the table."""
    gap = previous.bottom - line.top
    if gap > 2.5 * max(line.size, previous.size) or gap < -line.size or line.size > previous.size * 1.15:
        return False
    groups = line.column_groups
    aligned = all(any(abs(group[0].x0 - start) <= 6.0 for start in starts) for group in groups)
    if len(groups) >= 2:
        return aligned
    # A single piece: a wrapped cell, unless it runs across the next column's start.
    only = groups[0]
    column = _column_of(only[0].x0, starts)
    if not aligned or column is None:
        return False
    return column + 1 >= len(starts) or only[-1].x1 <= starts[column + 1] + 2.0


def _row_borders(lines: list[Line], rules: list[Rule]) -> list[float]:
    top, bottom = lines[0].top, lines[-1].bottom
    left, right = min(line.x0 for line in lines), max(line.runs[-1].x1 for line in lines)
    return sorted({round(rule.top, 1) for rule in rules
                   if rule.horizontal and bottom - 4 <= rule.top <= top + 4
                   and rule.x0 <= right and rule.x1 >= left}, reverse=True)


def _rows(lines: list[Line], starts: list[float], borders: list[float]) -> list[tuple[str, ...]]:
    """Cell texts per row: a new row at each drawn border, or (without borders) whenever
    the first column gets text again."""
    rows: list[list[list[tuple[Run, ...]]]] = []
    band = None
    for line in lines:
        line_band = sum(1 for border in borders if border > line.top - 1.0) if borders else None
        new_row = not rows or (line_band != band if borders else _opens_row(line, starts))
        band = line_band
        if new_row:
            rows.append([[] for _ in starts])
        for group in line.column_groups:
            column = _column_of(group[0].x0, starts)
            if column is not None:
                rows[-1][column].append(group)
    right = max(line.x1 for line in lines)
    limits = [start - 2.0 for start in starts[1:]] + [right]
    return [tuple(_cell_text(parts, limits[column]) for column, parts in enumerate(row)) for row in rows if any(row)]


def _cell_text(parts: list[tuple[Run, ...]], limit: float) -> str:
    """A cell's lines as one text. A cell too narrow for a word breaks it without a hyphen:
    a line holding one word only, and a next line whose first word would have fitted after
    it (``limit`` is where the next column begins), so the break was no word wrap."""
    text, previous = "", None
    for group in parts:
        piece = _joined(group)
        if previous is not None and _broken_word(previous, group, piece, limit):
            text += piece
        else:
            text = join_hyphenated([text, piece])
        previous = group
    return text


def _broken_word(previous: tuple[Run, ...], group: tuple[Run, ...], piece: str, limit: float) -> bool:
    before = _joined(previous)
    if " " in before or not before[-1:].isalpha() or not piece[:1].islower():
        return False
    first = group[0]
    word = piece.split(" ", 1)[0]
    width = (first.x1 - first.x0) * len(word) / max(len(first.text), 1)
    return previous[-1].x1 + 0.3 * first.size + width <= limit


def _opens_row(line: Line, starts: list[float]) -> bool:
    """Without borders, a line that fills the first column and another starts a row; a lone
    first-column line is that cell wrapping."""
    return _column_of(line.x0, starts) == 0 and len(line.column_groups) >= 2
