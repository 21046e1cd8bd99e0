from __future__ import annotations

import pytest

from bot.replies import Button, Reply
from bot.telegram.render import RLM, keyboard, rtl, split_text


def test_short_text_is_one_message() -> None:
    assert split_text("hello") == ["hello"]


def test_long_text_splits_at_paragraphs_under_the_limit() -> None:
    paragraphs = [f"<b>Part {i}</b> " + "word " * 150 for i in range(12)]
    chunks = split_text("\n\n".join(paragraphs))
    assert len(chunks) > 1 and all(len(c) <= 4096 for c in chunks)
    assert "\n\n".join(chunks) == "\n\n".join(paragraphs)  # nothing lost, tags never cut
    assert all(c.count("<b>") == c.count("</b>") for c in chunks)


def test_one_huge_paragraph_is_still_cut_under_the_limit() -> None:
    chunks = split_text("x" * 10000)
    assert all(len(c) <= 4096 for c in chunks) and sum(len(c) for c in chunks) == 10000


def test_rtl_marks_every_line() -> None:
    assert rtl("Facebook پیج\n\n👍 شکریہ") == f"{RLM}Facebook پیج\n\n{RLM}👍 شکریہ"


def test_keyboard_uses_short_ids_not_labels() -> None:
    reply = Reply("x", ((Button("বাংলা ভাষায় দীর্ঘ একটি বোতামের লেবেল", "l:bn"),),))
    markup = keyboard(reply)
    assert markup.inline_keyboard[0][0].callback_data == "l:bn"
    assert keyboard(Reply("no buttons")) is None


def test_callback_data_over_64_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Button("x", "a:" + "ব" * 30)
