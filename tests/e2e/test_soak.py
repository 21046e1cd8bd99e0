"""Hostile inputs while the Bot API fails now and then: every input answered, once, by a bot that never wedges.

A small run of `python -m bot.benchmark_soak` (which prints the 10,000-input figures).
"""

from __future__ import annotations

import pytest

from bot.benchmark_soak import soak
from bot.settings import Settings

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.slow]


async def test_hostile_inputs_under_faults_lose_nothing(action_settings: Settings) -> None:
    figures = await soak(action_settings, inputs=60, users=4, seed=3)
    assert figures.sent >= 60
    assert figures.lost == []
    assert figures.duplicates == 0
    assert figures.wedged == []
    assert figures.tracebacks == []
