"""PTB's rate limiter, applied to what Telegram limits: messages, not "typing…"."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
UNQUEUED = frozenset({"sendChatAction"})


class MessageRateLimiter(AIORateLimiter):
    """AIORateLimiter counts every request that names a chat against the 30-a-second budget. With 50
    users waiting, "typing…" was about two thirds of those requests, so replies and button answers
    queued behind indicators (and a reply waits for its chat's pending indicator). A chat action is
    cosmetic and best effort: it goes out at once and a failure is dropped by its sender."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        if endpoint in UNQUEUED:
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
