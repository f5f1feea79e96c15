"""Configuration: ``[tool.planaudit]`` in pyproject.toml or a ``planaudit.toml``, found upward."""
from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError

__all__ = ["Config", "find_config", "load_config"]

_SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Config:
    """Settings from a file, to be overridden by command-line options."""

    source: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest planaudit.toml, or pyproject.toml with a [tool.planaudit] table, upward."""
    folder = (start or Path.cwd()).resolve()
    for candidate_dir in (folder, *folder.parents):
        own = candidate_dir / "planaudit.toml"
        if own.is_file():
            return own
        pyproject = candidate_dir / "pyproject.toml"
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        return "planaudit" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def load_config(path: Path | None, known_keys: Iterable[str]) -> Config:
    """Read and check a configuration file; an unknown key names the key and the file."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(str(path), f"kan ikke leses ({err})", f"cannot be read ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(str(path), f"ugyldig TOML ({err})", f"invalid TOML ({err})") from None
    table = data.get("tool", {}).get("planaudit", {}) if path.name == "pyproject.toml" else data
    if path.name != "pyproject.toml" and "tool" in table and "planaudit" in table["tool"]:
        table = table["tool"]["planaudit"]
    known = set(known_keys)
    for key in table:
        if key not in known:
            raise ConfigError(
                str(path),
                f"ukjent nøkkel {key!r} i [tool.planaudit] (kjente: {', '.join(sorted(known))})",
                f"unknown key {key!r} in [tool.planaudit] (known: {', '.join(sorted(known))})",
            )
    _check_values(str(path), table)
    return Config(source=str(path), values=dict(table))


def _check_values(path: str, table: dict[str, Any]) -> None:
    if "fail_on" in table and table["fail_on"] not in _SEVERITIES:
        raise ConfigError(path, f"fail_on må være en av {', '.join(_SEVERITIES)}",
                          f"fail_on must be one of {', '.join(_SEVERITIES)}")
    if "lang" in table and table["lang"] not in ("nb", "en"):
        raise ConfigError(path, "lang må være 'nb' eller 'en'", "lang must be 'nb' or 'en'")
    for key in ("select", "ignore", "rule_packs"):
        if key in table and not (isinstance(table[key], list) and all(isinstance(v, str) for v in table[key])):
            raise ConfigError(path, f"{key} må være en liste av tekster", f"{key} must be a list of strings")
    fail_under = table.get("fail_under", 0)
    if isinstance(fail_under, bool) or not isinstance(fail_under, (int, float)) or not 0 <= fail_under <= 100:
        raise ConfigError(path, "fail_under må være et tall fra 0 til 100", "fail_under must be a number from 0 to 100")
    max_bytes = table.get("max_bytes", 1)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ConfigError(path, "max_bytes må være et positivt heltall (byte)", "max_bytes must be a positive integer (bytes)")
    jobs = table.get("jobs", 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs <= 0:
        raise ConfigError(path, "jobs må være et positivt heltall", "jobs must be a positive integer")
    for key in ("strict", "ocr"):
        if not isinstance(table.get(key, False), bool):
            raise ConfigError(path, f"{key} må være true eller false", f"{key} must be true or false")
    for key in ("profile", "format"):
        if key in table and not isinstance(table[key], str):
            raise ConfigError(path, f"{key} må være en tekst", f"{key} must be a string")
    if "accept" in table:
        _check_accepts(path, table["accept"])


_ACCEPT_KEYS = ("rule", "reason", "document", "section", "quote")


def _check_accepts(path: str, entries: Any) -> None:
    """``[[accept]]``: each entry a table with a rule and a reason, and nothing unknown."""
    if not isinstance(entries, list):
        raise ConfigError(path, "accept må være en liste av tabeller ([[accept]])",
                          "accept must be an array of tables ([[accept]])")
    for number, entry in enumerate(entries, start=1):
        nb, en = f"accept nr. {number}", f"accept #{number}"
        if not isinstance(entry, dict):
            raise ConfigError(path, f"{nb} må være en tabell", f"{en} must be a table")
        for key in entry:
            if key not in _ACCEPT_KEYS:
                known = ", ".join(sorted(_ACCEPT_KEYS))
                raise ConfigError(path, f"{nb}: ukjent nøkkel {key!r} (kjente: {known})",
                                  f"{en}: unknown key {key!r} (known: {known})")
        for key in ("rule", "reason"):
            if key not in entry:
                raise ConfigError(path, f"{nb}: {key} mangler", f"{en}: {key} is missing")
        for key in _ACCEPT_KEYS:
            if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
                raise ConfigError(path, f"{nb}: {key} må være en tekst som ikke er tom",
                                  f"{en}: {key} must be a non-empty string")
