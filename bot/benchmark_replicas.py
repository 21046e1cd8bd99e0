"""One replica against two (figures, not tests): python -m bot.benchmark_replicas [--users 50]

The same test twice on one machine: N bot processes in webhook mode (`python -m bot run`, each with
its own action server) on one PostgreSQL schema and one Redis, the way docs/deploy.md runs them.
The benchmark plays the reverse proxy: it spreads updates over the replicas in turn, as nginx's
round robin does, so one user's messages land on different replicas. Printed: turns per second and
reply p50/p95 for one and for two replicas, how busy the machine's CPUs were meanwhile, and the
throughput ratio (target >= 1.6; a second replica can only use what the first left idle).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import secrets
import time
from pathlib import Path
from typing import Any

import httpx

from bot.benchmark_load import questions, summary, user_script
from bot.settings import load_settings
from bot.storage.db import migrate
from tests.e2e.bot_api_double import BotApiDouble
from tests.replicas import Replica, scratch_postgres, start_replicas, stop_replicas, wait_healthy

ROUNDS = 6  # questions each user sends, one after the other
SECRET = "bench-Secret_1"


class Proxy:
    """Round robin over the replicas' webhooks, answering like Telegram: post, then wait for the reply."""

    def __init__(self, api: BotApiDouble, replicas: list[Replica], client: httpx.AsyncClient) -> None:
        self.api, self.client = api, client
        self.next_replica = itertools.cycle(replicas)

    async def turn(self, user_id: int, update: dict[str, Any], replica: Replica | None = None) -> float:
        before = len(self.api.replies_to(user_id))
        began = time.perf_counter()
        target = replica or next(self.next_replica)
        response = await self.client.post(target.webhook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        response.raise_for_status()
        await self.api.wait_for_replies(user_id, before + 1, timeout=120)
        return (time.perf_counter() - began) * 1000


async def warm(proxy: Proxy, replicas: list[Replica], messages: list[tuple[str, str]]) -> None:
    """Each replica's lazy parts (the encoder, the first policy run) load on its first questions."""
    for number, replica in enumerate(replicas):
        user_id = 500 + number
        await proxy.turn(user_id, proxy.api.press_update("l:en", user_id), replica)
        for text in [text for lang, text in messages if lang == "en"][:3]:
            await proxy.turn(user_id, proxy.api.text_update(text, user_id), replica)


async def crowd(proxy: Proxy, messages: list[tuple[str, str]], users: int) -> tuple[list[float], float, float]:
    """`users` users each asking ROUNDS questions back to back; returns reply times, turns/s and how
    busy the machine's CPUs were meanwhile (a replica can only add what the first left idle)."""
    scripts = [user_script(messages, number, ROUNDS) for number in range(users)]
    ids = [1000 + number for number in range(users)]
    for user_id, (lang, _) in zip(ids, scripts, strict=True):
        await proxy.turn(user_id, proxy.api.press_update(f"l:{lang}", user_id, language_code=lang))

    async def user(user_id: int, lang: str, texts: list[str]) -> list[float]:
        return [await proxy.turn(user_id, proxy.api.text_update(text, user_id, language_code=lang)) for text in texts]

    began, (busy, total) = time.perf_counter(), cpu_ticks()
    timings = await asyncio.gather(*(user(u, *script) for u, script in zip(ids, scripts, strict=True)))
    elapsed, (busy_after, total_after) = time.perf_counter() - began, cpu_ticks()
    flat = [t for per_user in timings for t in per_user]
    return flat, len(flat) / elapsed, (busy_after - busy) / max(total_after - total, 1)


async def run(root: Path, count: int, messages: list[tuple[str, str]], users: int) -> tuple[list[float], float, float]:
    api = BotApiDouble(token=f"{secrets.randbelow(10**9) + 1}:BENCH")  # its own Redis keys
    await api.start()
    with scratch_postgres() as database_url:
        migrate(database_url)
        replicas = start_replicas(root, count, api.token, api.url, database_url, SECRET)
        try:
            await wait_healthy(replicas, timeout=600)
            async with httpx.AsyncClient(timeout=30) as client:
                proxy = Proxy(api, replicas, client)
                await warm(proxy, replicas, messages)
                return await crowd(proxy, messages, users)
        finally:
            stop_replicas(replicas)
            await api.stop()


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    root = load_settings().project_root
    messages = questions(root)
    rates = {}
    for count in (1, 2):
        timings, rates[count], busy = asyncio.run(run(root, count, messages, args.users))
        print(summary(f"{count} replica(s), {args.users} users at once", timings) + f", {rates[count]:.1f} turns/s, CPUs {busy:.0%} busy")
    print(f"two replicas / one replica, throughput = {rates[2] / rates[1]:.2f} (target >= 1.6)")


if __name__ == "__main__":
    main()
