"""The engine in its own process: a crash costs the users who were waiting one apology, at once (not
after the time budget), with no traceback in the log; the engine comes back by itself and the next
message is answered."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
from pathlib import Path

import pytest

from bot import runner
from bot.brain.engine_process import EngineProcess
from bot.brain.rasa_brain import BrainUnavailable
from bot.services import locales_for
from bot.settings import Settings
from tests.e2e.conftest import RunningBot, start_bot

pytestmark = pytest.mark.asyncio(loop_scope="session")

USER = 7401


async def replies_after(bot: RunningBot, text: str) -> list[str]:
    before = len(bot.api.replies_to(USER))
    bot.api.send_text(text, user_id=USER)
    await bot.api.wait_for_replies(USER, before + 1, timeout=60)
    return [call.params.get("text", "") for call in bot.api.replies_to(USER)[before:]]


async def test_a_crashed_engine_costs_one_apology_and_comes_back(action_settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    async with start_bot(action_settings) as bot:
        apology = locales_for(bot.settings).text("en", "error")
        engine = bot.conversation.s.brain
        first_pid = engine.pid
        assert first_pid not in (None, os.getpid())
        await replies_after(bot, "/start")

        os.kill(first_pid, signal.SIGSTOP)  # frozen: the question is sent to it but cannot be answered
        before = len(bot.api.replies_to(USER))
        bot.api.send_text("how do we verify a viral photo", user_id=USER)
        await asyncio.sleep(1.0)
        assert len(bot.api.replies_to(USER)) == before, "the frozen engine answered"
        loop = asyncio.get_running_loop()
        killed = loop.time()
        os.kill(first_pid, signal.SIGKILL)
        replies = await bot.api.wait_for_replies(USER, before + 1, timeout=20)
        assert replies[before].params.get("text") == apology
        assert loop.time() - killed < 10, "the apology waited for the time budget"

        while engine.pid in (None, first_pid):  # it comes back without anyone's message carrying the restart
            assert loop.time() - killed < 300, "the engine did not start again"
            await asyncio.sleep(0.5)
        [answer] = await replies_after(bot, "how do we verify a viral photo")
        assert answer != apology and "Verify" in answer
    tracebacks = [record.getMessage() for record in caplog.records if record.exc_info]
    assert tracebacks == []


async def test_a_missing_model_is_one_line_that_says_how_to_fix_it(action_settings: Settings, tmp_path: Path) -> None:
    config = dataclasses.replace(runner.engine_config(action_settings), model_path=tmp_path / "none.tar.gz")
    with pytest.raises(BrainUnavailable, match="make train"):
        await EngineProcess.load(config)
