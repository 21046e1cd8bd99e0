"""The evaluation sets: held out from training, big enough, and scored with floors against regressions.

eval.tsv is the development set the issue asks for; holdout.tsv was written later by someone who saw
neither the training data nor eval.tsv, and is only ever scored, never tuned on.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.evaluate import read_rows, run
from bot.language.detect import read_nlu_examples

MINIMUM_ROWS = {"en": 40, "bn": 40, "th": 40, "ur": 40, "ur-Latn": 15, "bn-Latn": 15}
# Floors sit below what the model reaches today (see the issue notes); they catch regressions.
LANGUAGE_FLOORS = {"en": 0.85, "bn": 1.0, "th": 1.0, "ur": 1.0, "ur-Latn": 0.85, "bn-Latn": 0.8}
INTENT_FLOOR = 0.9


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]+", " ", text.lower()).split())


EVALUATION_SETS = ["eval.tsv", "holdout.tsv"]


@pytest.fixture(scope="module")
def eval_path(root: Path) -> Path:
    return root / "tests" / "data" / "eval.tsv"


@pytest.fixture(scope="module", params=EVALUATION_SETS)
def any_eval_path(root: Path, request: pytest.FixtureRequest) -> Path:
    return root / "tests" / "data" / request.param


def test_development_set_is_big_enough(eval_path: Path) -> None:
    counts = Counter(row.lang for row in read_rows(eval_path))
    for lang, minimum in MINIMUM_ROWS.items():
        assert counts[lang] >= minimum, f"{lang}: {counts[lang]} rows"


def test_no_evaluation_message_is_in_the_training_data(any_eval_path: Path, root: Path) -> None:
    training = {normalise(text) for path in (root / "data").rglob("*.yml") for text in read_nlu_examples(path)}
    training |= {normalise(line) for path in (root / "data" / "language").glob("*.txt") for line in path.read_text().splitlines()}
    leaked = [row.text for row in read_rows(any_eval_path) if normalise(row.text) in training]
    assert leaked == []


def test_the_test_set_shares_no_message_with_the_development_set(root: Path) -> None:
    development = {normalise(row.text) for row in read_rows(root / "tests" / "data" / "eval.tsv")}
    assert [row.text for row in read_rows(root / "tests" / "data" / "holdout.tsv") if normalise(row.text) in development] == []


def test_accuracy_floors(any_eval_path: Path) -> None:
    summary, _ = asyncio.run(run(any_eval_path))
    for lang, scores in summary["by_language"].items():
        assert scores["language_accuracy"] >= LANGUAGE_FLOORS[lang], (lang, scores)
        assert scores["intent_accuracy"] >= INTENT_FLOOR, (lang, scores)
