"""The evaluation sets: held out from training, big enough, and scored with floors against regressions.

tests/data/intents/ and tests/data/articles/ each hold a development set (`dev/`, looked at while
tuning) and a test set (`test/`, only ever scored). Both were written apart from the training data
and the articles, by people who saw neither; these tests keep it that way.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.evaluate import read_rows, read_tsv, run, run_articles
from bot.language.detect import read_nlu_examples
from bot.library.store import read_examples

LANGUAGES = ("en", "bn", "th", "ur", "ur-Latn", "bn-Latn")
MINIMUM_INTENT_ROWS = 130
MINIMUM_ARTICLE_ROWS = 200
# Floors sit a little below what the pipeline reaches today on the weakest language (the closing
# notes give the figures; the targets are higher): they catch regressions, not targets.
LANGUAGE_FLOORS = {"en": 0.85, "bn": 0.95, "th": 0.95, "ur": 0.95, "ur-Latn": 0.8, "bn-Latn": 0.8}
INTENT_FLOOR = 0.88  # romanized Urdu, the weakest, is at 91.2 % (deterministic training, 2026-12-01 data)
ARTICLE_FLOORS = {"top1": 0.7, "offered": 0.8, "not_covered": 0.65}
# Two trainings of the same model moved romanized Bengali's refused questions from under 16 % to 19.8 %:
# the ceiling catches a regression, not that noise. The figures themselves: make evaluate-articles.
WRONGLY_NOT_COVERED_CEILING = 0.15


def normalise(text: str) -> str:
    """Case and punctuation folded; a message of only emoji or punctuation is compared as typed."""
    return " ".join(re.sub(r"[^\w\s]+", " ", text.lower()).split()) or text.strip()


def texts(path: Path, columns: list[str]) -> set[str]:
    return {normalise(row["text"]) for row in read_tsv(path, columns)}


@pytest.fixture(scope="module")
def data(root: Path) -> Path:
    return root / "tests" / "data"


@pytest.fixture(scope="module")
def training_texts(root: Path, library_store) -> set[str]:
    """Everything the models learn from: NLU examples, detector lines, article examples and questions."""
    training = {normalise(text) for path in (root / "data").rglob("*.yml") for text in read_nlu_examples(path)}
    training |= {normalise(line) for path in (root / "data" / "language").glob("*.txt") for line in path.read_text().splitlines()}
    training |= {normalise(text) for lines in read_examples(root / "data" / "articles").values() for text in lines}
    for article in library_store.library.articles.values():
        training |= {normalise(q) for text in article.texts.values() for q in (text.title, *text.questions)}
    return training


@pytest.mark.parametrize("kind", ["intents", "articles"])
@pytest.mark.parametrize("split", ["dev", "test"])
def test_sets_are_big_enough_in_every_language(data: Path, kind: str, split: str) -> None:
    column = "intent" if kind == "intents" else "article"
    counts = Counter(row["lang"] for row in read_tsv(data / kind / split, ["lang", column, "text"]))
    minimum = MINIMUM_INTENT_ROWS if kind == "intents" else MINIMUM_ARTICLE_ROWS
    assert {lang: counts[lang] for lang in LANGUAGES if counts[lang] < minimum} == {}


@pytest.mark.parametrize("kind", ["intents", "articles"])
@pytest.mark.parametrize("split", ["dev", "test"])
def test_no_evaluation_message_is_in_the_training_data(data: Path, training_texts: set[str], kind: str, split: str) -> None:
    column = "intent" if kind == "intents" else "article"
    leaked = sorted(texts(data / kind / split, ["lang", column, "text"]) & training_texts)
    assert leaked == []


@pytest.mark.parametrize("kind", ["intents", "articles"])
def test_the_test_set_shares_no_message_with_the_development_set(data: Path, kind: str) -> None:
    column = "intent" if kind == "intents" else "article"
    columns = ["lang", column, "text"]
    assert sorted(texts(data / kind / "dev", columns) & texts(data / kind / "test", columns)) == []


def test_article_labels_name_real_articles(data: Path, library_store) -> None:
    known = {*library_store.library.articles, "none"}
    for split in ("dev", "test"):
        assert {row["article"] for row in read_tsv(data / "articles" / split, ["lang", "article", "text"])} <= known


# Floors on the untouched test set only: the development set is where thresholds are tuned, so its
# figures say little about regressions (make evaluate prints both).
@pytest.mark.slow
def test_intent_and_language_floors(data: Path) -> None:
    summary, _ = asyncio.run(run(data / "intents" / "test"))
    for lang, scores in summary["by_language"].items():
        assert scores["language_accuracy"] >= LANGUAGE_FLOORS[lang], (lang, scores)
        assert scores["intent_accuracy"] >= INTENT_FLOOR, (lang, scores)


@pytest.mark.slow
def test_article_floors(data: Path) -> None:
    summary = asyncio.run(run_articles(data / "articles" / "test"))
    for lang, scores in summary.items():
        for figure, floor in ARTICLE_FLOORS.items():
            assert scores[figure] >= floor, (lang, figure, scores)
        assert scores["wrongly_not_covered"] <= WRONGLY_NOT_COVERED_CEILING, (lang, scores)


def test_rows_parse_in_every_file(data: Path) -> None:
    for path in sorted((data / "intents").rglob("*.tsv")):
        assert read_rows(path), path


@pytest.mark.parametrize(
    ("ranking", "expected"),
    [
        ((("greet", 0.9), ("thanks", 0.05)), "greet"),
        ((("nlu_fallback", 0.4), ("greet", 0.29), ("thanks", 0.2)), "nlu_fallback"),  # below the threshold
        ((("greet", 0.45), ("thanks", 0.44)), "nlu_fallback"),  # a coin toss
        ((("nlu_fallback", 0.4), ("greet", 0.5), ("thanks", 0.1)), "greet"),  # Rasa's own verdict is ignored
        ((), "nlu_fallback"),
    ],
)
def test_the_fallback_sweep_applies_rasas_rule(ranking: tuple, expected: str) -> None:
    from bot.evaluate import with_fallback

    assert with_fallback(ranking, threshold=0.3, ambiguity=0.02) == expected
