"""Progress lines while the language model loads: a start line, one every few seconds, the time it took."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time

import pytest

from bot.runner import progress

DOING, DONE = "Loading the language model", "Language model loaded"
EVERY = 0.02  # seconds between lines here (5 s in the bot)


def five_seconds_a_look() -> itertools.count[int]:
    """A clock that moves 5 s each time it is read: start 0, then 5, 10, … (thread-safe in CPython)."""
    return itertools.count(0, 5)


async def slow_load(seconds: float) -> str:
    await asyncio.sleep(seconds)
    return "brain"


async def test_lines_while_a_slow_coroutine_runs_then_how_long_it_took() -> None:
    lines: list[str] = []
    clock = five_seconds_a_look()
    with progress(DOING, DONE, every=EVERY, say=lines.append, clock=clock.__next__):
        brain = await slow_load(EVERY * 10)
    assert brain == "brain"
    ticks = len(lines) - 2
    assert ticks >= 2, lines
    assert lines == [
        "Loading the language model…",
        *(f"Loading the language model… {5 * n} s" for n in range(1, ticks + 1)),
        f"Language model loaded in {5 * (ticks + 1)} s",
    ]


async def test_lines_keep_coming_while_the_work_blocks_the_event_loop() -> None:
    """Importing Rasa holds the loop for seconds; the ticker is a thread, so it is not silenced."""
    lines: list[str] = []
    with progress(DOING, DONE, every=EVERY, say=lines.append, clock=five_seconds_a_look().__next__):
        time.sleep(EVERY * 10)
    assert len(lines) >= 4 and lines[1] == "Loading the language model… 5 s" and lines[-1].startswith("Language model loaded in ")


async def test_a_failed_load_says_nothing_after_it_and_stops_ticking() -> None:
    lines: list[str] = []
    with pytest.raises(RuntimeError), progress(DOING, DONE, every=EVERY, say=lines.append):
        await slow_load(EVERY * 3)
        raise RuntimeError("no model")
    said = len(lines)
    await asyncio.sleep(EVERY * 4)
    assert len(lines) == said and not any(line.startswith(DONE) for line in lines), "the error is the last word"


async def test_a_quick_load_gets_only_the_start_and_the_end() -> None:
    lines: list[str] = []
    with progress(DOING, DONE, every=5.0, say=lines.append):
        await slow_load(0)
    assert lines == ["Loading the language model…", "Language model loaded in 0 s"]


async def test_by_default_the_lines_go_to_the_log_at_info(caplog: pytest.LogCaptureFixture) -> None:
    """INFO is the default LOG_LEVEL, and `python -m bot` logs to the terminal (or the journal)."""
    with caplog.at_level(logging.INFO, logger="bot.runner"), progress(DOING, DONE, every=EVERY):
        await slow_load(EVERY * 10)
    said = [record.getMessage() for record in caplog.records if record.name == "bot.runner" and record.levelno == logging.INFO]
    assert said[0] == "Loading the language model…" and said[-1].startswith("Language model loaded in ")
    assert any(line.endswith(" s") and line.startswith("Loading the language model… ") for line in said[1:-1])
