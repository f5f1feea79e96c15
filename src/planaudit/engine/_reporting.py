"""What a reporter is, and what it is told besides the reports."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ..model import AuditReport
from ._criteria import criterion_title
from .rule import RuleInfo

__all__ = ["ReportContext", "Reporter"]


@dataclass(frozen=True)
class ReportContext:
    lang: str = "nb"
    rules: tuple[RuleInfo, ...] = ()
    tool_version: str = ""
    criterion_titles: dict[str, str] = field(default_factory=dict)

    def t(self, nb: str, en: str) -> str:
        return en if self.lang == "en" else nb

    def title(self, criterion: str) -> str:
        return self.criterion_titles.get(criterion) or criterion_title(criterion, self.lang)


@runtime_checkable
class Reporter(Protocol):
    #: the ``--format`` name
    name: str
    #: file extension for ``-o`` defaults, e.g. ".json"
    extension: str

    def render(self, reports: list[AuditReport], context: ReportContext) -> str:
        """The whole output for these reports; one report or many."""
