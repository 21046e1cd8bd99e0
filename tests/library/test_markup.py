from __future__ import annotations

import pytest

from bot.library.markup import markup_problem


@pytest.mark.parametrize(
    "text",
    ["plain", "<b>bold</b> and <i>it</i>", 'see <a href="https://x.org/a?b=1&amp;c=2">link</a>', "Q&amp;A &lt;3 &#8364;"],
)
def test_valid_telegram_html(text: str) -> None:
    assert markup_problem(text) is None


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("Q&A", "&amp;"),
        ("a < b", "&lt;"),
        ("<b>open", "</b>"),
        ("<b><i>x</b></i>", "without a matching"),
        ("<div>x</div>", "does not allow"),
        ("<a>x</a>", "href"),
        ("<b class='x'>y</b>", "attributes"),
    ],
)
def test_what_telegram_would_reject_is_explained(text: str, fix: str) -> None:
    problem = markup_problem(text)
    assert problem is not None and fix in problem
