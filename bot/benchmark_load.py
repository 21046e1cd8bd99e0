"""Many users at once (figures, not tests): python -m bot.benchmark_load [--users 50]

Side by side, in one run, on one model, one action server and the same kind of tracker store:
- the bare engine: Rasa's agent answering messages directly (no Telegram, no conversation layer);
- the bot: `python -m bot run` in its own process, as `make run` starts it, polling a Bot API double
  over HTTP and answering the same messages. The double and the simulated users live in this
  process, so their work is not counted against the bot's event loop (they still share the CPUs).

Printed: one user's reply p50/p95 for both; with N users typing at once, turns per second for both
and the bot's p95; and the reply time of button presses (no engine needed) while N users type.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot import runner
from bot.benchmark import percentile, scratch_settings
from bot.brain.rasa_brain import RasaBrain
from bot.brain.training import model_path
from bot.evaluate import read_tsv
from bot.settings import Settings, load_settings
from bot.storage.db import migrate

ROUNDS = 4  # messages each user sends, one after the other, in the concurrent phase
SINGLE = 30  # messages one user sends alone
BUTTON = "s:misinformation:0"
ROOT = Path(__file__).resolve().parents[1]


def questions(root: Path) -> list[tuple[str, str]]:
    """(language, text) of development-set library questions, native scripts and English only: each
    then gets exactly one reply message, so a turn is over when that message arrives."""
    rows = read_tsv(root / "tests" / "data" / "articles" / "dev", ["lang", "article", "text"])
    return [(row["lang"], row["text"]) for row in rows if "-" not in row["lang"]]


def english(messages: list[tuple[str, str]]) -> list[str]:
    return [text for lang, text in messages if lang == "en"]


def user_script(messages: list[tuple[str, str]], number: int, rounds: int = ROUNDS) -> tuple[str, list[str]]:
    """User `number`'s language and the `rounds` questions they send, all in that language (a message
    in another language would bring a language notice, a second reply)."""
    first = number * rounds
    lang, first_text = messages[first % len(messages)]
    turns = (messages[(first + turn) % len(messages)] for turn in range(rounds))
    return lang, [text if their_lang == lang else first_text for their_lang, text in turns]


def summary(name: str, timings: list[float]) -> str:
    return f"{name}: p50 {statistics.median(timings):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms (n={len(timings)})"


# --- the bare engine ------------------------------------------------------------------------------


async def engine_alone(settings: Settings, messages: list[tuple[str, str]], users: int) -> tuple[list[float], float]:
    brain = await RasaBrain.load(model_path(settings.models_dir), settings.tracker_store_url, settings.action_server_url)
    for index in range(3):  # lazy parts load on first use
        await brain.respond(f"warm{index}", messages[index][1], {"language": messages[index][0]})
    single = []
    for text in english(messages)[:SINGLE]:  # the same messages the bot gets alone, below
        began = time.perf_counter()
        await brain.respond("single", text, {"language": "en"})
        single.append((time.perf_counter() - began) * 1000)

    async def user(number: int) -> None:
        for turn in range(ROUNDS):
            lang, text = messages[(number * ROUNDS + turn) % len(messages)]
            await brain.respond(f"load{number}", text, {"language": lang})

    began = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    return single, users * ROUNDS / (time.perf_counter() - began)


# --- the bot over Telegram ------------------------------------------------------------------------


async def bot_over_telegram(tmp: Path, messages: list[tuple[str, str]], users: int) -> dict[str, object]:
    """The bot as `make run` starts it (its own process, its own action server, SQLite), polling the
    double."""
    from tests.e2e.bot_api_double import BotApiDouble
    from tests.e2e.conftest import process_environment

    api = BotApiDouble(token="123:BENCH")
    await api.start()
    folder = tmp / "bot"
    folder.mkdir()
    with open(tmp / "bot.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=process_environment(api, folder),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    try:
        while not api.sent("setMyCommands"):  # it polls once it has registered its commands
            if process.poll() is not None:
                raise SystemExit(f"the bot exited with {process.returncode}:\n{(tmp / 'bot.log').read_text(errors='replace')[-2000:]}")
            await asyncio.sleep(0.5)
        return await _measure(api, messages, users)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        await api.stop()


async def _turn(api, user_id: int, lang: str, text: str | None = None, button: str | None = None) -> float:
    before = len(api.replies_to(user_id))
    began = time.perf_counter()
    if button:
        api.press(button, user_id=user_id, language_code=lang)
    else:
        api.send_text(text or "", user_id=user_id, language_code=lang)
    await api.wait_for_replies(user_id, before + 1)
    return (time.perf_counter() - began) * 1000


async def _timed_press(api, user_id: int) -> tuple[float, float, float]:
    """One button press: its reply time, and the two parts of it (ms): waiting for the bot's next
    getUpdates, and the bot's handling from that delivery to the reply's arrival at the double."""
    before = len(api.replies_to(user_id))
    update = api.press_update(BUTTON, user_id=user_id, language_code="en")
    update_id = update["update_id"]
    api.queue(update)
    replies = await api.wait_for_replies(user_id, before + 1)
    arrived = replies[before].at
    delivered = api.delivered.get(update_id, arrived)
    return (arrived - api.queued[update_id]) * 1000, (delivered - api.queued[update_id]) * 1000, (arrived - delivered) * 1000


async def _settle(api, user_id: int, lang: str) -> None:
    """A new user's first message may bring a language notice: choose the language up front."""
    await _turn(api, user_id, lang, button=f"l:{lang}")


