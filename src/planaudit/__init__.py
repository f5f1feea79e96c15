"""planaudit: quality audit of Norwegian municipal social-housing and other action plans.

The public face is small: ``audit()`` for a report, the models it returns, and what a
plugin author needs (``hookimpl``, ``Rule``, ``RuleContext``, ``Assessment``).
"""
from .engine import Assessment, Rule, RuleContext, audit, hookimpl
from .model import AuditReport, CriterionScore, Document, Finding, Location, Plan

__all__ = [
    "Assessment",
    "AuditReport",
    "CriterionScore",
    "Document",
    "Finding",
    "Location",
    "Plan",
    "Rule",
    "RuleContext",
    "__version__",
    "audit",
    "hookimpl",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from .engine import version

        return version()
    raise AttributeError(name)
