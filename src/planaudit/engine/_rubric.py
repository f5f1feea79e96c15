"""What each level of a criterion means, from the data file beside this module.

The rubric sentences live in ``data/rubric.yaml`` rather than in the rules, so that a level
can be explained the same way whichever rule (built-in or plugin) set it.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["criterion_rubric"]


@lru_cache(maxsize=1)
def _rubric() -> dict[str, dict[int, dict[str, str]]]:
    text = (resources.files("planaudit.engine") / "data" / "rubric.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def criterion_rubric(criterion: str, level: int, lang: str = "nb") -> str | None:
    """The rubric's sentence for this level of the criterion; None for a criterion it does not
    know (one a plugin added)."""
    sentences = _rubric().get(criterion, {}).get(level)
    return (sentences.get(lang) or sentences["nb"]) if sentences else None
