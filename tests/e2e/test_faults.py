"""Telegram misbehaves (flood waits, 5xx, slow answers): every reply still arrives, once, with no apology."""

from __future__ import annotations

import asyncio

import pytest

from bot.services import locales_for
from tests.e2e.conftest import RunningBot

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def one_reply(bot: RunningBot, user_id: int, text: str) -> list[str]:
    before = len(bot.api.replies_to(user_id))
    bot.api.send_text(text, user_id=user_id)
    await bot.api.wait_for_replies(user_id, before + 1, timeout=60)
    await asyncio.sleep(1.0)  # anything more (a second copy, an apology) would arrive by now
    return [call.params.get("text", "") for call in bot.api.replies_to(user_id)[before:]]


@pytest.mark.parametrize(
    ("user_id", "fault"),
    [
        (701, {"status": 429, "retry_after": 1}),
        (702, {"status": 429, "retry_after": 1, "times": 5}),
        (703, {"status": 500}),
        (704, {"status": 502, "times": 2}),
        (705, {"status": 200, "delay": 7.0}),  # slow, but delivered: PTB's old 5 s timeout made users get it twice
    ],
)
async def test_a_reply_survives_the_fault(running_bot: RunningBot, user_id: int, fault: dict) -> None:
    locales = locales_for(running_bot.settings)
    await one_reply(running_bot, user_id, "/start")
    running_bot.api.fail_next("sendMessage", **fault)
    [text] = await one_reply(running_bot, user_id, "how do we verify a viral photo")
    assert text != locales.text("en", "error") and "Verify" in text


async def test_a_user_who_blocked_the_bot_costs_nothing(running_bot: RunningBot) -> None:
    running_bot.api.fail_next("sendMessage", status=403)
    before = len(running_bot.api.failed)
    running_bot.api.send_text("/start", user_id=706)
    deadline = asyncio.get_running_loop().time() + 30
    while len(running_bot.api.failed) == before:
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    assert running_bot.api.replies_to(706) == [], "no retry and no apology to a user who blocked the bot"
    [welcome] = await one_reply(running_bot, 706, "/start")  # unblocked later: served as before
    assert welcome
