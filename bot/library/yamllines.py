"""YAML loading that remembers the line of every value, so content errors can name file and line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

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
        raise syntax_error(path, text, error) from None
    lines: Lines = {}
    if node is None:
        return None, lines
    constructor = yaml.SafeLoader("")
    return _build(node, (), lines, constructor), lines


# What the YAML parser says, and what a person editing the file should do about it.
_INDENT = "the indentation does not match the lines above: indent it like the other lines at its level (2 spaces per level)"
_FIXES = (
    ("mapping values are not allowed", 'a colon and a space inside a text need quotes around the text, e.g. title: "Tip: check the date"'),
    ("cannot start any token", "a tab: indent with spaces only (2 per level), never tabs"),
    ("expected <block end>", _INDENT),
    ("did not find expected key", _INDENT),
    ("did not find expected '-' indicator", "a list item here needs to start with '- ' at the same indentation as the others"),
    ("found unexpected end of stream", "a quote is opened and never closed: close it, or remove it"),
    ("found undefined alias", "'*' at the start of a text means something special in YAML: put the text in quotes"),
)


def syntax_error(path: Path, text: str, error: yaml.YAMLError) -> YamlFileError:
    """One finding for a YAML syntax error: where (line and column), the line itself, and the fix in plain words."""
    mark = getattr(error, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = f"{getattr(error, 'context', None) or ''} {getattr(error, 'problem', None) or error}"
    general = "check the indentation (spaces, 2 per level) and the quotes on this line"
    fix = next((advice for clue, advice in _FIXES if clue in problem), general)
    all_lines = text.splitlines()
    if "mapping values are not allowed" in problem and _indented_differently(all_lines, line, column):
        fix = _INDENT  # "   answer:" one space off reads to YAML as a colon inside the title above
    source = all_lines[line - 1].strip() if 0 < line <= len(all_lines) else ""
    quoted = f" — the line reads: {source[:120]!r}" if source else ""
    return YamlFileError(path, line, f"column {column}: not valid YAML: {fix}{quoted}")


def _indented_differently(lines: list[str], line: int, column: int) -> bool:
    """The colon YAML stumbled on ends a key at the start of its line, and that line is indented
    unlike the one before it: a mis-indented key, not a colon inside a text."""
    if not 1 < line <= len(lines):
        return False
    current = lines[line - 1]
    if not re.fullmatch(r"\s*(- )?[\w-]+", current[: column - 1]):
        return False
    previous = next((text for text in reversed(lines[: line - 1]) if text.strip()), "")
    return len(current) - len(current.lstrip()) != len(previous) - len(previous.lstrip())


def _build(node: Node, path: tuple[Any, ...], lines: Lines, constructor: yaml.SafeLoader) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        return {key.value: _build(value, (*path, key.value), lines, constructor) for key, value in node.value}
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, index), lines, constructor) for index, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
