"""The engine in its own process: it answers like the in-process one, a crash fails only what was
pending (at once, not after a time budget), and the next message brings it back."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
from pathlib import Path

import pytest

from bot import runner
from bot.brain.engine_process import EngineProcess, EngineStopped
from bot.brain.rasa_brain import BrainUnavailable
from bot.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_crashed_engine_fails_what_was_pending_and_the_next_message_restarts_it(action_settings: Settings) -> None:
    engine = await EngineProcess.load(runner.engine_config(action_settings))
    try:
        first_pid = engine.pid
        assert first_pid not in (None, os.getpid())
        opened = await engine.respond("7401", engine.payload("campaign"), {"language": "en"})
        assert any(spec.get("campaign") == "ask" for spec in opened), opened

        os.kill(first_pid, signal.SIGSTOP)  # frozen: the next request is sent but cannot be answered
        pending = asyncio.ensure_future(engine.respond("7402", "how do we verify a viral photo", {"language": "en"}))
        await asyncio.sleep(0.2)
        assert not pending.done()
        os.kill(first_pid, signal.SIGKILL)
        with pytest.raises(EngineStopped):
            await pending

        reply = await engine.respond("7402", "how do we verify a viral photo", {"language": "en"})
        assert engine.pid not in (None, first_pid)
        assert any("article" in spec or "suggest" in spec or "not_covered" in spec for spec in reply), reply
        again = await engine.respond("7401", "misinformation", {"language": "en"})
        assert not any("article" in spec or "not_covered" in spec for spec in again), "the form survived the crash"
    finally:
        engine.close()
    assert engine.pid is None


async def test_a_missing_model_is_one_line_that_says_how_to_fix_it(action_settings: Settings, tmp_path: Path) -> None:
    config = dataclasses.replace(runner.engine_config(action_settings), model_path=tmp_path / "none.tar.gz")
    with pytest.raises(BrainUnavailable, match="make train"):
        await EngineProcess.load(config)
