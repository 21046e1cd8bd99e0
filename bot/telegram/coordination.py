"""Each update handled once, and one user's updates in order: in one process, or across replicas.

Telegram re-sends an update it thinks was lost, and with several replicas behind a proxy two of one
user's updates can arrive at two processes at once. Two implementations of one small interface:

- `LocalCoordination` (the default): remembered update ids and one asyncio lock per chat, in memory.
- `RedisCoordination` (with REDIS_URL): a seen-set with a time to live, and per chat a sorted set of
  pending update ids plus a lock that expires, so the lowest pending update goes first and a replica
  that dies mid-update cannot wedge the user.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Protocol

log = logging.getLogger(__name__)

SEEN_UPDATES = 10_000  # update ids one process remembers
SEEN_TTL = 24 * 3600  # seconds Redis remembers an update id (Telegram gives up re-sending within a day)
HOLD = 60.0  # seconds a chat's turn may last before another replica may take it (longer than one update's budget)
POLL = 0.02  # seconds between looks at a chat's queue while an earlier update of it is pending


class Coordination(Protocol):
    async def first_delivery(self, update_id: int) -> bool:
        """True the first time this update id is seen, by any replica."""

    async def arrived(self, chat_id: int, update_id: int) -> None:
        """Note the update as pending before it is acknowledged to Telegram, so that an update Telegram
        sends next (perhaps to another replica) waits for it."""

    async def discard(self, chat_id: int, update_id: int) -> None:
        """A re-delivered update is dropped: it no longer holds up the chat's queue."""

    def in_order(self, chat_id: int, update_id: int) -> contextlib.AbstractAsyncContextManager[None]:
        """Hold this chat's turn: earlier updates of the chat first, one at a time."""

    async def close(self) -> None: ...


class LocalCoordination:
    """One process: PTB hands out updates in arrival order, and an asyncio lock is first come, first served."""

    def __init__(self) -> None:
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # holders and waiters per chat, so idle locks are dropped

    async def first_delivery(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        if len(self._seen) > SEEN_UPDATES:
            self._seen.popitem(last=False)
        return True

    async def arrived(self, chat_id: int, update_id: int) -> None:
        return None  # one process: PTB's queue keeps arrival order

    async def discard(self, chat_id: int, update_id: int) -> None:
        return None

    @contextlib.asynccontextmanager
    async def in_order(self, chat_id: int, update_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:
                del self._users[chat_id], self._locks[chat_id]

    def chats_held(self) -> int:
        """How many chats have a lock right now (for tests: idle chats keep none)."""
        return len(self._locks)

    async def close(self) -> None:
        return None


class RedisCoordination:
    """Replicas sharing one Redis: seen update ids, and per-chat turns that survive a dead replica."""

    def __init__(self, url: str, namespace: str = "resiliency") -> None:
        import redis.asyncio as redis

        self.redis = redis.from_url(url)
        self.namespace = namespace

    async def first_delivery(self, update_id: int) -> bool:
        return bool(await self.redis.set(f"{self.namespace}:seen:{update_id}", 1, nx=True, ex=SEEN_TTL))

    async def arrived(self, chat_id: int, update_id: int) -> None:
        queue = f"{self.namespace}:chat:{chat_id}:pending"
        await self.redis.zadd(queue, {str(update_id): update_id})
        await self.redis.expire(queue, int(HOLD * 2))

    async def discard(self, chat_id: int, update_id: int) -> None:
        await self.redis.zrem(f"{self.namespace}:chat:{chat_id}:pending", str(update_id))

    @contextlib.asynccontextmanager
    async def in_order(self, chat_id: int, update_id: int) -> AsyncIterator[None]:
        queue = f"{self.namespace}:chat:{chat_id}:pending"
        lock = self.redis.lock(f"{self.namespace}:chat:{chat_id}:turn", timeout=HOLD)
        await self.arrived(chat_id, update_id)
        try:
            await self._take_turn(lock, queue, update_id)
            try:
                yield
            finally:
                with contextlib.suppress(Exception):  # expired while held: another replica has moved on
                    await lock.release()
        finally:
            await self.redis.zrem(queue, str(update_id))

    async def _take_turn(self, lock, queue: str, update_id: int) -> None:
        """Wait for the lock while an earlier update of this chat is pending; after HOLD, go anyway."""
        deadline = time.monotonic() + HOLD
        while True:
            if await lock.acquire(blocking_timeout=max(0.1, deadline - time.monotonic())):
                first = await self.redis.zrange(queue, 0, 0)
                if not first or int(first[0]) >= update_id or time.monotonic() > deadline:
                    return
                await lock.release()
            elif time.monotonic() > deadline:
                log.warning("Chat %s: an earlier update held its turn for over %.0f s; going ahead", chat_id_of(queue), HOLD)
                return
            await asyncio.sleep(POLL)

    async def close(self) -> None:
        await self.redis.aclose() if hasattr(self.redis, "aclose") else await self.redis.close()


def chat_id_of(queue: str) -> str:
    return queue.split(":")[-2]


def coordination_for(redis_url: str | None, bot_token: str | None) -> Coordination:
    """Redis keys are per bot (its id is the token's first part): two bots may share one Redis."""
    bot_id = (bot_token or "").split(":")[0] or "bot"
    return RedisCoordination(redis_url, f"resiliency:{bot_id}") if redis_url else LocalCoordination()
