"""Evaluate language detection and intent recognition on a TSV of real-looking messages.

    python -m bot.evaluate tests/data/eval.tsv [--json]

The TSV's header is `lang<TAB>intent<TAB>text`; `lang` is a locale code or a romanized variant such
as ur-Latn, which counts as correct when detected as its language (ur). Intents compare at top level.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.brain.rasa_brain import RasaBrain
from bot.brain.training import model_path
from bot.language.detect import LanguageDetector
from bot.services import detector_for, settings


@dataclass(frozen=True)
class Row:
    lang: str
    intent: str
    text: str


@dataclass(frozen=True)
class Outcome:
    row: Row
    language: str | None
    intent: str


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != ["lang", "intent", "text"]:
            raise SystemExit(f"{path}:1: the header must be lang<TAB>intent<TAB>text")
        return [Row(r["lang"], r["intent"], r["text"]) for r in reader]


def expected_language(lang: str) -> str:
    return lang.split("-")[0]


async def evaluate(rows: list[Row], detector: LanguageDetector, brain: RasaBrain) -> tuple[list[Outcome], float]:
    """Run the real detector and model on every row; return outcomes and milliseconds per message."""
    outcomes = []
    started = time.perf_counter()
    for row in rows:
        detection = detector.detect(row.text)
        understanding = await brain.understand(row.text)
        outcomes.append(Outcome(row, detection.language, understanding.intent.split("/")[0]))
    return outcomes, (time.perf_counter() - started) * 1000 / max(len(rows), 1)


def summarise(outcomes: list[Outcome], ms_per_message: float) -> dict[str, Any]:
    def scores(group: list[Outcome]) -> dict[str, Any]:
        n = len(group)
        return {
            "n": n,
            "language_accuracy": round(sum(o.language == expected_language(o.row.lang) for o in group) / n, 4) if n else 0.0,
            "intent_accuracy": round(sum(o.intent == o.row.intent for o in group) / n, 4) if n else 0.0,
        }

    by_language: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_language[outcome.row.lang].append(outcome)
    return {
        **scores(outcomes),
        "by_language": {lang: scores(group) for lang, group in sorted(by_language.items())},
        "ms_per_message": round(ms_per_message, 3),
    }


def print_table(summary: dict[str, Any], outcomes: list[Outcome]) -> None:
    print(f"{'lang':<9}{'n':>5}{'language':>11}{'intent':>9}")
    for lang, s in summary["by_language"].items():
        print(f"{lang:<9}{s['n']:>5}{s['language_accuracy']:>11.1%}{s['intent_accuracy']:>9.1%}")
    print(f"{'all':<9}{summary['n']:>5}{summary['language_accuracy']:>11.1%}{summary['intent_accuracy']:>9.1%}")
    print(f"\n{summary['ms_per_message']:.2f} ms per message (detection + NLU)\n")
    confusions = Counter((o.row.intent, o.intent) for o in outcomes if o.intent != o.row.intent)
    if confusions:
        print("Top intent confusions (expected -> predicted):")
        for (expected, predicted), count in confusions.most_common(10):
            print(f"  {count:>3}  {expected} -> {predicted}")
    wrong_language = [o for o in outcomes if o.language != expected_language(o.row.lang)]
    if wrong_language:
        print("\nLanguage misses:")
        for o in wrong_language[:15]:
            print(f"  {o.row.lang:<8} -> {o.language or '-':<4} {o.row.text}")


async def run(path: Path) -> tuple[dict[str, Any], list[Outcome]]:
    config = settings()
    brain = await RasaBrain.load_for_parsing(model_path(config.models_dir))
    outcomes, ms = await evaluate(read_rows(path), detector_for(config), brain)
    return summarise(outcomes, ms), outcomes


async def run_articles(path: Path) -> dict[str, Any]:
    """How often a question reaches the right article: NLU picks the section, the library the article.

    The TSV's header is `lang<TAB>article<TAB>text`. `top1` is the article the bot answers with;
    `top3` counts the article among the three a "did you mean" would offer.
    """
    from bot.library.answering import best_article
    from bot.library.model import SECTIONS
    from bot.services import library_for

    config = settings()
    brain = await RasaBrain.load_for_parsing(model_path(config.models_dir))
    index = library_for(config).index
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    hits: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        intent = (await brain.understand(row["text"])).intent.split("/")[0]
        top3 = [hit.article_id for hit in index.search(row["text"], limit=3)]
        answered = best_article(index, row["text"], intent) if intent in SECTIONS else None
        counts = hits[row["lang"]]
        counts["n"] += 1
        counts["top1"] += answered == row["article"]
        counts["top3"] += row["article"] in top3 or answered == row["article"]
    return {
        lang: {"n": c["n"], "top1": round(c["top1"] / c["n"], 4), "top3": round(c["top3"] / c["n"], 4)} for lang, c in sorted(hits.items())
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--articles", action="store_true", help="PATH is lang/article/text: score article picking")
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.WARNING)
    if args.articles:
        print(json.dumps(asyncio.run(run_articles(args.path)), ensure_ascii=False))
        return 0
    summary, outcomes = asyncio.run(run(args.path))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print_table(summary, outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
