"""Once and in order: in one process, and across two "replicas" sharing the local Redis for real."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from bot.telegram import coordination
from bot.telegram.coordination import LocalCoordination, RedisCoordination
from tests.replicas import REDIS_URL


async def run_in_order(coord, chat_id: int, update_id: int, log: list[int], delay: float = 0.0) -> None:
    async with coord.in_order(chat_id, update_id):
        log.append(update_id)
        await asyncio.sleep(delay)
        log.append(-update_id)


async def test_local_answers_each_update_once_and_keeps_no_idle_locks() -> None:
    local = LocalCoordination()
    assert await local.first_delivery(1) and not await local.first_delivery(1) and await local.first_delivery(2)
    log: list[int] = []
    await asyncio.gather(*(run_in_order(local, 5, update_id, log, 0.01) for update_id in (1, 2, 3)))
    assert log == [1, -1, 2, -2, 3, -3], "one at a time, first come first served"
    assert local.chats_held() == 0


@pytest.fixture
def replicas():
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    first, second = RedisCoordination(REDIS_URL, namespace), RedisCoordination(REDIS_URL, namespace)
    yield first, second


async def test_redis_replicas_answer_an_update_once(replicas) -> None:
    first, second = replicas
    try:
        assert await first.first_delivery(41)
        assert not await second.first_delivery(41), "the other replica saw it already"
        assert await second.first_delivery(42)
    finally:
        await first.close()
        await second.close()


async def test_redis_replicas_take_one_chat_in_update_order(replicas) -> None:
    first, second = replicas
    log: list[int] = []
    try:
        async with first.in_order(7, 10):  # update 10 is being handled on replica one...
            later = asyncio.create_task(run_in_order(second, 7, 12, log))  # ...12 reaches replica two
            await asyncio.sleep(0.05)
            earlier = asyncio.create_task(run_in_order(first, 7, 11, log))  # ...and 11, late, replica one
            await asyncio.sleep(0.1)
            assert log == [], "nothing else runs while update 10 holds the chat"
        await asyncio.wait_for(asyncio.gather(later, earlier), 10)
        assert log == [11, -11, 12, -12]
        other: list[int] = []
        await asyncio.wait_for(run_in_order(second, 8, 13, other), 5)  # another chat is never held up
        assert other == [13, -13]
    finally:
        await first.close()
        await second.close()


async def test_a_replica_that_died_mid_update_does_not_wedge_the_user(replicas, monkeypatch) -> None:
    monkeypatch.setattr(coordination, "HOLD", 1.0)
    first, second = replicas
    try:
        dead = RedisCoordination(REDIS_URL, first.namespace)
        lock = dead.redis.lock(f"{first.namespace}:chat:9:turn", timeout=1.0)
        assert await lock.acquire()  # taken and never released: the process died
        await dead.redis.zadd(f"{first.namespace}:chat:9:pending", {"20": 20})
        log: list[int] = []
        await asyncio.wait_for(run_in_order(second, 9, 21, log), 5)
        assert log == [21, -21]
        await dead.close()
    finally:
        await first.close()
        await second.close()
