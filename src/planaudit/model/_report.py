"""Findings and the audit report: the JSON contract external tools rely on (DESIGN.md)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CRITERIA",
    "AuditReport",
    "BaselineSummary",
    "CriterionScore",
    "DocumentInfo",
    "Finding",
    "FindingLocation",
    "Level",
    "Notification",
    "PlanSummary",
    "Severity",
    "Suppression",
]

_FROZEN = ConfigDict(frozen=True, extra="forbid")

#: The twelve criterion ids of criteria.md, in the rubric's order. Stable: used in
#: configuration, profiles, reports and the labelled corpus.
CRITERIA: tuple[str, ...] = (
    "measurable_goals",
    "responsibility",
    "timeline",
    "costs",
    "political_anchoring",
    "administrative_anchoring",
    "external_anchoring",
    "user_participation",
    "plan_linkage",
    "knowledge_base",
    "follow_up",
    "goal_measure_coherence",
)

Severity = Literal["error", "warning", "info"]
#: A criterion's level: 0 missing, 1 partly met, 2 met.
Level = Literal[0, 1, 2]


class FindingLocation(BaseModel):
    model_config = _FROZEN

    page: int | None = None
    line: int | None = None
    section: str | None = Field(default=None, description="section path joined with ' > '")
    ocr: bool = Field(default=False, description="the page was read by OCR: check the quote against the page image")


class Suppression(BaseModel):
    """Why a finding is accepted: a marker in the document or an entry in the configuration.

    An accepted finding stays in the report with this record; it does not count for
    ``--fail-on``, and the criterion's level and score stay as the rule assessed them.
    """

    model_config = _FROZEN

    kind: Literal["inline", "config"] = Field(description="inline: a marker in the document; config: [[accept]]")
    reason: str
    source: str | None = Field(default=None, description="where the accept is, e.g. 'side 4' or 'planaudit.toml'")


class Finding(BaseModel):
    model_config = _FROZEN

    rule: str
    criterion: str
    severity: Severity
    message: str
    suggestion: str | None = None
    location: FindingLocation = Field(default_factory=FindingLocation)
    evidence: str | None = Field(default=None, description="the plan's words the finding is about")
    suppression: Suppression | None = Field(default=None, description="set when the finding is accepted")


class CriterionScore(BaseModel):
    model_config = _FROZEN

    level: Level
    score: int = Field(ge=0, le=100)
    weight: float = Field(ge=0)
    evidence: list[str] = Field(default_factory=list)


class Notification(BaseModel):
    model_config = _FROZEN

    level: Literal["error", "warning", "info"]
    message: str
    rule: str | None = None
    code: str | None = Field(default=None, description=(
        "what kind of notice, for tools: e.g. accept.unused, accept.no_reason, accept.unknown"))


class DocumentInfo(BaseModel):
    model_config = _FROZEN

    path: str
    sha256: str
    format: str
    pages: int | None = None
    language: str | None = None


class PlanSummary(BaseModel):
    model_config = _FROZEN

    title: str | None = None
    municipality: str | None = None
    period: tuple[int, int] | None = None
    goals: int = 0
    measures: int = 0


class BaselineSummary(BaseModel):
    """What ``--baseline`` did to this document's findings."""

    model_config = _FROZEN

    in_baseline: bool = Field(description="whether the baseline holds a report for this document")
    unchanged: int = Field(ge=0, description="findings left out because the baseline has them")
    fixed: int = Field(ge=0, description="baseline findings for this document that are no longer found")


class AuditReport(BaseModel):
    """One audited document. Serialised with sorted keys, it is the JSON report contract."""

    model_config = _FROZEN

    planaudit_version: str
    document: DocumentInfo
    plan: PlanSummary
    profile: str
    passed: bool | None = Field(default=None, description="pass/fail under the profile's threshold")
    criteria: dict[str, CriterionScore]
    score: int = Field(ge=0, le=100)
    findings: list[Finding] = Field(default_factory=list)
    notifications: list[Notification] = Field(default_factory=list)
    baseline: BaselineSummary | None = Field(default=None, description="set when run with --baseline")
