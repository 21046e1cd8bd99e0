"""Evaluate language detection, intent recognition and article matching on real-looking messages.

    python -m bot.evaluate tests/data/intents/test [--json]          # language and intent
    python -m bot.evaluate tests/data/articles/test --articles      # the library's decision policy
    python -m bot.evaluate tests/data/articles/dev --calibrate      # sweep the decision thresholds

PATH is a TSV file or a folder of them. Intent files: `lang<TAB>intent<TAB>text`; `lang` is a locale
code or a romanized variant such as ur-Latn, which counts as correct when detected as its language (ur).
Article files: `lang<TAB>article<TAB>text`, where article is an id or `none` (the library lacks it).
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
from bot.library.answering import CANDIDATES, reply_from
from bot.library.decision import LEXICAL, SEMANTIC, Thresholds
from bot.library.model import SECTIONS, Library
from bot.library.retrieval import ArticleRetriever, Ranking
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
    """A TSV file, or a folder of them (one per language), with the header lang<TAB>intent<TAB>text."""
    return [Row(r["lang"], r["intent"], r["text"]) for r in read_tsv(path, ["lang", "intent", "text"])]


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


FALLBACK_GRID = [(threshold, ambiguity) for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5) for ambiguity in (0.0, 0.02, 0.05, 0.1)]


def with_fallback(ranking: tuple[tuple[str, float], ...], threshold: float, ambiguity: float) -> str:
    """Rasa's FallbackClassifier rule, applied to a ranking stripped of its own nlu_fallback entry."""
    ranked = [(name, confidence) for name, confidence in ranking if name != "nlu_fallback"]
    if not ranked:
        return "nlu_fallback"
    top, confidence = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return "nlu_fallback" if confidence < threshold or confidence - runner_up < ambiguity else top


_PARSERS: dict[Path, RasaBrain] = {}


async def parser() -> RasaBrain:
    """The trained model, for parsing only; loaded once per process, so the intent and the article
    figures (two runs in one test session) share it."""
    path = model_path(settings().models_dir)
    if path not in _PARSERS:
        _PARSERS[path] = await RasaBrain.load_for_parsing(path)
    return _PARSERS[path]


async def sweep_fallback(path: Path) -> None:
    """Intent accuracy per language for each FallbackClassifier setting (config.yml), on PATH."""
    brain = await parser()
    rows = read_rows(path)
    rankings = [(await brain.understand(row.text)).ranking for row in rows]
    languages = sorted({row.lang for row in rows})
    print(f"{'threshold':>9}{'ambiguity':>10}" + "".join(f"{lang:>9}" for lang in [*languages, "all"]))
    for threshold, ambiguity in FALLBACK_GRID:
        hits = [with_fallback(ranking, threshold, ambiguity) == row.intent for row, ranking in zip(rows, rankings, strict=True)]
        rates = [share(hits, [lang in (row.lang, "all") for row in rows]) for lang in [*languages, "all"]]
        print(f"{threshold:>9.2f}{ambiguity:>10.2f}" + "".join(f"{rate:>9.1%}" for rate in rates))


def share(hits: list[bool], chosen: list[bool]) -> float:
    """The share of hits among the chosen rows."""
    return sum(hit for hit, keep in zip(hits, chosen, strict=True) if keep) / max(sum(chosen), 1)


async def run(path: Path) -> tuple[dict[str, Any], list[Outcome]]:
    config = settings()
    brain = await parser()
    outcomes, ms = await evaluate(read_rows(path), detector_for(config), brain)
    return summarise(outcomes, ms), outcomes


def read_tsv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """One TSV file, or every `*.tsv` in a folder (a file per language), with the given header."""
    rows: list[dict[str, str]] = []
    for file in sorted(path.glob("*.tsv")) if path.is_dir() else [path]:
        with file.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if reader.fieldnames != columns:
                raise SystemExit(f"{file}:1: the header must be {'<TAB>'.join(columns)}")
            rows.extend(reader)
    return rows


@dataclass(frozen=True)
class ArticleOutcome:
    lang: str
    expected: str  # an article id, or "none" for a question the library does not cover
    kind: str  # answer | suggest | not_covered | out_of_scope | <another intent>
    offered: tuple[str, ...]


@dataclass(frozen=True)
class Observation:
    """What the NLU and the retriever made of one question, before any threshold is applied."""

    lang: str
    expected: str  # an article id, or "none" for a question the library does not cover
    intent: str
    confidence: float
    ranking: Ranking


async def observe(rows: list[dict[str, str]], brain: RasaBrain, retriever: ArticleRetriever) -> list[Observation]:
    observations = []
    for row in rows:
        understanding = await brain.understand(row["text"])
        ranking = retriever.assess(row["text"], limit=CANDIDATES)
        intent = understanding.intent.split("/")[0]
        observations.append(Observation(row["lang"], row["article"], intent, understanding.confidence, ranking))
    return observations


def article_outcomes(observations: list[Observation], thresholds: Thresholds, library: Library) -> list[ArticleOutcome]:
    """What the bot does with each question: the NLU first, then the library's decision policy."""
    outcomes = []
    for o in observations:
        if o.intent in (*SECTIONS, "nlu_fallback"):
            decision, spec = reply_from(o.ranking, thresholds, o.intent, o.confidence)
            kind, offered = decision.kind, decision.article_ids
            if "section" in spec:  # urgent, unmatched: the whole urgent section is offered
                kind, offered = "suggest", tuple(a.id for a in library.section_articles(spec["section"]))
        else:
            kind, offered = o.intent, ()
        outcomes.append(ArticleOutcome(o.lang, o.expected, kind, offered))
    return outcomes


