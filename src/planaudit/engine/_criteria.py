"""Titles of the twelve criteria, from the data file beside this module."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["criterion_title", "criterion_titles"]


@lru_cache(maxsize=1)
def _titles() -> dict[str, dict[str, str]]:
    text = (resources.files("planaudit.engine") / "data" / "criteria.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def criterion_titles(lang: str = "nb") -> dict[str, str]:
    return {cid: names.get(lang) or names["nb"] for cid, names in _titles().items()}


def criterion_title(criterion: str, lang: str = "nb") -> str:
    return criterion_titles(lang).get(criterion, criterion)
