"""The Danish vocabulary of the plugin's Python rules, read from ``data/vocabulary.yaml``.

The words live in the data file; this module only turns the lists into patterns.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["Vocabulary", "load_vocabulary"]

# A number such as 2, 2.1 or 2.1.3 after a label or goal word.
_NUMBER = r"\d+(?:\.\d+)*"
# A link phrase reaches a goal word over at most this many words.
_LINK_GAP = 3


def _alternatives(words: Iterable[str]) -> str:
    """A regex group of the words, longest first, whitespace in phrases loosened; a ``*``
    stands for the rest of a word, as in rule packs ("helhedsplan*")."""
    escaped = (r"\s+".join(re.escape(part).replace(r"\*", r"\w*") for part in word.split()) for word in words)
    return "(?:" + "|".join(sorted(escaped, key=len, reverse=True)) + ")"


def _normalise(text: str) -> str:
    """Lower case, single spaces, no trailing colon or asterisks (Markdown emphasis)."""
    return " ".join(text.replace("*", " ").split()).strip(" :").lower()


@dataclass(frozen=True)
class Vocabulary:
    """Compiled patterns: what marks a plan, an activity, a goal column and a goal reference."""

    plan_marker: re.Pattern[str]
    activity_label: re.Pattern[str]
    activity_list_heading: re.Pattern[str]
    activity_column: re.Pattern[str]
    goal_column: re.Pattern[str]
    other_column: re.Pattern[str]
    goal_reference: re.Pattern[str]
    empty_values: frozenset[str]

    @classmethod
    def from_data(cls, data: dict[str, list[str]]) -> Vocabulary:
        goal = _alternatives(data["goal_words"])
        link = _alternatives(data["link_phrases"])
        references = (
            rf"(?<!\w){goal}\s*(?:nr\.?\s*)?{_NUMBER}",        # "mål 2", "delmål 1.3"
            rf"(?:^|\n)\s*{goal}\s*:",                          # "Mål: ..." opening a line
            rf"(?<!\w){link}\s+(?:\S+\s+){{0,{_LINK_GAP}}}?{goal}(?!\w)",  # "understøtter målet"
        )
        return cls(
            plan_marker=re.compile(rf"(?<!\w){_alternatives(data['plan_markers'])}(?!\w)", re.IGNORECASE),
            activity_label=re.compile(
                rf"^\s*{_alternatives(data['activity_labels'])}(?:\s+{_NUMBER})?\.?\s*[:–—-]\s*(?P<name>\S.*)$"
                rf"|^\s*{_alternatives(data['activity_labels'])}\s+{_NUMBER}\.?(?:\s+(?P<rest>\S.*))?$",
                re.IGNORECASE | re.DOTALL),
            activity_list_heading=re.compile(
                rf"^(?:{_NUMBER}\.?\s+)?{_alternatives(data['activity_list_headings'])}(?!\w)", re.IGNORECASE),
            activity_column=re.compile(rf"^{_alternatives(data['activity_columns'])}(?!\w)", re.IGNORECASE),
            goal_column=re.compile(rf"^{_alternatives(data['goal_columns'])}(?!\w)", re.IGNORECASE),
            other_column=re.compile(rf"^{_alternatives(data['other_columns'])}(?!\w)", re.IGNORECASE),
            goal_reference=re.compile("|".join(references), re.IGNORECASE),
            empty_values=frozenset(_normalise(value) for value in data["empty_values"]),
        )

    def is_activity_column(self, header: str) -> bool:
        return bool(self.activity_column.match(_normalise(header)))

    def is_goal_column(self, header: str) -> bool:
        return bool(self.goal_column.match(_normalise(header)))

    def is_column_header(self, header: str) -> bool:
        """A known column name of an activity overview (activity, goal or another)."""
        value = _normalise(header)
        return any(pattern.match(value) for pattern in (self.activity_column, self.goal_column, self.other_column))

    def is_filled(self, cell: str) -> bool:
        """A cell that says something: not blank and not a placeholder ("–", "afklares")."""
        value = _normalise(cell)
        return bool(value) and value not in self.empty_values

    def names_goal(self, text: str) -> bool:
        return bool(self.goal_reference.search(text))

    def is_helhedsplan(self, text: str) -> bool:
        return bool(self.plan_marker.search(text))


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    """The vocabulary shipped with the package."""
    text = (resources.files("planaudit_dk") / "data" / "vocabulary.yaml").read_text(encoding="utf-8")
    return Vocabulary.from_data(yaml.safe_load(text))
