"""The plan texts (empty skeleton and filled example, bokmål and nynorsk) and how the
municipality and period are filled in.

The texts are Markdown data files, one per kind and language, so a planner or translator
edits them without touching code. They hold ``{name}`` fields and nothing else in braces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from ..errors import UsageError

__all__ = ["KINDS", "LANGUAGES", "Period", "fill", "municipality_name", "parse_period", "template"]

KINDS = ("skeleton", "example")
LANGUAGES = ("nb", "nn")

# The example's own made-up municipality and period, so its text reads as a real plan and
# every run writes the same file.
_EXAMPLE_MUNICIPALITY = "Lauvstad kommune"
_EXAMPLE_PERIOD = (2026, 2029)
# What the empty skeleton shows where nothing was given.
_BLANK_MUNICIPALITY = {"nb": "[navn] kommune", "nn": "[namn] kommune"}
_BLANK_PERIOD = "[ÅÅÅÅ–ÅÅÅÅ]"

_PERIOD = re.compile(r"^\s*((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)\d\d)\s*$")
# A plan period is a few years; a longer span is a typo (2026-2092), not a plan.
_LONGEST_PERIOD = 20


@dataclass(frozen=True)
class Period:
    start: int
    end: int

    def label(self) -> str:
        return f"{self.start}–{self.end}"


def template(kind: str, lang: str) -> str:
    return resources.files(__package__).joinpath("data", f"{kind}_{lang}.md").read_text(encoding="utf-8")


def parse_period(text: str) -> Period:
    """"2026-2029" or "2026–2029"; anything else is a usage error naming the option."""
    match = _PERIOD.match(text)
    if not match:
        raise UsageError("--period", f"«{text}» er ingen planperiode; skriv f.eks. 2026-2029",
                         f"'{text}' is not a plan period; write e.g. 2026-2029")
    start, end = int(match.group(1)), int(match.group(2))
    if not start <= end <= start + _LONGEST_PERIOD:
        raise UsageError("--period", f"«{text}»: sluttåret må være samme år som eller inntil {_LONGEST_PERIOD} år etter startåret",
                         f"'{text}': the end year must be the start year or up to {_LONGEST_PERIOD} years after it")
    return Period(start, end)


def municipality_name(name: str) -> str:
    """"Fjellvik" and "Fjellvik kommune" both become "Fjellvik kommune", as plans write it."""
    name = " ".join(name.split())
    if not name or any(ch in name for ch in "\n\r{}[]"):
        raise UsageError("--municipality", "skriv kommunens navn, f.eks. --municipality Fjellvik",
                         "give the municipality's name, e.g. --municipality Fjellvik")
    return name if name.lower().endswith("kommune") else f"{name} kommune"


class _Fields(dict[str, str]):
    """Fields the text names but the caller did not give stay as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(text: str, kind: str, lang: str, municipality: str | None, period: Period | None) -> str:
    """The template with its fields filled: the example gets its own municipality and
    period unless told otherwise, and the years in its text follow the period."""
    if kind == "example":
        municipality = municipality or _EXAMPLE_MUNICIPALITY
        period = period or Period(*_EXAMPLE_PERIOD)
    fields = _Fields(municipality=municipality or _BLANK_MUNICIPALITY[lang],
                     period=period.label() if period else _BLANK_PERIOD)
    if period is not None:
        # the example's dates: adopted the year before the period, targets by its last year
        fields.update(start=str(period.start), end=str(period.end), before=str(period.start - 1),
                      before_3=str(period.start - 4), y1=str(min(period.start + 1, period.end)),
                      y2=str(min(period.start + 2, period.end)))
    return text.format_map(fields)
