"""Section roles: what a heading says its section is for (mål, tiltak, økonomi ...)."""
from __future__ import annotations

import re
from functools import lru_cache

from ._lexicon import terms, terms_pattern

__all__ = ["ROLES", "roles_of_heading", "roles_of_path"]

ROLES: tuple[str, ...] = tuple(terms("section_roles"))
_NUMBER = re.compile(r"^\s*[\d.]+\s*")


@lru_cache(maxsize=4096)
def roles_of_heading(title: str) -> frozenset[str]:
    """Roles a heading names, e.g. "3.2 Mål og strategiar" → {mål, strategi}."""
    text = _NUMBER.sub("", title)[:120]
    return frozenset(role for role in ROLES if terms_pattern(f"section_roles.{role}").search(text))


def roles_of_path(path: tuple[str, ...]) -> frozenset[str]:
    """The roles of every heading above a block."""
    roles: set[str] = set()
    for title in path:
        roles |= roles_of_heading(title)
    return frozenset(roles)
