"""Check text against what Telegram's HTML parse mode accepts, before it ever reaches a user."""

from __future__ import annotations

import re

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "blockquote"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_HREF = re.compile(r"""^\s+href\s*=\s*("[^"]*"|'[^']*')\s*$""")


def markup_problem(text: str) -> str | None:
    """Why Telegram would reject `text` as HTML, or None when it is fine."""
    stack: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        if problem := _plain_problem(text[position : match.start()]):
            return problem
        position = match.end()
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name not in ALLOWED_TAGS:
            return f'uses <{name}>, which Telegram does not allow; use only <b>, <i>, <u>, <s>, <code>, <a href="...">'
        if closing:
            if not stack or stack[-1] != name:
                return f"has </{name}> without a matching <{name}> before it"
            stack.pop()
        elif name == "a" and not _HREF.match(attributes or ""):
            return 'has a link without href: write <a href="https://...">text</a>'
        elif name != "a" and attributes.strip():
            return f"<{name}> cannot have attributes here"
        else:
            stack.append(name)
    if problem := _plain_problem(text[position:]):
        return problem
    if stack:
        return f"opens <{stack[-1]}> but never closes it; add </{stack[-1]}>"
    return None


def _plain_problem(chunk: str) -> str | None:
    if "<" in chunk or ">" in chunk:
        return "has a bare < or >; write &lt; or &gt; instead"
    for index, char in enumerate(chunk):
        if char == "&" and not _ENTITY.match(chunk, index):
            return "has a bare &; write &amp; instead"
    return None
