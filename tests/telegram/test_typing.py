"""'typing…' only when a reply takes a while, and never after the reply."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from bot.telegram import app


class SlowBot:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.actions: list[float] = []
        self.finished: list[float] = []

    async def send_chat_action(self, chat_id: int, action: str) -> None:
        self.actions.append(asyncio.get_running_loop().time())
        await asyncio.sleep(self.delay)
        self.finished.append(asyncio.get_running_loop().time())


async def test_a_quick_reply_shows_no_typing() -> None:
    bot = SlowBot(0.0)
    async with app._typing(SimpleNamespace(bot=bot), 1):
        await asyncio.sleep(0.05)
    await asyncio.sleep(app.TYPING_AFTER + 0.1)
    assert bot.actions == []


async def test_a_slow_reply_shows_typing_which_lands_before_the_reply() -> None:
    bot = SlowBot(0.3)  # Telegram is slow to confirm the chat action
    async with app._typing(SimpleNamespace(bot=bot), 1):
        await asyncio.sleep(app.TYPING_AFTER + 0.05)
    replied_at = asyncio.get_running_loop().time()
    assert len(bot.actions) == 1 and bot.finished and bot.finished[0] <= replied_at
