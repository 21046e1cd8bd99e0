from __future__ import annotations

from bot.console import parse_line, plain, show
from bot.replies import Button, Reply


def test_plain_text_from_telegram_html() -> None:
    assert plain('<b>Tip</b> &amp; <a href="https://x.org">link</a>') == "Tip & link (https://x.org)"


def test_buttons_become_numbered_choices(capsys) -> None:
    buttons = show(Reply("Pick", ((Button("One", "a:1"), Button("Two", "a:2")),)), "type a number")
    out = capsys.readouterr().out
    assert "[1] One" in out and "[2] Two" in out and [b.data for b in buttons] == ["a:1", "a:2"]


def test_a_number_presses_a_button_and_slash_is_a_command() -> None:
    buttons = [Button("One", "a:1"), Button("Two", "a:2")]
    assert parse_line("2", buttons, None).button == "a:2"
    assert parse_line("7", buttons, None).kind == "text"  # no such button: it is text
    command = parse_line("/search fake news", buttons, "en")
    assert (command.kind, command.command, command.text) == ("command", "search", "fake news")
    assert parse_line("hello", buttons, None).kind == "text"
