"""Registers the built-in profiles, check types and configuration keys through the ``planaudit`` entry-point group."""
from __future__ import annotations

from typing import Any

from ._profiles import Profile, builtin_profiles
from .checks import builtin_check_types
from .hookspecs import hookimpl


@hookimpl
def planaudit_register_profiles() -> list[Profile]:
    return builtin_profiles()


@hookimpl
def planaudit_register_check_types() -> dict[str, Any]:
    return dict(builtin_check_types())


@hookimpl
def planaudit_config_keys() -> dict[str, str]:
    return {
        "profile": "scoring profile (kommune, husbanken, or one a plugin adds)",
        "format": "default output format",
        "lang": "nb or en",
        "select": "rule ids or criterion ids to run (all when empty)",
        "ignore": "rule ids or criterion ids to leave out",
        "fail_under": "exit 1 when the overall score is below this",
        "fail_on": "exit 1 on findings of this severity or worse (error, warning, info)",
        "strict": "exit 2 when a plugin fails to load",
        "max_bytes": "largest input file accepted, in bytes",
        "jobs": "how many plans to audit at once (default: all cores)",
        "ocr": "read PDF pages without a usable text layer with OCR (Tesseract; pip install 'planaudit[ocr]')",
        "rule_packs": "your own rule packs (YAML files), relative to this file",
        "accept": "[[accept]] entries: findings accepted with a reason (rule, reason; document, section, quote)",
    }
