"""End to end: the real PTB Application and Rasa model, over HTTP, against a Bot API double."""

from __future__ import annotations

from typing import Any

import pytest

from bot.services import locales_for
from tests.e2e.conftest import RunningBot

pytestmark = pytest.mark.asyncio(loop_scope="session")


def keyboard(call: Any) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [button["callback_data"] for row in markup.get("inline_keyboard", []) for button in row]


def answered_queries(api: Any) -> list[str]:
    """The callback queries whose spinner the bot has stopped."""
    return [c.params.get("callback_query_id") for c in api.sent("answerCallbackQuery")]


async def next_messages(bot: RunningBot, count: int = 1) -> list[Any]:
    before = len(bot.api.sent())
    sent = await bot.api.wait_for("sendMessage", before + count)
    return sent[before:]


async def test_start_menu_button_and_question(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    await api.wait_for("setMyCommands", 1)
    commands = [c.params for c in api.sent("setMyCommands")]
    assert any("language_code" not in p and "campaign" in str(p["commands"]) for p in commands)
    assert any(p.get("language_code") == "bn" for p in commands)

    api.send_text("/start", user_id=101)
    [welcome] = await next_messages(running_bot)
    assert welcome.params["text"] == locales.text("en", "welcome")
    assert welcome.params["parse_mode"] == "HTML"
    assert {"i:campaign", "s:getting_started:0", "s:case_studies:0"} <= set(keyboard(welcome))

    query_id = api.press("s:misinformation:0", user_id=101)
    [section] = await next_messages(running_bot)
    assert "a:mi-verify" in keyboard(section)
    assert query_id in [c.params.get("callback_query_id") for c in api.sent("answerCallbackQuery")]

    api.send_text("how can I check if a viral photo is fake?", user_id=101)
    [answer] = await next_messages(running_bot)
    assert "m:mi-verify" in keyboard(answer) and "f:mi-verify:d" in keyboard(answer)


async def test_a_button_is_answered_without_waiting_for_its_spinner_to_stop(running_bot: RunningBot) -> None:
    """Stopping the spinner (answerCallbackQuery) runs beside the answer: a slow Bot API there does not
    hold up the reply, and the spinner is still stopped."""
    api = running_bot.api
    api.fail_next("answerCallbackQuery", 200, delay=1.5)  # a slow success
    query_id = api.press("s:impact:0", user_id=131)
    [section] = await next_messages(running_bot)
    assert "a:im-metrics" in keyboard(section)
    assert query_id not in answered_queries(api)  # the reply came first
    await api.wait_for("answerCallbackQuery", len(api.sent("answerCallbackQuery")) + 1)
    assert query_id in answered_queries(api)


async def test_question_related_and_thumbs_down(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.send_text("how do we turn on two-factor authentication for all our page admins", user_id=102)
    [answer] = await next_messages(running_bot)
    assert "f:mg-security:d" in keyboard(answer)
    related = next(data for data in keyboard(answer) if data.startswith("a:"))

    api.press(related, user_id=102)
    [article] = await next_messages(running_bot)
    assert f"f:{related[2:]}:u" in keyboard(article)

    api.press(f"f:{related[2:]}:d", user_id=102)
    [sorry] = await next_messages(running_bot)
    assert sorry.params["text"] == locales.text("en", "library.feedback_sorry")


async def test_sticker_and_edit_get_polite_replies(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.send_sticker(user_id=103)
    [reply] = await next_messages(running_bot)
    assert reply.params["text"] == locales.text("en", "unsupported_message")
    api.edit_text("edited words", user_id=103)
    [edited] = await next_messages(running_bot)
    assert edited.params["text"] == locales.text("en", "edited_message")


async def test_urdu_reply_reads_right_to_left(running_bot: RunningBot) -> None:
    api = running_bot.api
    api.send_text("السلام علیکم، جعلی خبر کی تصدیق کیسے کریں؟", user_id=104, language_code=None)
    messages = await next_messages(running_bot)
    assert all(line.startswith("\u200f") for line in messages[-1].params["text"].split("\n") if line)


async def test_an_update_delivered_twice_is_answered_once(running_bot: RunningBot) -> None:
    import asyncio

    api = running_bot.api
    before = len(api.sent())
    api.send_text("/help", user_id=105)
    api.deliver_again()
    await api.wait_for("sendMessage", before + 1)
    await asyncio.sleep(1.0)  # time for a second reply, if one were coming
    assert len([c for c in api.sent()[before:] if c.params["chat_id"] in (105, "105")]) == 1


async def test_a_button_pressed_before_a_typed_message_is_answered_first(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.press("s:impact:0", user_id=106)
    api.send_text("ok", user_id=106)
    first, second = await next_messages(running_bot, 2)
    assert "a:im-metrics" in keyboard(first)
    assert second.params["text"] == locales.text("en", "acknowledge")
