"""The vocabulary data file, compiled into patterns once."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["lexicon", "terms", "terms_pattern"]


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    text = (resources.files("planaudit.extract") / "data" / "lexicon.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def terms(path: str) -> Any:
    """The entry at a dotted path, e.g. ``"money.frames"``, without its lemma terms.

    Lemma terms ("=vedta") are matched word by word by ``_match.find``; patterns built
    from a list of terms never see them.
    """
    node: Any = lexicon()
    for key in path.split("."):
        node = node[key]
    if isinstance(node, list):
        return [term for term in node if not str(term).startswith("=")]
    return node


@lru_cache(maxsize=None)
def terms_pattern(path: str, extra: str = "") -> re.Pattern[str]:
    """One case-insensitive pattern matching any term at ``path`` as whole words."""
    entries = terms(path)
    if isinstance(entries, dict):
        entries = [term for value in entries.values() for term in value]
    if not entries:
        return re.compile(r"(?!)")
    alternatives = "|".join(sorted(entries, key=len, reverse=True))
    # \b fails before non-word starts ("§", "(") and after "." endings, so bound by lookarounds
    # around the whole group: one check per position instead of one per term.
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w){extra}", re.IGNORECASE)
