"""A run's settings: the registry with the user's rule packs, the configuration, and the
keyword arguments of ``audit()`` built from both.

The command line and the web service load their settings through these functions, so a
``planaudit.toml`` means the same to ``planaudit check`` as to ``planaudit serve``.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, PlanauditError, PluginError, UsageError
from ..ingest import DEFAULT_MAX_BYTES, OcrUnavailable, ocr_status
from ._accept import accept_names, config_accepts, resolve_accepts
from ._audit import default_registry
from ._plugins import Registry
from .config import Config, find_config, load_config

__all__ = ["audit_options", "load_settings", "split_names"]


def load_settings(config_path: Path | None, *, strict: bool, lang: str,
                  rule_packs: Sequence[Path] = ()) -> tuple[Registry, Config]:
    """The plugin registry with the user's rule packs (``rule_packs`` and ``rule_packs`` in
    the configuration, relative to that file), and the configuration.

    With ``strict`` (or ``strict`` in the configuration) a plugin that failed to load is a
    :class:`PluginError`; otherwise its failure stays in ``registry.failures`` for the caller
    to show.
    """
    registry = default_registry()
    config = load_config(config_path or find_config(), registry.config_keys)
    from_config = [Path(str(config.source)).parent / pack for pack in config.get("rule_packs", [])]
    registry = registry.with_packs([*from_config, *rule_packs])
    if (strict or config.get("strict")) and registry.failures:
        failure = registry.failures[0]
        raise PluginError(failure.distribution, failure.message(lang), failure.message("en"))
    return registry, config


def audit_options(registry: Registry, config: Config, *, profile: str | None, lang: str,
                  select: Sequence[str] = (), ignore: Sequence[str] = (),
                  max_size: int | None = None, ocr: bool = False) -> dict[str, Any]:
    """``audit()``'s keyword arguments: the caller's choices first, then the configuration
    (whose file an error then names), then the defaults."""
    try:
        chosen = registry.profile(profile or config.get("profile", "kommune")).name
    except PlanauditError as err:
        if profile is not None or "profile" not in config.values:
            raise
        raise ConfigError(str(config.source), err.nb, err.en) from None
    return {
        "profile": chosen,
        "lang": lang,
        "select": split_names(select) or config.get("select", []),
        "ignore": split_names(ignore) or config.get("ignore", []),
        "max_bytes": max_size or int(config.get("max_bytes", DEFAULT_MAX_BYTES)),
        "ocr": _ocr_ready(ocr, config),
        "registry": registry,
        "accepts": resolve_accepts(config_accepts(config.get("accept"), config.source), accept_names(registry),
                                   config.source),
    }


def _ocr_ready(option: bool, config: Config) -> bool:
    """Whether to read scanned pages with OCR; asked for and not installed is an error at
    once, naming what to install, rather than one per plan."""
    if not (option or config.get("ocr", False)):
        return False
    try:
        ocr_status().require()
    except OcrUnavailable as err:
        if option:
            raise UsageError("--ocr", err.nb, err.en) from None
        raise ConfigError(str(config.source), f"ocr = true: {err.nb}", f"ocr = true: {err.en}") from None
    return True


def split_names(values: Sequence[str]) -> list[str]:
    """``--select a,b --select c`` as ``[a, b, c]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
