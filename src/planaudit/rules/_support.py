"""Small helpers the built-in rules share: shares, quotes and capped finding lists."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from ..engine import Rule, RuleContext
from ..model import Finding, Location

__all__ = ["MAX_ITEM_FINDINGS", "capped", "cite", "label_of", "most", "page_word", "share", "short"]

#: A rule reports at most this many item findings ("Tiltak X mangler ansvarlig"), then a summary.
MAX_ITEM_FINDINGS = 8


class _Located(Protocol):
    text: str
    location: Location


T = TypeVar("T")


def share(items: Sequence[T], predicate: Callable[[T], bool]) -> float:
    return sum(1 for item in items if predicate(item)) / len(items) if items else 0.0


def most(items: Sequence[T], predicate: Callable[[T], bool]) -> bool:
    """criteria.md: "most" means more than half."""
    return share(items, predicate) > 0.5


def short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def label_of(item: _Located, word: str = "") -> str:
    """How a finding names an item: its id if it has one, else the opening words."""
    item_id = getattr(item, "id", None)
    head = f"{word} {item_id}" if item_id and word else (item_id or "")
    return f"{head} «{short(item.text, 60)}»".strip()


def page_word(ctx: RuleContext) -> str:
    """"side" in a Norwegian report, "page" in an English one."""
    return "page" if ctx.lang == "en" else "side"


def cite(ctx: RuleContext, items: Iterable[_Located], limit: int = 3) -> list[str]:
    """Evidence lines: where and what, e.g. "side 4: «Bygge 20 boliger innen 2026»"."""
    lines = []
    for item in list(items)[:limit]:
        where = item.location.describe(page_word(ctx))
        lines.append(f"{where}: «{short(item.text)}»" if where else f"«{short(item.text)}»")
    return lines


def capped(rule: Rule, ctx: RuleContext, findings: list[Finding], rest: tuple[str, str]) -> list[Finding]:
    """The first MAX_ITEM_FINDINGS findings and one that counts the rest, placed where they begin.

    ``rest`` is the counting message in bokmål and English, with ``{rest}`` for the number.
    """
    if len(findings) <= MAX_ITEM_FINDINGS:
        return findings
    count = len(findings) - MAX_ITEM_FINDINGS
    summary = rule.finding(ctx, (rest[0].format(rest=count), rest[1].format(rest=count)))
    summary = summary.model_copy(update={"location": findings[MAX_ITEM_FINDINGS].location})
    return [*findings[:MAX_ITEM_FINDINGS], summary]
