"""Scoring profiles: how much each criterion weighs and what it takes to pass.

Profiles are data files (YAML); the built-in ones ship in ``engine/profiles``.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError
from ..model import Text

__all__ = ["Profile", "builtin_profiles", "load_profile"]


class Profile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: Text
    pass_score: int = Field(ge=0, le=100)
    weights: dict[str, float] = Field(description="criterion id to weight; unlisted criteria weigh 1")
    required: dict[str, int] = Field(default_factory=dict, description="criterion id to minimum level")
    select: list[str] = Field(default_factory=list, description=(
        "rule or criterion ids this profile runs (empty: all); --select on the command line overrides it"))

    def weight(self, criterion: str, default: float = 1.0) -> float:
        """The profile's weight for a criterion; ``default`` (a pack's own) when it names none."""
        return self.weights.get(criterion, default)


def load_profile(path: Path | str, text: str | None = None) -> Profile:
    """Read and validate a profile file; errors name the file."""
    name = str(path)
    try:
        data = yaml.safe_load(text if text is not None else Path(path).read_text(encoding="utf-8"))
        profile = Profile.model_validate(data)
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(name, f"profilen kan ikke leses ({err})", f"profile cannot be read ({err})") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(name, f"ugyldig profil: {where}: {first['msg']}",
                          f"invalid profile: {where}: {first['msg']}") from None
    return profile


def builtin_profiles() -> list[Profile]:
    folder = resources.files("planaudit.engine") / "profiles"
    return [
        load_profile(f"planaudit/engine/profiles/{entry.name}", entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda item: item.name)
        if entry.name.endswith(".yaml")
    ]
