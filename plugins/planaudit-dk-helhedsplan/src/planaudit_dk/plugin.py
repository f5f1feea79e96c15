"""The hooks planaudit calls: the Python rules, the rule pack and the profile this plugin adds."""
from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from planaudit import Rule, hookimpl
from planaudit.engine import Profile, load_profile

from .rules import RULES

__all__ = ["planaudit_register_profiles", "planaudit_register_rule_packs", "planaudit_register_rules"]

_PACKAGE = "planaudit_dk"


@hookimpl
def planaudit_register_rules() -> list[type[Rule]]:
    return list(RULES)


@hookimpl
def planaudit_register_rule_packs() -> list[Traversable]:
    return [resources.files(_PACKAGE) / "helhedsplan.yaml"]


@hookimpl
def planaudit_register_profiles() -> list[Profile]:
    profile = resources.files(_PACKAGE) / "landsbyggefonden.yaml"
    return [load_profile(f"{_PACKAGE}/landsbyggefonden.yaml", profile.read_text(encoding="utf-8"))]
