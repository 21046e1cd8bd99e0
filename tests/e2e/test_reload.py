"""Staff edit a library file while the bot runs: served without retraining; a broken edit is refused."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.e2e.conftest import start_bot

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def article_text(bot, user_id: int, article_id: str) -> str:
    before = len(bot.api.sent())
    bot.api.press(f"a:{article_id}", user_id=user_id)
    return (await bot.api.wait_for("sendMessage", before + 1))[-1].params["text"]


async def test_edit_goes_live_and_broken_edit_is_refused(action_settings: Settings, root: Path, tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(root / "locales", locales)
    path = locales / "en" / "library" / "misinformation.yml"
    original = path.read_text(encoding="utf-8")
    async with start_bot(action_settings, locales_dir=locales) as bot:
        old = await article_text(bot, 201, "mi-verify")
        assert "Check before you forward" not in old

        edited_at = time.monotonic()
        path.write_text(original.replace("answer: |-\n", "answer: |-\n      Check before you forward.\n", 1), encoding="utf-8")
        new = old
        while "Check before you forward" not in new and time.monotonic() - edited_at < 5:
            await asyncio.sleep(0.5)
            new = await article_text(bot, 201, "mi-verify")
        assert "Check before you forward" in new, "the edit was not served within 5 seconds"

        path.write_text(original.replace("related: [", "related: [not-an-article, ", 1), encoding="utf-8")
        before = len(bot.api.sent())
        bot.api.send_text("/reload", user_id=4242)
        [refused] = (await bot.api.wait_for("sendMessage", before + 1))[before:]
        assert "not-an-article" in refused.params["text"] and "misinformation.yml:" in refused.params["text"]
        assert "Check before you forward" in await article_text(bot, 201, "mi-verify")


async def welcome(bot, user_id: int) -> str:
    before = len(bot.api.sent())
    bot.api.send_text("/start", user_id=user_id)
    return (await bot.api.wait_for("sendMessage", before + 1))[before].params["text"]


async def test_a_bot_yml_edit_goes_live_and_a_broken_one_is_refused(action_settings: Settings, root: Path, tmp_path: Path) -> None:
    """Staff edit the bot's own texts (not only the library) while it runs: no restart needed."""
    locales = tmp_path / "locales"
    shutil.copytree(root / "locales", locales)
    path = locales / "en" / "bot.yml"
    original = path.read_text(encoding="utf-8")
    async with start_bot(action_settings, locales_dir=locales) as bot:
        assert "Fresh from staff" not in await welcome(bot, 301)

        edited_at = time.monotonic()
        path.write_text(original.replace("welcome: |-\n", "welcome: |-\n  Fresh from staff.\n", 1), encoding="utf-8")
        text = ""
        while "Fresh from staff" not in text and time.monotonic() - edited_at < 5:
            await asyncio.sleep(0.5)
            text = await welcome(bot, 301)
        assert "Fresh from staff" in text, "the edit was not served within 5 seconds"

        path.write_text(original.replace("welcome: |-\n", "welcome: |-\n\tBroken by a tab.\n", 1), encoding="utf-8")
        await asyncio.sleep(2.5)  # the watcher looks every second
        text = await welcome(bot, 301)
        assert "Fresh from staff" in text and "Broken" not in text, "a broken edit is refused; the last good texts stay"
