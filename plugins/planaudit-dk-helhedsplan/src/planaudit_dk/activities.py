"""Activities of a Danish helhedsplan, read straight from the Document's blocks.

planaudit's extractor knows Norwegian goals and measures (tiltak), not Danish
aktiviteter, so this module walks the blocks itself. An activity is

- a row of a table whose header has an activity column ("Aktivitet | Mål | Ansvarlig"),
- a two-column description table headed by an activity ("Aktivitet | Lektiecafé"),
- a heading or a labelled line that names one ("Aktivitet 2.1: Lektiecafé"), with the
  blocks under the heading as its description, or
- an item of a list under a heading such as "Aktiviteter".

Each activity knows whether it names the goal or focus area (indsatsområde) it serves.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from planaudit.model import Block, BlockKind, Location

from .vocabulary import Vocabulary

__all__ = ["Activity", "find_activities"]


@dataclass(frozen=True)
class Activity:
    """One activity: its name, the text that describes it, where it is, and whether it names its goal."""

    name: str
    text: str
    location: Location
    names_goal: bool


def find_activities(blocks: Sequence[Block], vocabulary: Vocabulary) -> list[Activity]:
    """Every activity in the blocks, in document order."""
    activities: list[Activity] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind is BlockKind.heading and _label_name(block.text, vocabulary):
            body = _section_body(blocks, index)
            activities.append(_heading_activity(block, body, vocabulary))
            index += len(body) + 1
            continue
        activities.extend(_block_activities(blocks, index, vocabulary))
        index += 1
    return activities


def _block_activities(blocks: Sequence[Block], index: int, vocabulary: Vocabulary) -> Iterator[Activity]:
    block = blocks[index]
    if block.kind is BlockKind.table:
        yield from _table_activities(block, vocabulary)
    elif block.kind in (BlockKind.paragraph, BlockKind.list_item):
        name = _label_name(block.text, vocabulary)
        if name is None and block.kind is BlockKind.list_item and _under_activity_list(blocks, index, vocabulary):
            name = block.text
        if name:
            yield Activity(_first_line(name), block.text, block.location, vocabulary.names_goal(block.text))


def _label_name(text: str, vocabulary: Vocabulary) -> str | None:
    """The activity a heading or line names ("Aktivitet 2: Lektiecafé" gives "Lektiecafé")."""
    match = vocabulary.activity_label.match(text)
    if match is None:
        return None
    return match.group("name") or match.group("rest") or text.strip()


def _section_body(blocks: Sequence[Block], index: int) -> list[Block]:
    """The blocks under a heading, up to the next heading of the same or a higher level."""
    level = blocks[index].level or 1
    body = []
    for block in blocks[index + 1:]:
        if block.kind is BlockKind.heading and (block.level or 1) <= level:
            break
        body.append(block)
    return body


def _heading_activity(heading: Block, body: list[Block], vocabulary: Vocabulary) -> Activity:
    texts = [heading.text, *(block.text for block in body)]
    name = _label_name(heading.text, vocabulary) or heading.text
    return Activity(_first_line(name), "\n".join(texts[:3]), heading.location,
                    any(vocabulary.names_goal(text) for text in texts))


def _under_activity_list(blocks: Sequence[Block], index: int, vocabulary: Vocabulary) -> bool:
    """The nearest heading above the list item introduces a list of activities."""
    for block in reversed(blocks[:index]):
        if block.kind is BlockKind.heading:
            return bool(vocabulary.activity_list_heading.match(block.text.strip()))
    return False


def _table_activities(table: Block, vocabulary: Vocabulary) -> Iterator[Activity]:
    if len(table.rows) < 2:
        return
    if _is_description(table, vocabulary):
        description = _description_table(table, vocabulary)
        if description:
            yield description
        return
    header = table.rows[0]
    activity_column = next((i for i, cell in enumerate(header) if vocabulary.is_activity_column(cell)), None)
    if activity_column is not None:
        yield from _overview_rows(table, activity_column, vocabulary)


def _is_description(table: Block, vocabulary: Vocabulary) -> bool:
    """Two columns of label and value, the first label an activity ("Aktivitet | Lektiecafé")."""
    header = table.rows[0]
    return (all(len(row) == 2 for row in table.rows) and vocabulary.is_activity_column(header[0])
            and not vocabulary.is_column_header(header[1]))


def _overview_rows(table: Block, activity_column: int, vocabulary: Vocabulary) -> Iterator[Activity]:
    """One activity per row of an overview table; its goal cell or any reference in the row links it."""
    header = table.rows[0]
    goal_columns = [i for i, cell in enumerate(header) if i != activity_column and vocabulary.is_goal_column(cell)]
    for row in table.rows[1:]:
        name = _cell(row, activity_column)
        if not vocabulary.is_filled(name):
            continue
        linked = any(vocabulary.is_filled(_cell(row, i)) for i in goal_columns) \
            or any(vocabulary.names_goal(cell) for cell in row)
        yield Activity(_first_line(name), " | ".join(row), table.location, linked)


def _description_table(table: Block, vocabulary: Vocabulary) -> Activity | None:
    """A two-column activity description ("Aktivitet | Lektiecafé", "Mål | Mål 1 ...")."""
    fields = {label: value for label, value in table.rows}
    name = next((value for label, value in fields.items() if vocabulary.is_activity_column(label)), None)
    if not name or not vocabulary.is_filled(name):
        return None
    linked = any(vocabulary.is_goal_column(label) and vocabulary.is_filled(value) for label, value in fields.items()) \
        or any(vocabulary.names_goal(value) for value in fields.values())
    return Activity(_first_line(name), table.text, table.location, linked)


def _cell(row: Sequence[str], column: int) -> str:
    return row[column] if column < len(row) else ""


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else text
