"""YAML read with the line of every value, so an error can say ``file:line``."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

__all__ = ["LinedYaml", "YamlLineError"]


class YamlLineError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class LinedYaml:
    """A YAML document's data, and the line where each part of it starts."""

    def __init__(self, text: str) -> None:
        try:
            self._root, self.data = _parse(text)
        except yaml.MarkedYAMLError as err:
            # at the end of the text the problem is where the unclosed thing began
            at_end = err.problem_mark is not None and err.problem_mark.index >= len(text.rstrip())
            mark = err.context_mark if at_end and err.context_mark else (err.problem_mark or err.context_mark)
            raise YamlLineError((mark.line + 1) if mark else 1, str(err.problem or err)) from None
        except yaml.YAMLError as err:
            raise YamlLineError(1, str(err)) from None
        if self._root is not None:
            _refuse_duplicate_keys(self._root)

    def line(self, path: Sequence[str | int]) -> int:
        """The line of the value at ``path``; of its nearest parent when it does not exist."""
        node = self._root
        if node is None:
            return 1
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return int(node.start_mark.line) + 1


# libyaml's loader when PyYAML has it: the packs are read at every start-up.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (with lines) and the data built from that same tree: one parse, not two."""
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                # a key that is itself the error (an unknown key) is best shown on its own line
                return value if not isinstance(value, yaml.ScalarNode) else key
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def _refuse_duplicate_keys(node: yaml.Node) -> None:
    """PyYAML keeps the last of two equal keys without a word; a rule author wants to know."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise YamlLineError(key.start_mark.line + 1, f"duplicate key {key.value!r}")
                seen.add(key.value)
            _refuse_duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_duplicate_keys(item)
