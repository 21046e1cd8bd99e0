"""Print speed and memory figures (not tests): python -m bot.benchmark

Measures language detection per message, the full message-to-reply time through the conversation
layer with the real model and action server (as in the console chat), library reload time, and the
peak resident memory of each of the bot's three processes: its own, its engine's and its action server's.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import statistics
import tempfile
import time
from pathlib import Path

from bot import runner
from bot.evaluate import read_rows, read_tsv
from bot.evaluate import run as evaluation
from bot.replies import Incoming
from bot.services import detector_for
from bot.settings import Settings, load_settings
from bot.storage.db import migrate

PER_LANGUAGE = 12  # free-text questions per language variant, all different (nothing is served from a cache)


def sample_messages(path: Path) -> list[str]:
    """Library questions of every language variant in the development set: the shortest, the longest,
    and others spread between, each sent once."""
    by_language: dict[str, list[str]] = {}
    for row in read_tsv(path, ["lang", "article", "text"]):
        by_language.setdefault(row["lang"], []).append(row["text"])
    sample = []
    for texts in by_language.values():
        ordered = sorted(set(texts), key=len)
        step = max(1, len(ordered) // PER_LANGUAGE)
        sample.extend(ordered[::step][: PER_LANGUAGE - 1] + ordered[-1:])
    return sample


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def weighted(groups: list[dict], key: str) -> float:
    total = sum(g["n"] for g in groups)
    return sum(g[key] * g["n"] for g in groups) / total if total else 0.0


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb(pid: int | None) -> float:
    """Another running process's peak resident memory (Linux's VmHWM), 0 if it cannot be read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (OSError, TypeError):
        return 0.0
    peak = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), "0")
    return int(peak) / 1024


def scratch_settings(tmp: Path, action_server_port: int) -> Settings:
    """Settings for a measurement: databases in `tmp`, never the bot's own, and no .env."""
    return load_settings(
        environ={
            "DATABASE_URL": f"sqlite:///{tmp}/app.db",
            "TRACKER_STORE_URL": f"sqlite:///{tmp}/tracker.db",
            "ACTION_SERVER_PORT": str(action_server_port),
            "LOG_LEVEL": "ERROR",
        },
        dotenv=tmp / "none.env",
    )


def bench_detection(settings, rows_path: Path) -> float:
    detector = detector_for(settings)
    texts = [row.text for row in read_rows(rows_path)] * 20
    started = time.perf_counter()
    for text in texts:
        detector.detect(text)
    return (time.perf_counter() - started) * 1000 / len(texts)


async def bench_replies(settings, messages: list[str], warm_up: list[str]) -> tuple[float, float, list[float], float]:
    """Load time, library reload time, reply times, and the engine process's peak memory."""
    started = time.perf_counter()
    conversation = await runner.build_conversation(settings)
    load_seconds = time.perf_counter() - started
    for index, text in enumerate(warm_up):  # first calls load lazy parts (TensorFlow graphs, langdetect)
        await conversation.handle(Incoming(9_000 + index, 9_000 + index, text=text, language_code=None))
    timings = []
    for index, text in enumerate(messages):
        user = 10_000 + index
        began = time.perf_counter()
        await conversation.handle(Incoming(user, user, text=text, language_code=None))
        timings.append((time.perf_counter() - began) * 1000)
    reload_started = time.perf_counter()
    conversation.s.library.refresh(force=True)
    reload_seconds = time.perf_counter() - reload_started
    engine_mb = peak_rss_mb(getattr(conversation.s.brain, "pid", None))
    await asyncio.to_thread(conversation.s.brain.close)
    return load_seconds, reload_seconds, timings, engine_mb


def main() -> None:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        base = load_settings()
        settings = scratch_settings(Path(tmp), action_server_port=5077)
        data = base.project_root / "tests" / "data"
        detection_ms = bench_detection(base, data / "intents" / "dev")
        print(f"language detection: {detection_ms:.3f} ms per message")
        migrate(settings.database_url)
        with runner.action_server(settings) as actions:
            warm_up = [row.text for row in read_rows(data / "intents" / "dev")][:6]
            load_s, reload_s, timings, engine_mb = asyncio.run(bench_replies(settings, sample_messages(data / "articles" / "dev"), warm_up))
            actions_mb = peak_rss_mb(actions.pid)
        print(f"model and services load: {load_s:.1f} s")
        median, p95, worst = statistics.median(timings), percentile(timings, 0.95), max(timings)
        print(
            "free-text question to reply (console path, real model + action server, one user): "
            f"p50 {median:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms, n={len(timings)}"
        )
        print(f"library reload (all languages, with check): {reload_s * 1000:.0f} ms")
        bot_mb = rss_mb()
        total = bot_mb + engine_mb + actions_mb
        print(
            f"resident memory (peak): bot process {bot_mb:.0f} MB + engine process {engine_mb:.0f} MB"
            f" + action server {actions_mb:.0f} MB = {total:.0f} MB"
        )
        for split in ("dev", "test"):
            print_accuracy(data / "intents" / split)


def print_accuracy(path: Path) -> None:
    """The issue's accuracy targets, on one evaluation set."""
    summary, _ = asyncio.run(evaluation(path))
    native = [s for lang, s in summary["by_language"].items() if "-" not in lang and lang != "en"]
    romanized = [s for lang, s in summary["by_language"].items() if "-" in lang]
    native_share, romanized_share = weighted(native, "language_accuracy"), weighted(romanized, "language_accuracy")
    english_share = summary["by_language"]["en"]["language_accuracy"]
    name = f"intents/{path.name}"
    print(f"{name}: language accuracy: native script {native_share:.1%}, romanized {romanized_share:.1%}, English {english_share:.1%}")
    by_language = ", ".join(f"{lang} {s['intent_accuracy']:.1%}" for lang, s in summary["by_language"].items())
    print(f"{name}: intent accuracy on unseen messages: {by_language}")


if __name__ == "__main__":
    main()
