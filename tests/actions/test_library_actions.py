"""Actions run against a real tracker and real content; we assert the reply specs they emit."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.context as context
from actions.library import ActionAnswerLibrary, ActionLibraryFallback
from bot.storage.db import make_engine, make_sessions, migrate
from bot.storage.questions import QuestionRepository
from bot.storage.stats import StatsRepository


def tracker(text: str, intent: str, language: str = "en", ranking: list[dict[str, Any]] | None = None) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "entities": [],
        "metadata": {"language": language},
    }
    return Tracker("user-1", {}, message, [], False, None, {}, "action_listen")


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch, sqlite_url: str, semantic_store) -> QuestionRepository:
    migrate(sqlite_url)
    sessions = make_sessions(make_engine(sqlite_url))
    repository = QuestionRepository(sessions)
    stats = StatsRepository(sessions)
    monkeypatch.setattr(context, "questions", lambda: repository)
    monkeypatch.setattr(context, "stats", lambda: stats)
    monkeypatch.setattr(context, "library", lambda: semantic_store)
    return repository


async def run(action: Any, track: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, track, {})
    return [m["custom"] for m in dispatcher.messages], events


async def test_section_question_gets_the_best_article(questions) -> None:
    messages, events = await run(ActionAnswerLibrary(), tracker("how can I verify a photo before sharing", "misinformation"))
    assert messages == [{"article": "mi-verify"}] and events == []


async def test_button_payload_without_words_shows_the_section(questions) -> None:
    messages, _ = await run(ActionAnswerLibrary(), tracker("/case_studies", "case_studies"))
    assert messages == [{"section": "case_studies"}]


async def test_unsure_nlu_lets_the_library_decide_and_logs_anonymously(questions: QuestionRepository) -> None:
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "managing", "confidence": 0.3}]
    messages, _ = await run(ActionLibraryFallback(), tracker("trolls keep posting in our comments", "nlu_fallback", "th", ranking))
    assert set(messages[0]) & {"article", "suggest"}
    if "suggest" in messages[0]:
        assert 2 <= len(messages[0]["suggest"]) <= 3
        logged = questions.all()[-1]
        assert (logged.kind, logged.language, logged.section_guess) == ("low_confidence", "th", "managing")


async def test_nothing_close_is_not_covered_and_logged_as_unanswered(questions: QuestionRepository) -> None:
    messages, _ = await run(ActionLibraryFallback(), tracker("qqq zzz", "nlu_fallback"))
    assert messages == [{"not_covered": True}]
    assert questions.all()[-1].kind == "unanswered"


async def test_an_urgent_message_is_never_left_with_not_covered(questions: QuestionRepository) -> None:
    messages, _ = await run(ActionAnswerLibrary(), tracker("qqq zzz", "urgent"))
    assert messages == [{"section": "urgent"}]
