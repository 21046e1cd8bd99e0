"""Messages keep Telegram's 30-a-second budget; "typing…" never waits in that queue."""

from __future__ import annotations

import asyncio
import time

from bot.telegram.limiter import MessageRateLimiter


async def test_typing_goes_out_at_once_while_messages_wait_their_turn() -> None:
    limiter = MessageRateLimiter(overall_max_rate=1, overall_time_period=1, max_retries=0)
    await limiter.initialize()
    sent: dict[str, float] = {}
    began = time.monotonic()

    async def post(name: str) -> bool:
        sent[name] = time.monotonic() - began
        return True

    first = asyncio.create_task(limiter.process_request(post, ("first",), {}, "sendMessage", {"chat_id": 7}, None))
    second = asyncio.create_task(limiter.process_request(post, ("second",), {}, "sendMessage", {"chat_id": 8}, None))
    await asyncio.sleep(0.05)
    assert await limiter.process_request(post, ("typing",), {}, "sendChatAction", {"chat_id": 9}, None) is True
    await asyncio.gather(first, second)
    await limiter.shutdown()
    assert sent["typing"] < 0.3, "a chat action is not queued behind messages"
    assert sent["second"] > 0.5, "messages still keep the overall budget"
