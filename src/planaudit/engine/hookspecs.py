"""Every hook a planaudit plugin can implement, grouped by when in a run it is called.

A plugin is a module (or object) named by an entry point in the ``planaudit`` group; it
implements any of these with ``@planaudit.hookimpl``. The built-in readers, rules,
reporters and profiles are registered through the same group, the same way.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable
    from pathlib import Path

    from ..ingest import Reader
    from ._profiles import Profile
    from ._reporting import Reporter
    from .rule import Rule

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("planaudit")
hookimpl = pluggy.HookimplMarker("planaudit")


# --- Start-up: configuration a plugin adds ----------------------------------------------

@hookspec
def planaudit_config_keys() -> dict[str, str]:  # type: ignore[empty-body]
    """Keys this plugin accepts in ``[tool.planaudit]``, each with a one-line description.

    Keys nobody declares are errors, so a typo in a configuration file is caught.
    """


# --- Reading: formats --------------------------------------------------------------------

@hookspec
def planaudit_register_readers() -> list[Reader]:  # type: ignore[empty-body]
    """Readers for file formats; each sniffs content and names its extensions."""


# --- Checking: rules and the check types rule packs compile to ----------------------------

@hookspec
def planaudit_register_rules() -> list[type[Rule]]:  # type: ignore[empty-body]
    """Rule classes; every id must be unique across all plugins."""


@hookspec
def planaudit_register_check_types() -> dict[str, Any]:  # type: ignore[empty-body]
    """Check types usable in declarative rule packs, by name (``exists``, ``pattern``...);
    see :class:`planaudit.engine.checks.CheckType`."""


@hookspec
def planaudit_register_rule_packs() -> list[Path | Traversable]:  # type: ignore[empty-body]
    """Declarative rule packs (YAML files) this plugin ships, e.g. with
    ``importlib.resources.files(__package__) / "pack.yaml"``."""


# --- Scoring: profiles -------------------------------------------------------------------

@hookspec
def planaudit_register_profiles() -> list[Profile]:  # type: ignore[empty-body]
    """Scoring profiles: criterion weights, pass threshold, required levels."""


# --- Reporting: output formats -----------------------------------------------------------

@hookspec
def planaudit_register_reporters() -> list[Reporter]:  # type: ignore[empty-body]
    """Reporters, one per ``--format`` name."""
