"""The built-in rules: one per criterion of criteria.md, and the built-in rule packs, registered through the
``planaudit`` entry-point group exactly as a third-party rule plugin would be."""
from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from ..engine import Rule, hookimpl
from .pa001_measurable_goals import MeasurableGoals
from .pa002_responsibility import Responsibility
from .pa003_timeline import Timeline
from .pa004_costs import Costs
from .pa005_political_anchoring import PoliticalAnchoring
from .pa006_administrative_anchoring import AdministrativeAnchoring
from .pa007_external_anchoring import ExternalAnchoring
from .pa008_user_participation import UserParticipation
from .pa009_plan_linkage import PlanLinkage
from .pa010_knowledge_base import KnowledgeBase
from .pa011_follow_up import FollowUp
from .pa012_goal_measure_coherence import GoalMeasureCoherence

__all__ = ["BUILTIN_RULES", "planaudit_register_rule_packs", "planaudit_register_rules"]

BUILTIN_RULES: tuple[type[Rule], ...] = (
    MeasurableGoals,
    Responsibility,
    Timeline,
    Costs,
    PoliticalAnchoring,
    AdministrativeAnchoring,
    ExternalAnchoring,
    UserParticipation,
    PlanLinkage,
    KnowledgeBase,
    FollowUp,
    GoalMeasureCoherence,
)


@hookimpl
def planaudit_register_rules() -> list[type[Rule]]:
    return list(BUILTIN_RULES)


@hookimpl
def planaudit_register_rule_packs() -> list[Traversable]:
    """The built-in rule packs (boligsosialloven, plan- og bygningsloven), from rules/."""
    folder = resources.files("planaudit.packs")
    return sorted((entry for entry in folder.iterdir() if entry.name.endswith(".yaml")), key=lambda e: e.name)
