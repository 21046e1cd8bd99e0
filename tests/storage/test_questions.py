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


def test_what_could_identify_someone_is_blanked_before_it_is_stored(sessions) -> None:
    repository = QuestionRepository(sessions)
    repository.record(
        kind="unanswered",
        text="call me on +880 1712-345678 or rina@example.org, @rina_k",
        language="en",
        section_guess=None,
        best_guess=None,
    )
    [row] = repository.all()
    assert "1712" not in row.text and "rina@" not in row.text and "@rina_k" not in row.text and row.text.startswith("call me on")
