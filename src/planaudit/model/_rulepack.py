"""Declarative rule packs: YAML files that describe rules with a fixed set of check types."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ._report import Severity

__all__ = ["PackCriterion", "PackRule", "RulePack", "Text"]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Text(BaseModel):
    """A user-facing text in Norwegian bokmål, with an English translation."""

    model_config = _FROZEN

    nb: str
    en: str | None = None


class PackCriterion(BaseModel):
    """A criterion a pack adds beside the twelve built-in ones."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text


class PackRule(BaseModel):
    model_config = _FROZEN

    id: str = Field(pattern=r"^[A-Z]{2,8}[0-9]{3}$", description="the pack's prefix and three digits")
    name: str = Field(description="dotted name, e.g. 'lov.boligsosial.behovsoversikt'")
    criterion: str
    severity: Severity = "warning"
    weight: float = Field(default=1.0, ge=0)
    message: Text
    suggestion: Text | None = None
    citation: str | None = None
    examples: dict[Literal["good", "bad"], str] = Field(default_factory=dict)
    check: str = Field(description="check type: exists, absent, pattern, count, field_present, "
                                   "reference, conditional, metric, or one a plugin registers")
    select: dict[str, Any] = Field(default_factory=dict, description="sections, block kinds, plan items")
    params: dict[str, Any] = Field(default_factory=dict)


class RulePack(BaseModel):
    model_config = _FROZEN

    pack: str = Field(description="pack name")
    version: str = "0"
    prefix: str = Field(pattern=r"^[A-Z]{2,8}$")
    description: Text | None = None
    criteria: list[PackCriterion] = Field(default_factory=list)
    rules: list[PackRule]