async def _measure(api, messages: list[tuple[str, str]], users: int) -> dict[str, object]:
    warm = 500
    await _settle(api, warm, messages[0][0])
    for lang, text in messages[:3]:
        await _turn(api, warm, messages[0][0], text if lang == messages[0][0] else messages[0][1])
    single_user = 600
    await _settle(api, single_user, "en")
    single = [await _turn(api, single_user, "en", text) for text in english(messages)[:SINGLE]]

    crowd = list(range(1000, 1000 + users))
    scripts = [user_script(messages, number) for number in range(users)]
    for user_id, (lang, _) in zip(crowd, scripts, strict=True):
        await _settle(api, user_id, lang)

    async def user(user_id: int, lang: str, texts: list[str]) -> list[float]:
        return [await _turn(api, user_id, lang, text) for text in texts]

    presser, pressing = 700, asyncio.Event()
    await _settle(api, presser, "en")

    async def press_buttons() -> list[tuple[float, float, float]]:
        timings = []
        while not pressing.is_set():
            timings.append(await _timed_press(api, presser))
            await asyncio.sleep(0.1)
        return timings

    began = time.perf_counter()
    presses = asyncio.create_task(press_buttons())
    crowd_timings = await asyncio.gather(*(user(u, *script) for u, script in zip(crowd, scripts, strict=True)))
    elapsed = time.perf_counter() - began
    pressing.set()
    button_timings = await presses
    flat = [t for timings in crowd_timings for t in timings]
    return {"single": single, "crowd": flat, "throughput": len(flat) / elapsed, "buttons": button_timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    base = load_settings()
    messages = questions(base.project_root)
    with tempfile.TemporaryDirectory() as tmp:
        settings = scratch_settings(Path(tmp), action_server_port=5078)
        migrate(settings.database_url)
        engine_settings = dataclasses.replace(settings, tracker_store_url=f"sqlite:///{tmp}/engine-tracker.db")
        with runner.action_server(settings):
            engine_single, engine_rate = asyncio.run(engine_alone(engine_settings, messages, args.users))
        bot = asyncio.run(bot_over_telegram(Path(tmp), messages, args.users))
    bot_single, crowd, buttons = bot["single"], bot["crowd"], bot["buttons"]
    print(summary("bare engine, one user", engine_single))
    print(summary("bot over Telegram, one user", bot_single))
    ratio = statistics.median(bot_single) / statistics.median(engine_single)
    print(f"one user: bot p50 / engine p50 = {ratio:.2f} (target <= 1.3)")
    print(f"{args.users} users at once: bare engine {engine_rate:.1f} turns/s, bot {bot['throughput']:.1f} turns/s")
    print(f"{args.users} users at once: bot throughput / engine throughput = {bot['throughput'] / engine_rate:.2f} (target >= 0.8)")
    print(summary(f"bot over Telegram, {args.users} users at once", crowd))
    p95_ratio = percentile(crowd, 0.95) / percentile(bot_single, 0.95)
    print(f"{args.users} users at once: bot p95 / one-user p95 = {p95_ratio:.2f} (target <= 3)")
    print(summary(f"button press (no engine) while {args.users} users type", [t for t, _, _ in buttons]) + " (target p95 <= 100 ms)")
    print(summary("  of which waiting for the bot's getUpdates", [w for _, w, _ in buttons]))
    print(summary("  of which the bot's handling, delivery to reply", [h for _, _, h in buttons]))


if __name__ == "__main__":
    main()
