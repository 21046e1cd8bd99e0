"""The composition root: build each shared service once, from settings, at start-up."""

from __future__ import annotations

from functools import lru_cache

from bot.language.detect import LanguageDetector, build_detector
from bot.language.locales import LiveLocales, Locales, load_locales
from bot.library.store import LibraryStore
from bot.settings import Settings, load_settings
from bot.storage.campaigns import CampaignRepository
from bot.storage.db import make_engine, make_sessions
from bot.storage.handoffs import HandoffRepository
from bot.storage.personal import PersonalData
from bot.storage.questions import QuestionRepository
from bot.storage.reminders import ReminderRepository
from bot.storage.stats import StatsRepository
from bot.storage.users import UserRepository
from bot.understanding.encoder import CachedEncoder, load_encoder


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()


@lru_cache(maxsize=4)
def locales(root: str) -> Locales:
    from pathlib import Path

    return load_locales(Path(root))


def locales_for(config: Settings) -> Locales:
    return locales(str(config.locales_dir))


@lru_cache(maxsize=4)
def live_locales_for(config: Settings) -> LiveLocales:
    """The same Locales object, kept current with edits to the locale files (checked, then swapped)."""
    return LiveLocales(locales_for(config), config.locales_dir)


def library_for(config: Settings) -> LibraryStore:
    """The live library, matched by meaning where the sentence encoder loads (else by words, logged once)."""
    return LibraryStore(
        config.locales_dir,
        locales_for(config).codes,
        encoder=encoder_for(config),
        examples_dir=config.project_root / "data" / "articles",
    )


def browsing_library_for(config: Settings) -> LibraryStore:
    """The live library for the bot's own process: articles, sections and keyword search, no matcher.

    Typed questions are matched in the action server; a second matcher here (the sentence encoder,
    every vector, the example n-grams) would only cost memory."""
    return LibraryStore(config.locales_dir, locales_for(config).codes, matching=False)


@lru_cache(maxsize=1)
def encoder_for(config: Settings) -> CachedEncoder | None:
    return load_encoder(config.project_root / "var" / "embeddings.sqlite")


def detector_for(config: Settings) -> LanguageDetector:
    return build_detector(locales_for(config).languages, config.project_root / "data")


@lru_cache(maxsize=4)
def _sessions(database_url: str):
    return make_sessions(make_engine(database_url))


def repositories_for(config: Settings) -> tuple[UserRepository, QuestionRepository]:
    sessions = _sessions(config.database_url)
    return UserRepository(sessions), QuestionRepository(sessions)


def campaigns_for(config: Settings) -> CampaignRepository:
    return CampaignRepository(_sessions(config.database_url))


def personal_data_for(config: Settings) -> PersonalData:
    return PersonalData(_sessions(config.database_url))


def handoffs_for(config: Settings) -> HandoffRepository:
    return HandoffRepository(_sessions(config.database_url))


def stats_for(config: Settings) -> StatsRepository:
    return StatsRepository(_sessions(config.database_url))


def reminders_for(config: Settings) -> ReminderRepository:
    return ReminderRepository(_sessions(config.database_url))
