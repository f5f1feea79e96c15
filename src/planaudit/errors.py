"""Errors a user sees as one line: which file (or plugin, or setting) and what is wrong.

Every message exists in Norwegian bokmål and English; the command line picks one.
"""
from __future__ import annotations

__all__ = ["ConfigError", "InputError", "PlanauditError", "PluginError", "UsageError"]


class PlanauditError(Exception):
    """Base of all errors that end a run with exit code 2 and a one-line message."""

    def __init__(self, subject: str, nb: str, en: str | None = None) -> None:
        super().__init__(f"{subject}: {nb}" if subject else nb)
        self.subject = subject
        self.nb = nb
        self.en = en or nb

    def message(self, lang: str = "nb") -> str:
        cause = self.en if lang == "en" else self.nb
        return f"{self.subject}: {cause}" if self.subject else cause


class InputError(PlanauditError):
    """A plan file that cannot be read: missing, empty, broken, unknown format, invalid."""


class ConfigError(PlanauditError):
    """A configuration file, profile or option that is wrong."""


class PluginError(PlanauditError):
    """A plugin that failed to load, or a rule that raised."""


class UsageError(PlanauditError):
    """A command line that asks for something that does not exist (rule id, format)."""
