"""Running rules: each in isolation, so one that raises cannot silence the others."""
from __future__ import annotations

from collections.abc import Iterable

from ..model import Notification
from .rule import Assessment, Rule, RuleContext

__all__ = ["run_rules"]


def run_rules(
    rules: Iterable[type[Rule]], ctx: RuleContext
) -> tuple[list[tuple[type[Rule], Assessment]], list[Notification]]:
    results: list[tuple[type[Rule], Assessment]] = []
    notifications: list[Notification] = []
    for rule_class in rules:
        try:
            assessment = rule_class().check(ctx)
        except Exception as err:  # a plugin's bug must not stop the audit of the other criteria
            notifications.append(Notification(
                level="error", rule=rule_class.id,
                message=ctx.t(
                    f"regel {rule_class.id} feilet på {ctx.document.path}: {type(err).__name__}: {err}",
                    f"rule {rule_class.id} failed on {ctx.document.path}: {type(err).__name__}: {err}",
                ),
            ))
            continue
        results.append((rule_class, assessment))
    return results, notifications
