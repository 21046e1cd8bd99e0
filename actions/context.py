"""Shared services for the action server, built on first use (never at import time)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker

from bot import services
from bot.campaign.flow import Planner
from bot.library.store import LibraryStore
from bot.storage.questions import QuestionRepository
from bot.storage.stats import StatsRepository


@lru_cache(maxsize=1)
def library() -> LibraryStore:
    return services.library_for(services.settings())


@lru_cache(maxsize=1)
def stats() -> StatsRepository:
    return services.stats_for(services.settings())


@lru_cache(maxsize=1)
def questions() -> QuestionRepository:
    return services.repositories_for(services.settings())[1]


def planner() -> Planner:
    """The planner, with edited locale files (words like "back" or "skip") picked up first."""
    services.live_locales_for(services.settings()).refresh()
    return _planner()


@lru_cache(maxsize=1)
def _planner() -> Planner:
    config = services.settings()
    return Planner(services.campaigns_for(config), services.locales_for(config))


def fresh_library() -> LibraryStore:
    """The library, with any edited files picked up (a cheap stat at most once a second)."""
    store = library()
    store.refresh()
    return store


def language(tracker: Tracker) -> str:
    """The user's language, sent by the conversation layer with every message."""
    metadata: dict[str, Any] = tracker.latest_message.get("metadata") or {}
    return str(metadata.get("language") or "en")


def user_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")
