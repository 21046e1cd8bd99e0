from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.storage.questions import QuestionRepository, write_gap_report


def test_gap_report_counts_questions_per_language(sessions, tmp_path: Path) -> None:
    questions = QuestionRepository(sessions)
    questions.record(
        kind="low_confidence", text="How to stop  trolls?", language="en", section_guess="managing", best_guess="mg-hateful-comments"
    )
    questions.record(
        kind="low_confidence", text="how to stop trolls?", language="en", section_guess="managing", best_guess="mg-hateful-comments"
    )
    questions.record(
        kind="thumbs_down", text="how to stop trolls?", language="en", section_guess="managing", best_guess="mg-hateful-comments"
    )
    questions.record(kind="unanswered", text="টিকটক লাইভ কিভাবে", language="bn", section_guess=None, best_guess=None)
    paths = write_gap_report(questions.all(), tmp_path)
    assert sorted(p.name for p in paths) == ["gaps-bn.csv", "gaps-en.csv"]
    rows = list(csv.DictReader((tmp_path / "gaps-en.csv").open(encoding="utf-8")))
    assert rows[0]["question"] == "how to stop trolls?" and rows[0]["count"] == "3"
    assert rows[0]["kinds"] == "low_confidence thumbs_down" and rows[0]["best_guess"] == "mg-hateful-comments"
    bengali = list(csv.DictReader((tmp_path / "gaps-bn.csv").open(encoding="utf-8")))
    assert bengali[0]["question"] == "টিকটক লাইভ কিভাবে"


def test_unknown_kind_is_refused(sessions) -> None:
    with pytest.raises(ValueError):
        QuestionRepository(sessions).record(kind="other", text="x", language="en", section_guess=None, best_guess=None)
