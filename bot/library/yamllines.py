"""YAML loading that remembers the line of every value, so content errors can name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from bot.yaml_errors import explain

Lines = dict[tuple[Any, ...], int]


class YamlFileError(Exception):
    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


def load_with_lines(path: Path) -> tuple[Any, Lines]:
    """Parse one YAML file; return the data and a map from key path to 1-based line number."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        line, message = explain(text, error)
        raise YamlFileError(path, line, message) from None
    lines: Lines = {}
    if node is None:
        return None, lines
    constructor = yaml.SafeLoader("")
    return _build(node, (), lines, constructor), lines


def _build(node: Node, path: tuple[Any, ...], lines: Lines, constructor: yaml.SafeLoader) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        return {key.value: _build(value, (*path, key.value), lines, constructor) for key, value in node.value}
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, index), lines, constructor) for index, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
