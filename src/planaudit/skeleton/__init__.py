"""``planaudit init``: a plan skeleton in the structure the research recommends.

Møreforsking Midt-Norge's template (seeds/004) orders a social-housing plan as knowledge
base, participation, goals → strategies → a measures table with Ansvarlig, Tidsfrist and
Kostnad, and follow-up; criteria.md says what each chapter needs to reach level 2. The
skeleton holds that structure with guidance in each chapter; the example is the same plan
filled in for a made-up municipality. One Markdown text per kind and language is the
source of both the Markdown and the Word file.
"""
from __future__ import annotations

from dataclasses import dataclass

from ._blocks import Block, parse
from ._docx import write_docx
from ._template import KINDS, LANGUAGES, Period, fill, municipality_name, parse_period, template

__all__ = ["FORMATS", "KINDS", "LANGUAGES", "Block", "Period", "PlanText", "municipality_name", "parse",
           "parse_period", "render"]

FORMATS = ("md", "docx")


@dataclass(frozen=True)
class PlanText:
    """What to write: the empty skeleton or the filled example, in which language and format."""

    kind: str = "skeleton"
    lang: str = "nb"
    fmt: str = "md"
    municipality: str | None = None
    period: Period | None = None


def render(plan: PlanText) -> bytes:
    """The file's bytes: UTF-8 Markdown, or a Word document built from the same text."""
    markdown = fill(template(plan.kind, plan.lang), plan.kind, plan.lang, plan.municipality, plan.period)
    if plan.fmt == "docx":
        return write_docx(parse(markdown), plan.lang)
    return markdown.encode("utf-8")