HONEST_NO = ("not_covered", "out_of_scope")


def summarise_articles(outcomes: list[ArticleOutcome]) -> dict[str, Any]:
    """Per language: right article first, right article offered, and the two "not covered" rates."""
    by_language: dict[str, list[ArticleOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_language[outcome.lang].append(outcome)
    by_language["all"] = outcomes

    def scores(group: list[ArticleOutcome]) -> dict[str, Any]:
        covered = [o for o in group if o.expected != "none"]
        uncovered = [o for o in group if o.expected == "none"]
        rate = lambda hits, n: round(hits / n, 4) if n else None
        return {
            "n": len(covered),
            "top1": rate(sum(o.kind == "answer" and o.offered[0] == o.expected for o in covered), len(covered)),
            "offered": rate(sum(o.expected in o.offered for o in covered), len(covered)),
            "wrongly_not_covered": rate(sum(o.kind in HONEST_NO for o in covered), len(covered)),
            "n_none": len(uncovered),
            "not_covered": rate(sum(o.kind in HONEST_NO for o in uncovered), len(uncovered)),
            "confident_wrong_on_none": rate(sum(o.kind == "answer" for o in uncovered), len(uncovered)),
        }

    return {lang: scores(group) for lang, group in sorted(by_language.items())}


def print_articles(summary: dict[str, Any]) -> None:
    pct = lambda value: "    -" if value is None else f"{value:6.1%}"
    print(f"{'lang':<9}{'n':>5}{'first':>8}{'offered':>9}{'wrong-nc':>10}{'n none':>8}{'nc':>8}{'wrong-ans':>11}")
    for lang, s in summary.items():
        print(
            f"{lang:<9}{s['n']:>5}{pct(s['top1']):>8}{pct(s['offered']):>9}{pct(s['wrongly_not_covered']):>10}"
            f"{s['n_none']:>8}{pct(s['not_covered']):>8}{pct(s['confident_wrong_on_none']):>11}"
        )
    print(
        "first: right article answered directly · offered: right article answered or among the did-you-mean buttons\n"
        "wrong-nc: library questions told 'not covered' · nc: questions the library lacks told so · "
        "wrong-ans: those answered with an article anyway"
    )


async def observe_articles(path: Path) -> tuple[list[Observation], ArticleRetriever]:
    from bot.services import library_for

    config = settings()
    brain = await parser()
    retriever = library_for(config).retriever
    return await observe(read_tsv(path, ["lang", "article", "text"]), brain, retriever), retriever


async def run_articles(path: Path) -> dict[str, Any]:
    """How the bot handles library questions (`lang<TAB>article<TAB>text`, article may be `none`)."""
    observations, retriever = await observe_articles(path)
    thresholds = SEMANTIC if retriever.semantic else LEXICAL
    return summarise_articles(article_outcomes(observations, thresholds, retriever.library))


async def calibrate(path: Path) -> None:
    """Sweep the decision thresholds on a development set; print the best settings that keep "not
    covered" honest: at most 5 % of library questions refused, at least 80 % of gaps admitted."""
    import itertools

    observations, retriever = await observe_articles(path)
    grid = itertools.product(
        (0.4, 0.6, 0.8, 1.0, 1.2),  # answer
        (0.0, 0.05, 0.1),  # margin
        (0.3, 0.45, 0.6, 0.75, 0.9),  # suggest
        (0.0, 0.1),  # section bonus
        (0.2,),  # keep
        (0.2, 0.3, 0.4, 0.5),  # uncovered
        (0.0, 0.4, 0.6),  # also
        (-0.01, 0.0, 0.01, 0.02, float("inf")),  # gap_lead
    )
    results = []
    for answer, margin, suggest, bonus, keep, uncovered, also, gap_lead in grid:
        thresholds = Thresholds(answer, margin, suggest, bonus, keep, uncovered=uncovered, also=also, gap_lead=gap_lead)
        results.append((summarise_articles(article_outcomes(observations, thresholds, retriever.library))["all"], thresholds))
    honest = [r for r in results if r[0]["wrongly_not_covered"] <= 0.05 and r[0]["not_covered"] >= 0.8]
    honest.sort(key=lambda r: -(r[0]["top1"] + r[0]["offered"]))
    for s, t in honest[:15]:
        print(
            f"answer {t.answer:.2f} margin {t.margin:.2f} suggest {t.suggest:.2f} bonus {t.section_bonus:.2f} "
            f"uncovered {t.uncovered:.2f} also {t.also:.2f} gap lead {t.gap_lead:.2f}  first {s['top1']:.3f} offered {s['offered']:.3f} "
            f"wrong-nc {s['wrongly_not_covered']:.3f} nc {s['not_covered']:.3f}"
        )
    if not honest:
        print("no setting keeps wrongly refused questions at or under 5 % with 80 % of gaps admitted")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--calibrate", action="store_true", help="PATH is lang/article/text: sweep the decision thresholds")
    parser.add_argument("--fallback", action="store_true", help="PATH is lang/intent/text: sweep the intent fallback thresholds")
    parser.add_argument(
        "--articles", action="store_true", help="PATH (a .tsv or a folder of them) is lang/article/text: score article picking"
    )
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.WARNING)
    if args.calibrate:
        asyncio.run(calibrate(args.path))
        return 0
    if args.fallback:
        asyncio.run(sweep_fallback(args.path))
        return 0
    if args.articles:
        summary = asyncio.run(run_articles(args.path))
        print(json.dumps(summary, ensure_ascii=False)) if args.json else print_articles(summary)
        return 0
    summary, outcomes = asyncio.run(run(args.path))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print_table(summary, outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
