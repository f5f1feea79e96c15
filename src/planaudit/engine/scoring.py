"""From rule assessments to criterion levels, scores and the overall score under a profile."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import cast

from ..model import CRITERIA, CriterionScore, Level
from ._profiles import Profile
from .rule import Assessment

__all__ = ["overall_score", "passes", "score_criteria"]

_LEVEL_SCORE = {0: 0, 1: 50, 2: 100}


def score_criteria(
    assessed: Iterable[tuple[str, Assessment]], profile: Profile, default_weights: Mapping[str, float] | None = None,
) -> dict[str, CriterionScore]:
    """A criterion's level is the lowest any of its rules gives; its score their mean. Its
    weight is the profile's, else ``default_weights`` (what a pack declares), else 1."""
    defaults = default_weights or {}
    by_criterion: dict[str, list[Assessment]] = defaultdict(list)
    for criterion, assessment in assessed:
        if assessment.level is not None:
            by_criterion[criterion].append(assessment)
    scores = {}
    for criterion in sorted(by_criterion, key=_criterion_order):
        items = by_criterion[criterion]
        level = min(item.level for item in items if item.level is not None)
        values = [item.score if item.score is not None else _LEVEL_SCORE[item.level or 0] for item in items]
        evidence = [line for item in items for line in item.evidence]
        scores[criterion] = CriterionScore(
            # run_rules passes on only levels 0-2 (and CriterionScore validates it again)
            level=cast(Level, level), score=round(sum(values) / len(values)),
            weight=profile.weight(criterion, defaults.get(criterion, 1.0)), evidence=evidence,
        )
    return scores


def _criterion_order(criterion: str) -> tuple[int, str]:
    return (CRITERIA.index(criterion) if criterion in CRITERIA else len(CRITERIA), criterion)


def overall_score(criteria: dict[str, CriterionScore]) -> int:
    total = sum(score.weight for score in criteria.values())
    if total == 0:
        return 0
    return round(sum(score.score * score.weight for score in criteria.values()) / total)


def passes(criteria: dict[str, CriterionScore], score: int, profile: Profile) -> bool:
    """Pass: the overall score reaches the threshold and no required criterion is short."""
    short = [cid for cid, minimum in profile.required.items()
             if cid in criteria and criteria[cid].level < minimum]
    return score >= profile.pass_score and not short
