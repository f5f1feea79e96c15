"""``metric``: a number computed from the plan ("measures / goals", "measures.responsible /
measures"), within bounds. The expression is parsed, never evaluated as Python."""
from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from ...model import BlockKind, MetricCheck
from ._base import CheckContext, CheckError, CompiledCheck, Outcome
from ._fields import ITEM_FIELDS, has_field

__all__ = ["Metric"]

_COLLECTIONS = ("goals", "measures", "actors", "participation", "references", "follow_up", "political",
                "organisation", "knowledge")
_DOCUMENT = ("pages", "words", "tables")
_OPERATORS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _validate(node: ast.AST) -> None:
    if isinstance(node, ast.Expression):
        _validate(node.body)
    elif isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        _validate(node.left)
        _validate(node.right)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _validate(node.operand)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return
    elif isinstance(node, ast.Name) and node.id in (*_COLLECTIONS, *_DOCUMENT):
        return
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.attr in ITEM_FIELDS.get(node.value.id, ()):
        return
    else:
        known = ", ".join((*_COLLECTIONS, *_DOCUMENT, "goals.target", "measures.responsible", "..."))
        raise CheckError(f"cannot compute {ast.unparse(node)!r}: use numbers, + - * / and {known}", "value")


class Metric:
    name = "metric"
    params = MetricCheck

    def prepare(self, params: MetricCheck, compile_child: Callable[[dict[str, Any], str], CompiledCheck]) -> Any:
        try:
            tree = ast.parse(params.value, mode="eval")
        except SyntaxError:
            raise CheckError(f"{params.value!r} is no arithmetic expression", "value") from None
        _validate(tree)
        return tree.body

    def evaluate(self, params: MetricCheck, prepared: ast.expr, ctx: CheckContext) -> Outcome:
        try:
            value = _compute(prepared, ctx)
        except ZeroDivisionError:
            return Outcome(0, "–")
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        if (params.min is None or value >= params.min) and (params.max is None or value <= params.max):
            return Outcome(2, shown)
        partial = params.partial_min is not None and value >= params.partial_min \
            and (params.max is None or value <= params.max)
        return Outcome(1 if partial else 0, shown)


def _compute(node: ast.expr, ctx: CheckContext) -> float:
    if isinstance(node, ast.BinOp):
        return _OPERATORS[type(node.op)](_compute(node.left, ctx), _compute(node.right, ctx))
    if isinstance(node, ast.UnaryOp):
        return -_compute(node.operand, ctx)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):  # _validate let only numbers in
        return float(node.value)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return sum(1 for item in getattr(ctx.rule.plan, node.value.id) if has_field(item, node.attr))
    assert isinstance(node, ast.Name)
    return _document_count(node.id, ctx)


def _document_count(name: str, ctx: CheckContext) -> float:
    document = ctx.rule.document
    if name == "pages":
        return document.pages or 0
    if name == "words":
        return sum(len(block.text.split()) for block in document.blocks)
    if name == "tables":
        return sum(1 for block in document.blocks if block.kind is BlockKind.table)
    return len(getattr(ctx.rule.plan, name))
