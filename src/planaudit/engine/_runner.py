"""Running rules: each in isolation, so one that raises cannot silence the others."""
from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

from ..model import Level, Notification
from .rule import Assessment, Rule, RuleContext

__all__ = ["run_rules"]

_LEVELS: tuple[int, ...] = get_args(Level)


def run_rules(
    rules: Iterable[type[Rule]], ctx: RuleContext
) -> tuple[list[tuple[type[Rule], Assessment]], list[Notification]]:
    """Each rule's assessment, and an error notification for each rule that raised or gave a
    level outside 0–2 (None, "not assessed", is allowed): only valid levels reach scoring."""
    results: list[tuple[type[Rule], Assessment]] = []
    notifications: list[Notification] = []
    for rule_class in rules:
        try:
            assessment = rule_class().check(ctx)
        except Exception as err:  # a plugin's bug must not stop the audit of the other criteria
            reason = f"{type(err).__name__}: {err}"
            notifications.append(_failure(rule_class, ctx, reason, reason))
            continue
        if assessment.level is not None and assessment.level not in _LEVELS:
            notifications.append(_failure(
                rule_class, ctx, f"ugyldig nivå {assessment.level!r} (skal være 0, 1, 2 eller None)",
                f"invalid level {assessment.level!r} (must be 0, 1, 2 or None)",
            ))
            continue
        results.append((rule_class, assessment))
    return results, notifications


def _failure(rule_class: type[Rule], ctx: RuleContext, reason: str, reason_en: str) -> Notification:
    """The error notification of a rule that failed on this document."""
    return Notification(
        level="error", rule=rule_class.id,
        message=ctx.t(
            f"regel {rule_class.id} feilet på {ctx.document.path}: {reason}",
            f"rule {rule_class.id} failed on {ctx.document.path}: {reason_en}",
        ),
    )
