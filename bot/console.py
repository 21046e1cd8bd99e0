"""A local chat in the terminal, so a newcomer can talk to the bot without a Telegram token."""

from __future__ import annotations

import asyncio
import html
import re

from bot.conversation import Conversation
from bot.replies import Button, Incoming, Reply

CONSOLE_USER = 1  # the console is one local user
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Telegram HTML to terminal text: bold and links lose their tags, entities are decoded."""
    text = re.sub(r'<a href="([^"]+)">([^<]*)</a>', r"\2 (\1)", text)
    return html.unescape(_TAG.sub("", text))


def show(reply: Reply, choose_hint: str) -> list[Button]:
    """Print one reply; buttons become numbered choices. Returns the buttons, in number order."""
    if reply.text:
        print(plain(reply.text))
    if reply.photo is not None:
        print(f"[picture: {len(reply.photo)} bytes]")
    if reply.document is not None:
        print(f"[document: {reply.document.filename}, {len(reply.document.content)} bytes]")
    buttons = [button for row in reply.buttons for button in row]
    for number, button in enumerate(buttons, start=1):
        print(f"  [{number}] {button.label}")
    if buttons:
        print(f"  ({choose_hint})")
    print()
    return buttons


def parse_line(line: str, buttons: list[Button], language_code: str | None) -> Incoming:
    """A number picks a button of the last reply; /word is a command; anything else is text."""
    text = line.strip()
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return Incoming(CONSOLE_USER, CONSOLE_USER, button=buttons[int(text) - 1].data, kind="button", language_code=language_code)
    if text.startswith("/"):
        command, _, rest = text[1:].partition(" ")
        return Incoming(CONSOLE_USER, CONSOLE_USER, text=rest, command=command.lower(), kind="command", language_code=language_code)
    return Incoming(CONSOLE_USER, CONSOLE_USER, text=text, kind="text", language_code=language_code)


def chat(conversation: Conversation, loop: asyncio.AbstractEventLoop, language_code: str | None = None) -> None:
    """Read lines until EOF, /quit or Ctrl-C; answer each like Telegram would.

    Input is read in the main thread so Ctrl-C ends the chat at once; the library is checked for
    edits before each message, since nothing runs in the background while we wait for input.
    """
    t = conversation.s.locales.text
    print(t("en", "console.intro") + "\n")
    buttons: list[Button] = []
    while True:
        try:
            line = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if line.strip() in ("/quit", "/exit"):
            return
        if not line.strip():
            continue
        conversation.s.library.refresh()
        replies = loop.run_until_complete(conversation.handle(parse_line(line, buttons, language_code)))
        lang = conversation.s.users.get_or_create(user_id=CONSOLE_USER).language or "en"
        for reply in replies:
            shown = show(reply, t(lang, "console.choose"))
            buttons = shown or buttons
