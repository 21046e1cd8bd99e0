"""End to end: the decision policy's outcomes, urgent help and the planner's gate, as a user sees them."""

from __future__ import annotations

import pytest

from bot.services import locales_for
from tests.e2e.conftest import RunningBot
from tests.e2e.test_telegram import keyboard, next_messages

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_question_the_library_lacks_is_told_so_with_ways_forward(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.send_text("how do we get the blue verified badge for our page", user_id=201)
    [reply] = await next_messages(running_bot)
    assert reply.params["text"] == locales.text("en", "library.not_covered")
    assert {"menu", "i:human"} <= set(keyboard(reply))


async def test_a_close_call_offers_did_you_mean_buttons(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.send_text("fake news", user_id=202)
    [reply] = await next_messages(running_bot)
    assert reply.params["text"] == locales.text("en", "library.did_you_mean")
    offered = [data for data in keyboard(reply) if data.startswith("a:")]
    assert 2 <= len(offered) <= 3 and all(data.startswith("a:mi-") for data in offered)


async def test_urgent_help_comes_first(running_bot: RunningBot) -> None:
    api = running_bot.api
    api.send_text("hamara facebook page hack ho gaya, login nahi ho raha, kya karein", user_id=203)
    [reply] = await next_messages(running_bot)
    assert "f:ug-hacked:d" in keyboard(reply)
    assert "facebook.com/hacked" in reply.params["text"]


async def test_a_question_about_a_campaign_never_opens_the_planner(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.send_text("How do I know if my campaign is working?", user_id=204)
    [reply] = await next_messages(running_bot)
    assert not any(data.startswith("c:") for data in keyboard(reply)), "the planner must not open"
    assert any(data.startswith("f:im-") for data in keyboard(reply)) or reply.params["text"] == locales.text("en", "library.did_you_mean")


async def test_an_unclear_mention_of_a_campaign_asks_before_planning(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.send_text("campaign", user_id=205)
    [offer] = await next_messages(running_bot)
    assert offer.params["text"] == locales.text("en", "plan_offer.text")
    assert keyboard(offer) == ["i:campaign", "menu"]
    api.press("i:campaign", user_id=205)
    [question] = await next_messages(running_bot)
    assert any(data.startswith("c:") for data in keyboard(question)), "Yes opens the planner's first question"


@pytest.mark.parametrize(("text", "key"), [("ok", "acknowledge"), ("👍", "acknowledge"), ("asdfghjkl", "nonsense")])
async def test_small_talk_gets_a_short_fitting_reply(running_bot: RunningBot, text: str, key: str) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.send_text(text, user_id=206)
    [reply] = await next_messages(running_bot)
    assert reply.params["text"] == locales.text("en", key)


async def test_typed_rasa_payloads_are_read_as_text_and_unknown_commands_answered(running_bot: RunningBot) -> None:
    api, locales = running_bot.api, locales_for(running_bot.settings)
    api.send_text("/settings", user_id=207)
    [reply] = await next_messages(running_bot)
    assert reply.params["text"] == locales.text("en", "unknown_command")
    api.send_text(" /restart", user_id=207)  # a leading space: Telegram sends it as text, not as a command
    [reply] = await next_messages(running_bot)
    assert reply.params["text"], "Rasa's /restart must not swallow the message silently"
