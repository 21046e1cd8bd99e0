"""YAML syntax errors said for people who edit content files, not for parser authors.

"expected <block end>, but found '<block mapping start>'" becomes the line, the column, the line as
written, and what to do: indent like the lines around it, quote a text with a colon, no tabs.
"""

from __future__ import annotations

import re

import yaml

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


def explain(text: str, error: yaml.YAMLError) -> tuple[int, str]:
    """The line of a YAML syntax error, and a message with the column, the line itself and the fix in plain words."""
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
    return line, f"column {column}: not valid YAML: {fix}{quoted}"


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
