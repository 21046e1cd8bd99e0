"""A conversation with real content and a real database, a plan ready for reminders, and a test clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from bot.conversation import Conversation, Services
from bot.language.detect import build_detector
from bot.storage.campaigns import CampaignRepository
from bot.storage.db import make_engine, make_sessions, migrate
from bot.storage.personal import PersonalData
from bot.storage.questions import QuestionRepository
from bot.storage.reminders import ReminderRepository
from bot.storage.users import UserRepository

USER = 4242


class QuietBrain:
    """Reminders never need the engine: typed questions get "not covered", the rest nothing."""

    async def respond(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"not_covered": True}]

    def payload(self, intent: str, entities: dict[str, Any] | None = None) -> str:
        return f"/{intent}"

    async def forget(self, conversation_id: str) -> int:
        return 0

    def close(self) -> None:
        pass


def plan_answers(start: date, weeks: int = 2, per_week: int = 3) -> dict[str, Any]:
    return {
        "name": "Neighbours Together",
        "problem": "misinformation",
        "audience": "students in Sylhet",
        "platforms": ["facebook", "tiktok"],
        "message": "In our street we look after each other",
        "formats": ["short_video", "image"],
        "start_date": start.isoformat(),
        "duration_weeks": weeks,
        "posts_per_week": per_week,
        "metrics": ["reach", "shares"],
        "moderator": None,
        "response_time": "4h",
    }


def build_conversation(url: str, locales, library_store, root) -> Conversation:
    sessions = make_sessions(make_engine(url))
    services = Services(
        brain=QuietBrain(),
        locales=locales,
        library=library_store,
        users=UserRepository(sessions),
        questions=QuestionRepository(sessions),
        detector=build_detector(locales.languages, root / "data"),
        campaigns=CampaignRepository(sessions),
        personal=PersonalData(sessions),
        reminders=ReminderRepository(sessions),
    )
    return Conversation(services)


@pytest.fixture
def db_url(database_url: str) -> str:
    migrate(database_url)
    return database_url


@pytest.fixture
def conversation(db_url, locales, library_store, root) -> Conversation:
    return build_conversation(db_url, locales, library_store, root)


@pytest.fixture
def start_day() -> date:
    """Tomorrow in Dhaka: the whole plan lies ahead of the real clock the conversation reads."""
    return (datetime.now(timezone.utc) + timedelta(hours=6)).date() + timedelta(days=1)


def complete_plan(conversation: Conversation, start: date, user_id: int = USER, **changes: Any) -> int:
    answers = {**plan_answers(start), **changes}
    draft = {"name": answers["name"], "answers": answers, "current_step": None, "status": "complete"}
    return conversation.s.campaigns.create(user_id=user_id, draft=draft).id


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now
