"""Hostile inputs under faults (figures, not tests): python -m bot.benchmark_soak [--inputs 10000] [--users 25]

The real PTB Application polls a Bot API double over HTTP. Users send what real and malicious users
send: random Unicode from every launch script, bidi and zero-width characters, messages of 4096+
characters, HTML and Markdown injection, Rasa payloads ("/greet", '/intent{"slot": 1}'), unknown
commands, forged buttons, stickers, edits, the same update twice and bursts of messages at once. Every
so often the Bot API answers sendMessage with a 429 (retry_after), a 500, a 502 or a slow success.

Printed: inputs sent; inputs that got no reply (lost); updates answered twice (duplicates); users who
no longer get any answer at the end (wedged); and log records carrying a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot import runner
from bot.benchmark import scratch_settings
from bot.settings import Settings
from bot.storage.db import migrate

REPLY_TIMEOUT = 45.0  # more than one update's 30-second budget plus retries
QUIET = 1.5  # how long to watch for a second answer to a duplicated update
SCRIPTS = [(0x0980, 0x09FF), (0x0E00, 0x0E7F), (0x0600, 0x06FF), (0x0020, 0x007E), (0x1F300, 0x1FAFF), (0x0900, 0x097F)]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2069", "\ufeff"]
MARKUP = [
    "<b>",
    "</b>",
    "<a href='javascript:alert(1)'>x</a>",
    "<code>",
    "&amp;",
    "&#0;",
    "*bold*",
    "_it_",
    "[x](tg://user?id=1)",
    "`",
    "<pre>",
    "</i>",
]
PAYLOADS = ["/greet", " /restart", "/nlu_fallback", '/campaign{"campaign_name": "x"}', "/session_start", "/out_of_scope{}", "/back"]
COMMANDS = [
    "/cancel",
    "/stop",
    "/settings",
    "/x" + "a" * 62,
    "/start@other_bot",
    "/help extra words",
    "/search",
    "/campaigns",
    "/privacy",
    "/forget",
]
FORGED = [
    "p:o:99999999999999999999999",
    "s:nope:0",
    "a:../../etc",
    "r:x:-1",
    "l:xx",
    "",
    "x" * 64,
    "c:1:2:3:4",
    "🙂",
    "p:",
    "s:misinformation:-5",
]


@dataclass
class Figures:
    sent: int = 0
    lost: list[str] = field(default_factory=list)
    duplicates: int = 0
    wedged: list[int] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    tracebacks: list[str] = field(default_factory=list)


class TracebackCounter(logging.Handler):
    """Keeps every log record that carries an exception."""

    def __init__(self, figures: Figures) -> None:
        super().__init__(logging.WARNING)
        self.figures = figures

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.figures.tracebacks.append(f"{record.name}: {record.getMessage()[:200]}")


def random_text(rng: random.Random, length: int) -> str:
    low, high = rng.choice(SCRIPTS)
    return "".join(chr(rng.randint(low, high)) for _ in range(length))


def hostile_text(rng: random.Random) -> str:
    """One message a careless or malicious user might type."""
    kind = rng.randrange(7)
    if kind == 0:
        return random_text(rng, rng.randint(1, 60))
    if kind == 1:
        return "".join(rng.choice(INVISIBLE) + random_text(rng, 2) for _ in range(rng.randint(1, 10)))
    if kind == 2:
        return random_text(rng, rng.randint(4096, 4500))
    if kind == 3:
        return " ".join(rng.choice(MARKUP) for _ in range(rng.randint(1, 8))) + " fake news?"
    if kind == 4:
        return rng.choice(PAYLOADS)
    if kind == 5:
        return rng.choice(COMMANDS)
    return rng.choice(INVISIBLE) * rng.randint(1, 5)


async def replied(api, user_id: int, count: int, timeout: float = REPLY_TIMEOUT) -> bool:
    try:
        await api.wait_for_replies(user_id, count, timeout=timeout)
    except TimeoutError:
        return False
    return True


async def one_input(api, rng: random.Random, user_id: int, figures: Figures) -> None:
    """Send one hostile input (or a burst) and wait for its answer."""
    before = len(api.replies_to(user_id))
    roll = rng.random()
    if roll < 0.12:
        kind, expected = "forged button", 1
        api.press(rng.choice(FORGED) + (str(rng.randint(0, 10**30)) if rng.random() < 0.5 else ""), user_id=user_id)
    elif roll < 0.17:
        kind, expected = "burst", 3
        for _ in range(3):
            api.send_text(hostile_text(rng), user_id=user_id)
    elif roll < 0.20:
        kind, expected = "sticker", 1
        api.send_sticker(user_id=user_id)
    elif roll < 0.23:
        kind, expected = "edit", 1
        api.edit_text(hostile_text(rng), user_id=user_id)
    elif roll < 0.28:
        kind, expected = "duplicate", 1
        api.send_text("/help", user_id=user_id)
        api.deliver_again()
    else:
        kind, expected = "text", 1
        api.send_text(hostile_text(rng), user_id=user_id)
    figures.sent += expected
    figures.kinds[kind] += expected
    if not await replied(api, user_id, before + expected):
        figures.lost.append(f"user {user_id}: {kind}")
        return
    if kind == "duplicate":
        await asyncio.sleep(QUIET)
        figures.duplicates += len(api.replies_to(user_id)) - (before + 1) > 0


def inject_faults(api, rng: random.Random) -> None:
    """Now and then the next sendMessage fails or is slow."""
    roll = rng.random()
    if roll < 0.02:
        api.fail_next("sendMessage", 429, retry_after=1)
    elif roll < 0.03:
        api.fail_next("sendMessage", rng.choice([500, 502]))
    elif roll < 0.035:
        api.fail_next("sendMessage", 200, delay=6.0)


async def soak(settings: Settings, inputs: int, users: int, seed: int) -> Figures:
    from tests.e2e.conftest import start_bot

    figures = Figures()
    tracebacks = TracebackCounter(figures)
    logging.getLogger().addHandler(tracebacks)
    try:
        async with start_bot(settings) as bot:
            api = bot.api
            user_ids = list(range(5000, 5000 + users))
            for user_id in user_ids:  # a first message may bring a language notice: settle it up front
                api.press("l:en", user_id=user_id)
                await replied(api, user_id, 1)

            async def user(index: int, user_id: int) -> None:
                rng = random.Random(seed * 1000 + index)
                while figures.sent < inputs:
                    inject_faults(api, rng)
                    await one_input(api, rng, user_id, figures)

            await asyncio.gather(*(user(i, u) for i, u in enumerate(user_ids)))
            for user_id in user_ids:  # anyone left without answers?
                before = len(api.replies_to(user_id))
                api.send_text("/help", user_id=user_id)
                if not await replied(api, user_id, before + 1):
                    figures.wedged.append(user_id)
    finally:
        logging.getLogger().removeHandler(tracebacks)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        settings = scratch_settings(Path(tmp), action_server_port=5079)
        migrate(settings.database_url)
        with runner.action_server(settings):
            figures = asyncio.run(soak(settings, args.inputs, args.users, args.seed))
    print(f"hostile inputs sent: {figures.sent} by {args.users} users in {time.perf_counter() - began:.0f} s ({dict(figures.kinds)})")
    print(f"lost (no reply within {REPLY_TIMEOUT:.0f} s): {len(figures.lost)} {figures.lost[:5]}")
    print(f"duplicate answers to an update delivered twice: {figures.duplicates} of {figures.kinds['duplicate']}")
    print(f"wedged users (no answer to /help at the end): {len(figures.wedged)}")
    print(f"log records with a traceback: {len(figures.tracebacks)} {figures.tracebacks[:5]}")


if __name__ == "__main__":
    main()
