"""The Plan: what a plan says, item by item, each item keeping where it was said.

A Plan comes either from the extractor (reading a Document) or straight from a
structured YAML/JSON file validated against the schema generated from these models.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ._document import Location

__all__ = [
    "Actor",
    "ActorRole",
    "Adoption",
    "FollowUp",
    "FollowUpKind",
    "Goal",
    "KnowledgeFact",
    "Measure",
    "Organisation",
    "Participation",
    "Plan",
    "PlanMetadata",
    "PlanReference",
    "PlanStatus",
    "PoliticalEvent",
]

_ITEM = ConfigDict(frozen=True, extra="forbid")

ActorRole = Literal["participant", "measure", "instrument", "mention"]
FollowUpKind = Literal["reporting", "evaluation", "revision", "general"]
PlanStatus = Literal["utkast", "høring", "vedtatt"]


class _Item(BaseModel):
    model_config = _ITEM

    text: str = Field(description="the plan's own words for this item")
    location: Location = Field(default_factory=Location)


class Goal(_Item):
    id: str | None = Field(default=None, description="number or label, e.g. '2.1'")
    kind: Literal["hovedmål", "delmål", "resultatmål", "effektmål", "mål"] = "mål"
    target: str | None = Field(default=None, description="the checkable target: number, share or level")
    horizon: str | None = Field(default=None, description="when the target is to be met")
    indicator: str | None = Field(default=None, description="indicator without target value")
    borrowed: bool = Field(default=False, description="quoted from another document")


class Measure(_Item):
    id: str | None = None
    goal: str | None = Field(default=None, description="id or text of the goal or målområde it serves")
    responsible: str | None = None
    responsible_generic: bool = Field(
        default=False, description="responsibility only as 'kommunen', 'alle enheter' and the like"
    )
    deadline: str | None = None
    deadline_vague: bool = Field(default=False, description="'løpende', 'i planperioden' and the like")
    cost: str | None = None
    cost_generic: bool = Field(default=False, description="budget need without figure or funding source")


class Actor(_Item):
    name: str
    external: bool = Field(description="outside the municipal organisation")
    role: ActorRole = "mention"


class Participation(_Item):
    kind: Literal[
        "workshop", "meeting", "interview", "survey", "council", "hearing", "plan", "intention"
    ]
    who: str | None = None


class PlanReference(_Item):
    kind: Literal[
        "samfunnsdel", "arealdel", "planstrategi", "kommuneplan", "økonomiplan",
        "handlingsprogram", "budsjett", "status",
    ]
    explicit: bool = Field(default=False, description="a tie (feeds, is part of, is ordered by), not a mention")


class FollowUp(_Item):
    kind: FollowUpKind
    schedule: str | None = Field(default=None, description="when: 'årlig', 'hvert fjerde år', a year")
    recipient: str | None = Field(default=None, description="to whom it is reported")


class PoliticalEvent(_Item):
    kind: Literal["adoption", "involvement", "commission", "intention"]
    body: str | None = None
    date: str | None = None
    case: str | None = None


class Organisation(_Item):
    kind: Literal["owner", "group"]
    members_described: bool = False


class KnowledgeFact(_Item):
    topic: Literal[
        "housing_stock", "waiting_list", "homelessness", "evictions", "needs", "target_group",
        "demography", "market", "other",
    ]
    sourced: bool = False


class Adoption(BaseModel):
    model_config = _ITEM

    body: str | None = None
    date: str | None = None
    case: str | None = None


class PlanMetadata(BaseModel):
    model_config = _ITEM

    title: str | None = None
    municipality: str | None = None
    period: tuple[int, int] | None = None
    status: PlanStatus | None = None
    adoption: Adoption | None = None
    language: str | None = None


class Plan(BaseModel):
    """Everything the twelve criteria look at, as extracted or as written in a structured plan."""

    model_config = _ITEM

    metadata: PlanMetadata = Field(default_factory=PlanMetadata)
    goals: tuple[Goal, ...] = ()
    measures: tuple[Measure, ...] = ()
    actors: tuple[Actor, ...] = ()
    participation: tuple[Participation, ...] = ()
    references: tuple[PlanReference, ...] = ()
    follow_up: tuple[FollowUp, ...] = ()
    political: tuple[PoliticalEvent, ...] = ()
    organisation: tuple[Organisation, ...] = ()
    knowledge: tuple[KnowledgeFact, ...] = ()
    measures_elsewhere: str | None = Field(
        default=None, description="the plan says its measures are kept in another document"
    )
    knowledge_elsewhere: str | None = Field(
        default=None, description="the plan says its knowledge base is kept in another document"
    )
