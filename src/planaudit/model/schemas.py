"""JSON Schemas generated from the models: the published contracts for plan, report and rule pack.

The package ships them in ``planaudit/schemas``; a test fails when they drift from the
models. Regenerate with ``python -m planaudit.model.schemas``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ._plan import Plan
from ._report import AuditReport
from ._rulepack import BUILTIN_CHECKS, RulePack

__all__ = ["SCHEMA_MODELS", "generate", "render", "shipped_dir"]

SCHEMA_MODELS: dict[str, type[BaseModel]] = {"plan": Plan, "report": AuditReport, "rulepack": RulePack}
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def generate(name: str) -> dict[str, Any]:
    schema = SCHEMA_MODELS[name].model_json_schema()
    if name == "rulepack":
        schema = _with_checks(schema)
    return {"$schema": _DIALECT, "$id": f"https://planaudit.no/schema/{name}.schema.json", **schema}


def _with_checks(schema: dict[str, Any]) -> dict[str, Any]:
    """The pack schema with a rule's ``check`` spelled out: one of the built-in check types,
    or a type a plugin registers (any other name, whose parameters the plugin checks)."""
    defs = schema.setdefault("$defs", {})
    refs = []
    for model in BUILTIN_CHECKS.values():
        check_schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(check_schema.pop("$defs", {}))
        defs[model.__name__] = check_schema
        refs.append({"$ref": f"#/$defs/{model.__name__}"})
    plugin_check = {
        "type": "object", "required": ["type"],
        "properties": {"type": {"type": "string", "not": {"enum": sorted(BUILTIN_CHECKS)}}},
        "description": "a check type a plugin registers",
    }
    defs["Check"] = {"anyOf": [*refs, plugin_check]}
    defs["PackRule"]["properties"]["check"] = {"$ref": "#/$defs/Check"}
    for key in ("if", "then"):
        defs["ConditionalCheck"]["properties"][key] = {"$ref": "#/$defs/Check"}
    otherwise = defs["ConditionalCheck"]["properties"]["otherwise"]
    otherwise["anyOf"] = [choice if choice.get("type") != "object" else {"$ref": "#/$defs/Check"}
                          for choice in otherwise["anyOf"]]
    return schema


def render(name: str) -> str:
    return json.dumps(generate(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def shipped_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "schemas"


if __name__ == "__main__":
    for schema_name in SCHEMA_MODELS:
        (shipped_dir() / f"{schema_name}.schema.json").write_text(render(schema_name), encoding="utf-8")
