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
from ._rulepack import RulePack

__all__ = ["SCHEMA_MODELS", "generate", "render", "shipped_dir"]

SCHEMA_MODELS: dict[str, type[BaseModel]] = {"plan": Plan, "report": AuditReport, "rulepack": RulePack}
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def generate(name: str) -> dict[str, Any]:
    schema = SCHEMA_MODELS[name].model_json_schema()
    return {"$schema": _DIALECT, "$id": f"https://planaudit.no/schema/{name}.schema.json", **schema}


def render(name: str) -> str:
    return json.dumps(generate(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def shipped_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "schemas"


if __name__ == "__main__":
    for schema_name in SCHEMA_MODELS:
        (shipped_dir() / f"{schema_name}.schema.json").write_text(render(schema_name), encoding="utf-8")
