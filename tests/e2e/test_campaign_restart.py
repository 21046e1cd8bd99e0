"""The whole campaign plan through Telegram, with the bot process killed (SIGKILL) half-way."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.language.locales import load_locales
from tests.e2e.bot_api_double import BotApiDouble
from tests.e2e.conftest import process_environment

pytestmark = pytest.mark.asyncio(loop_scope="session")
USER = 301


def start_bot(root: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=root, env=env, stdin=subprocess.DEVNULL)


def buttons(call: Any) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


class User:
    """Types and taps like a person, and waits for the bot's answer each time."""

    def __init__(self, api: BotApiDouble) -> None:
        self.api = api

    async def says(self, text: str, expect: int = 1) -> list[Any]:
        before = len(self.api.sent())
        self.api.send_text(text, user_id=USER)
        return (await self.api.wait_for("sendMessage", before + expect, timeout=60))[before:]

    async def taps(self, data: str, expect: int = 1, method: str = "sendMessage") -> list[Any]:
        before = len(self.api.sent(method))
        self.api.press(data, user_id=USER)
        return (await self.api.wait_for(method, before + expect, timeout=60))[before:]


async def test_plan_by_buttons_and_text_survives_a_kill(root: Path, tmp_path: Path) -> None:
    api = BotApiDouble()
    await api.start()
    en = load_locales(root / "locales")
    env = process_environment(api, tmp_path)
    bot = start_bot(root, env)
    user = User(api)
    try:
        await api.wait_for("setMyCommands", 1, timeout=180)
        [ask_name] = await user.says("/campaign")
        assert en.text("en", "campaign.ask.name") in ask_name.params["text"]
        assert "a:gs-goals" in buttons(ask_name)  # the tip from the library

        [ask_problem] = await user.says("Neighbours Together")
        assert "c:v:problem:misinformation" in buttons(ask_problem)
        [ask_audience] = await user.taps("c:v:problem:misinformation")
        assert en.text("en", "campaign.ask.audience") in ask_audience.params["text"]
        [ask_platforms] = await user.says("students in Sylhet, 18-25")
        assert "c:t:platforms:0:0" in buttons(ask_platforms)

        [stale] = await user.taps("c:v:problem:hate_speech")  # an old button from question 2
        assert en.text("en", "campaign.ask.platforms") in stale.params["text"], "asked again, nothing stored"
        [ticked] = await user.taps("c:t:platforms:0:0", method="editMessageText")  # Facebook
        tiktok = next(d for d in buttons(ticked) if d.startswith("c:t:") and d.endswith(":4"))
        [ticked] = await user.taps(tiktok, method="editMessageText")
        done = next(d for d in buttons(ticked) if d.startswith("c:m:"))
        [ask_message] = await user.taps(done)
        assert en.text("en", "campaign.ask.message") in ask_message.params["text"]

        registered = len(api.sent("setMyCommands"))  # one call per menu language at each start
        bot.send_signal(signal.SIGKILL)  # mid-form, no goodbye
        bot.wait(timeout=30)
        bot = start_bot(root, env)
        await api.wait_for("setMyCommands", 2 * registered, timeout=180)  # the new process is up

        [ask_formats] = await user.says("In our street we look after each other")
        assert en.text("en", "campaign.ask.formats") in ask_formats.params["text"]
        [ask_start] = await user.says("short video and images")
        assert en.text("en", "campaign.ask.start_date") in ask_start.params["text"]
        [bad_date] = (await user.says("someday", expect=2))[:1]
        assert "date" in bad_date.params["text"].lower()
        await user.says("next monday")
        await user.says("6 weeks")
        await user.says("3 a week")
        [ask_moderator] = await user.says("reach and shares")
        assert "c:skip" in buttons(ask_moderator)
        [ask_reply_time] = await user.taps("c:skip")
        [summary] = await user.taps(next(d for d in buttons(ask_reply_time) if d.startswith("c:v:")))
        assert "Neighbours Together" in summary.params["text"] and "c:confirm" in buttons(summary)

        before_docs, before_messages = len(api.sent("sendDocument")), len(api.sent())
        await user.taps("c:confirm", expect=2)
        page, calendar, markdown = (await api.wait_for("sendDocument", before_docs + 3, timeout=60))[before_docs:]
        html_page = page.files["document"].decode("utf-8")  # first the page for phones, then the calendar
        assert html_page.startswith("<!DOCTYPE html>") and "Neighbours Together" in html_page and "students in Sylhet" in html_page
        assert calendar.files["document"].decode("utf-8").startswith("BEGIN:VCALENDAR\r\n")
        plan = markdown.files["document"].decode("utf-8")
        assert "Neighbours Together" in plan and "students in Sylhet" in plan
        assert plan.count("| ") > 6  # the week-by-week calendar table

        offer = (await api.wait_for("sendMessage", before_messages + 3, timeout=60))[before_messages + 2]  # after the files
        assert en.text("en", "reminders.offer") in offer.params["text"]
        [zones] = await user.taps(next(d for d in buttons(offer) if d.startswith("r:on:")), method="editMessageText")
        assert buttons(zones)[0].endswith(":Asia/Dhaka")
        [switched_on] = await user.taps(buttons(zones)[0], method="editMessageText")
        assert "Reminders are on" in switched_on.params["text"] and "Bangladesh" in switched_on.params["text"]
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bot.kill()
        await api.stop()
