"""Print speed and memory figures (not tests): python -m bot.benchmark

Measures language detection per message, the full message-to-reply time through the conversation
layer with the real model and action server (as in the console chat), library reload time, and the
bot process's resident memory.
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
from bot.evaluate import read_rows
from bot.evaluate import run as evaluation
from bot.replies import Incoming
from bot.services import detector_for
from bot.settings import load_settings
from bot.storage.db import migrate


def sample_messages(path: Path) -> list[str]:
    """A short and a long message of every language variant in the development set."""
    by_language: dict[str, list[str]] = {}
    for row in read_rows(path):
        by_language.setdefault(row.lang, []).append(row.text)
    return [text for texts in by_language.values() for text in (min(texts, key=len), max(texts, key=len))]


def weighted(groups: list[dict], key: str) -> float:
    total = sum(g["n"] for g in groups)
    return sum(g[key] * g["n"] for g in groups) / total if total else 0.0


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_detection(settings, rows_path: Path) -> float:
    detector = detector_for(settings)
    texts = [row.text for row in read_rows(rows_path)] * 20
    started = time.perf_counter()
    for text in texts:
        detector.detect(text)
    return (time.perf_counter() - started) * 1000 / len(texts)


async def bench_replies(settings, messages: list[str]) -> tuple[float, float, list[float]]:
    started = time.perf_counter()
    conversation = await runner.build_conversation(settings)
    load_seconds = time.perf_counter() - started
    timings = []
    for round_ in range(3):
        for index, text in enumerate(messages):
            user = 10_000 + index
            began = time.perf_counter()
            await conversation.handle(Incoming(user, user, text=text, language_code=None))
            if round_:  # the first round warms caches
                timings.append((time.perf_counter() - began) * 1000)
    reload_started = time.perf_counter()
    conversation.s.library.refresh(force=True)
    return load_seconds, time.perf_counter() - reload_started, timings


def main() -> None:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        base = load_settings()
        settings = load_settings(
            environ={
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "TRACKER_STORE_URL": f"sqlite:///{tmp}/tracker.db",
                "ACTION_SERVER_PORT": "5077",
                "LOG_LEVEL": "ERROR",
            },
            dotenv=Path(tmp) / "none.env",
        )
        eval_path = base.project_root / "tests" / "data" / "eval.tsv"
        detection_ms = bench_detection(base, eval_path)
        print(f"language detection: {detection_ms:.3f} ms per message")
        migrate(settings.database_url)
        with runner.action_server(settings):
            load_s, reload_s, timings = asyncio.run(bench_replies(settings, sample_messages(eval_path)))
        print(f"model and services load: {load_s:.1f} s")
        median, worst = statistics.median(timings), max(timings)
        print(f"message to reply (console path, real model + action server): median {median:.0f} ms, max {worst:.0f} ms, n={len(timings)}")
        print(f"library reload (all languages, with check): {reload_s * 1000:.0f} ms")
        print(f"bot process resident memory (peak): {rss_mb():.0f} MB")
        for name in ("eval.tsv", "holdout.tsv"):
            print_accuracy(base.project_root / "tests" / "data" / name)


def print_accuracy(path: Path) -> None:
    """The issue's accuracy targets, on one evaluation set."""
    summary, _ = asyncio.run(evaluation(path))
    native = [s for lang, s in summary["by_language"].items() if "-" not in lang and lang != "en"]
    romanized = [s for lang, s in summary["by_language"].items() if "-" in lang]
    native_share, romanized_share = weighted(native, "language_accuracy"), weighted(romanized, "language_accuracy")
    english_share = summary["by_language"]["en"]["language_accuracy"]
    print(f"{path.name}: language accuracy: native script {native_share:.1%}, romanized {romanized_share:.1%}, English {english_share:.1%}")
    by_language = ", ".join(f"{lang} {s['intent_accuracy']:.1%}" for lang, s in summary["by_language"].items())
    print(f"{path.name}: intent accuracy on unseen messages: {by_language}")


if __name__ == "__main__":
    main()
