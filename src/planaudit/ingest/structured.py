"""Structured plans in YAML or JSON, validated against the published plan schema.

A schema violation names the file, the line and the JSON path of the offending value, so
a municipality correcting an extracted plan by hand finds the spot at once.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema
import yaml
from pydantic import ValidationError

from ..errors import InputError
from ..model import Plan
from ._registry import Source
from ._text import decode_text, looks_like_text

__all__ = ["StructuredReader", "plan_schema"]

_PLAN_KEYS = tuple(Plan.model_fields)


@lru_cache(maxsize=1)
def plan_schema() -> dict[str, Any]:
    return Plan.model_json_schema()


class StructuredReader:
    name = "yaml"
    extensions: tuple[str, ...] = (".yaml", ".yml", ".json")
    media_types: tuple[str, ...] = ("application/yaml", "application/json")

    def sniff(self, source: Source) -> int:
        if not looks_like_text(source.head):
            return 0
        if source.suffix in (".md", ".markdown", ".txt", ".text"):
            return 0
        head = source.head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\n")
        if head.startswith("{"):
            return 2
        if source.suffix in self.extensions:
            return 2
        if head.startswith("---") or any(head.startswith(f"{key}:") for key in _PLAN_KEYS):
            return 2
        return 0

    def read(self, source: Source) -> Plan:
        text = decode_text(source)
        node, data = _parse(source.path, text)
        if not isinstance(data, dict):
            raise InputError(source.path, "en strukturert plan må være et objekt (nøkler og verdier)",
                             "a structured plan must be a mapping (keys and values)")
        validator = jsonschema.Draft202012Validator(plan_schema())
        errors = sorted(validator.iter_errors(data), key=lambda err: list(err.absolute_path))
        if errors:
            raise _schema_error(source.path, node, errors[0])
        try:
            return Plan.model_validate(data)
        except ValidationError as err:
            first = err.errors()[0]
            path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
            raise InputError(source.path, f"{path}: {first['msg']}") from None


def _parse(path: str, text: str) -> tuple[yaml.Node | None, Any]:
    """The data, and the YAML node tree that maps a JSON path back to its line.

    JSON is read as JSON (YAML would turn some characters, such as U+0085, into line breaks);
    the node tree is then only a best effort for line numbers.
    """
    if text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError as err:
            line = getattr(err, "lineno", None)
            where, where_en = (f"linje {line}: ", f"line {line}: ") if line else ("", "")
            raise InputError(path, f"{where}ugyldig JSON ({getattr(err, 'msg', err)})",
                             f"{where_en}invalid JSON ({getattr(err, 'msg', err)})") from None
        except RecursionError:
            raise InputError(path, "strukturen er for dypt nøstet", "structure is nested too deeply") from None
        return _compose_quietly(text), data
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where, where_en = (f"linje {mark.line + 1}: ", f"line {mark.line + 1}: ") if mark else ("", "")
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise InputError(path, f"{where}ugyldig YAML ({problem})", f"{where_en}invalid YAML ({problem})") from None
    except (ValueError, TypeError, OverflowError) as err:
        raise InputError(path, f"ugyldig verdi ({err})", f"invalid value ({err})") from None
    except RecursionError:
        raise InputError(path, "strukturen er for dypt nøstet", "structure is nested too deeply") from None


def _compose_quietly(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return None


def _line_of(node: yaml.Node | None, path: list[Any]) -> int | None:
    """The 1-based source line of the value at a JSON path, following the YAML node tree."""
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
    return node.start_mark.line + 1 if node is not None else None


def _schema_error(path: str, node: yaml.Node | None, error: jsonschema.ValidationError) -> InputError:
    steps = list(error.absolute_path)
    json_path = "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in steps)
    line = _line_of(node, steps)
    message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
    return InputError(
        f"{path}:{line}" if line else path,
        f"{json_path}: brudd på planskjemaet: {message}",
        f"{json_path}: violates the plan schema: {message}",
    )
