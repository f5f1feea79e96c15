"""The ``json`` format: the report contract of DESIGN.md, for tools that read planaudit.

One document gives one object, several (or none) a list. The objects are
``AuditReport.model_dump(mode="json")`` with sorted keys, so the same input gives the same
bytes; nothing in them depends on the time or the machine.
"""
from __future__ import annotations

from ..engine import ReportContext
from ..model import AuditReport
from ._common import dump_json

__all__ = ["JsonReporter"]


class JsonReporter:
    name = "json"
    extension = ".json"

    def render(self, reports: list[AuditReport], context: ReportContext) -> str:
        objects = [report.model_dump(mode="json") for report in reports]
        return dump_json(objects[0] if len(objects) == 1 else objects)
