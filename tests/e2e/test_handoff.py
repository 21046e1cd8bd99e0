"""A person when the bot is not enough, end to end: the real PTB Application, a staff supergroup with
topics on the Bot API double, and a user who asks for a person half-way through a plan."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.services import locales_for
from tests.e2e.conftest import STAFF_CHAT_ID as STAFF
from tests.e2e.conftest import RunningBot

pytestmark = pytest.mark.asyncio(loop_scope="session")
USER = 611


def buttons(call: Any) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def to_user(bot: RunningBot, count: int, act) -> list[Any]:
    before = len(bot.api.replies_to(USER))
    act()
    return (await bot.api.wait_for_replies(USER, before + count, timeout=60))[before:]


async def in_staff_group(bot: RunningBot, method: str, count: int, act) -> list[Any]:
    before = len([c for c in bot.api.sent(method) if c.chat_id == STAFF])
    act()
    deadline = asyncio.get_running_loop().time() + 60
    while len(calls := [c for c in bot.api.sent(method) if c.chat_id == STAFF]) < before + count:
        assert asyncio.get_running_loop().time() < deadline, f"no {method} in the staff group"
        await asyncio.sleep(0.05)
    return calls[before:]


async def test_a_person_mid_plan_and_back_to_the_same_step(running_bot: RunningBot) -> None:
    bot = running_bot
    api, locales = bot.api, locales_for(bot.settings)
    await to_user(bot, 1, lambda: api.send_text("/campaign", user_id=USER))
    [ask_problem] = await to_user(bot, 1, lambda: api.send_text("Neighbours Together", user_id=USER))
    assert locales.text("en", "campaign.ask.problem") in ask_problem.params["text"]

    # The user asks for a person (the menu's button): a topic with the context appears for staff.
    before_topics = len(api.sent("createForumTopic"))
    [opened] = await to_user(bot, 1, lambda: api.press("i:human", user_id=USER))
    assert "Mon–Fri 9–17 Dhaka time" in opened.params["text"] and buttons(opened) == ["h:end"]
    [topic_call] = (await api.wait_for("createForumTopic", before_topics + 1))[before_topics:]
    assert int(topic_call.params["chat_id"]) == STAFF
    [context] = [c for c in api.sent() if c.chat_id == STAFF and c.params.get("message_thread_id")]
    topic = int(context.params["message_thread_id"])
    assert "Neighbours Together" in context.params["text"] and "English" in context.params["text"]

    # While with a person the bot is quiet: the user's photo and text are copied into the topic.
    [copied] = await in_staff_group(bot, "copyMessage", 1, lambda: api.send_photo(user_id=USER))
    assert int(copied.params["message_thread_id"]) == topic and int(copied.params["from_chat_id"]) == USER
    await in_staff_group(bot, "copyMessage", 1, lambda: api.send_text("we are being threatened", user_id=USER))
    assert not any("we are being threatened" in (c.params.get("text") or "") for c in api.replies_to(USER))

    # Staff answer in the topic: the user gets it, signed with the first name only.
    [answer] = await to_user(bot, 1, lambda: api.staff_writes("Hello, I'm here. Are you safe?", STAFF, topic))
    assert answer.params["text"] == locales.text("en", "handoff.staff_says", name="Rina", text="Hello, I'm here. Are you safe?")

    # /queue lists the open chat; /done hands the user back to the same question of their plan.
    [queue] = await in_staff_group(bot, "sendMessage", 1, lambda: api.staff_writes("/queue", STAFF, topic))
    assert str(USER) in queue.params["text"]
    closed, back = await to_user(bot, 2, lambda: api.staff_writes("/done", STAFF, topic))
    assert closed.params["text"] == locales.text("en", "handoff.closed_by_staff")
    assert locales.text("en", "campaign.ask.problem") in back.params["text"]
    [ask_audience] = await to_user(bot, 1, lambda: api.press("c:v:problem:misinformation", user_id=USER))
    assert locales.text("en", "campaign.ask.audience") in ask_audience.params["text"], "the plan continues at that step"
