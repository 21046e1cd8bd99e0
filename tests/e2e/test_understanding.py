"""End to end: the decision policy's outcomes, urgent help and the planner's gate, as a user sees them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.services import locales_for
from tests.e2e.conftest import RunningBot
from tests.e2e.test_telegram import keyboard

pytestmark = pytest.mark.asyncio(loop_scope="session")


def to_user(bot: RunningBot, user_id: int) -> list[Any]:
    return [call for call in bot.api.sent() if str(call.params.get("chat_id")) == str(user_id)]


async def say(bot: RunningBot, user_id: int, text: str | None = None, press: str | None = None, count: int = 1) -> list[Any]:
    """Send a text (or press a button) as `user_id`; return the next `count` messages to that user."""
    before = len(to_user(bot, user_id))
    if press is not None:
        bot.api.press(press, user_id=user_id)
    else:
        bot.api.send_text(text or "", user_id=user_id)
    deadline = asyncio.get_running_loop().time() + 30
    while len(to_user(bot, user_id)) < before + count:
        assert asyncio.get_running_loop().time() < deadline, f"no reply to {text or press!r}"
        await asyncio.sleep(0.05)
    return to_user(bot, user_id)[before : before + count]


async def test_a_question_the_library_lacks_is_told_so_with_ways_forward(running_bot: RunningBot) -> None:
    locales = locales_for(running_bot.settings)
    [reply] = await say(running_bot, 201, "how do we get the blue verified badge for our page")
    assert reply.params["text"] == locales.text("en", "library.not_covered")
    assert {"menu", "i:human"} <= set(keyboard(reply))


COMMENT_ARTICLES = {"mg-hateful-comments", "mg-moderation", "cs-malaysia-comments"}  # dealing with bad comments
RUMOUR_ARTICLES = {"mi-respond", "mi-verify", "mi-report", "mi-elections"}  # dealing with fake news


async def test_a_close_call_offers_the_close_articles(running_bot: RunningBot) -> None:
    """A question about two things: the bot asks "did you mean", or answers one with the other one tap
    away (how sure the NLU is of the section decides which); either way both things are offered."""
    locales = locales_for(running_bot.settings)
    [reply] = await say(running_bot, 202, "what to do about bad comments and fake news")
    offered = {data[2:] for data in keyboard(reply) if data.startswith("a:")}  # did-you-mean or runner-up buttons
    offered |= {data.split(":")[1] for data in keyboard(reply) if data.startswith("f:")}  # the answered article
    if reply.params["text"] == locales.text("en", "library.did_you_mean"):
        assert 2 <= len(offered) <= 3, offered
    assert offered & COMMENT_ARTICLES and offered & RUMOUR_ARTICLES, offered


async def test_urgent_help_comes_first(running_bot: RunningBot) -> None:
    # Romanized Urdu: the first reply offers English instead, the second is the urgent article in Urdu.
    _, reply = await say(running_bot, 203, "hamara facebook page hack ho gaya, login nahi ho raha, kya karein", count=2)
    assert "f:ug-hacked:d" in keyboard(reply)
    assert "facebook.com/hacked" in reply.params["text"]


async def test_a_question_about_a_campaign_never_opens_the_planner(running_bot: RunningBot) -> None:
    locales = locales_for(running_bot.settings)
    [reply] = await say(running_bot, 204, "How do I know if my campaign is working?")
    assert not any(data.startswith("c:") for data in keyboard(reply)), "the planner must not open"
    assert any(data.startswith("f:im-") for data in keyboard(reply)) or reply.params["text"] == locales.text("en", "library.did_you_mean")


async def test_an_unclear_mention_of_a_campaign_asks_before_planning(running_bot: RunningBot) -> None:
    locales = locales_for(running_bot.settings)
    [offer] = await say(running_bot, 205, "campaign stuff")  # the NLU says campaign, but two words are a mention, not a request
    assert offer.params["text"] == locales.text("en", "plan_offer.text")
    assert keyboard(offer) == ["i:campaign", "menu"]
    [question] = await say(running_bot, 205, press="i:campaign")
    assert any(data.startswith("c:") for data in keyboard(question)), "Yes opens the planner's first question"


@pytest.mark.parametrize(("text", "key"), [("ok", "acknowledge"), ("👍", "acknowledge"), ("asdfghjkl", "nonsense")])
async def test_small_talk_gets_a_short_fitting_reply(running_bot: RunningBot, text: str, key: str) -> None:
    locales = locales_for(running_bot.settings)
    [reply] = await say(running_bot, 206, text)
    assert reply.params["text"] == locales.text("en", key)


async def test_typed_rasa_payloads_are_read_as_text_and_unknown_commands_answered(running_bot: RunningBot) -> None:
    locales = locales_for(running_bot.settings)
    [reply] = await say(running_bot, 207, "/settings")
    assert reply.params["text"] == locales.text("en", "unknown_command")
    [reply] = await say(running_bot, 207, " /restart")  # a leading space: Telegram sends it as text, not as a command
    assert reply.params["text"], "Rasa's /restart must not swallow the message silently"
