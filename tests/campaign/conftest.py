"""Fixtures for the campaign planner: its own locale files only, so other teams' strings cannot break these tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest

from bot.campaign.draft import CampaignDraft
from bot.campaign.words import Vocabulary
from bot.language.locales import Locales, load_locales

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("en", "bn", "th", "ur")
PLAN_HEADINGS = (  # the English section headings of a plan, in order, in every format
    "Problem",
    "Audience",
    "Platforms",
    "Key message",
    "Formats",
    "When",
    "Content calendar",
    "Measuring success",
    "Moderation",
    "Read before you start",
)
TODAY = date(2026, 11, 25)  # a Wednesday

# One reply per question, in order; the moderator question is skipped.
ENGLISH_REPLIES = (
    "Neighbours Together",
    "rumours about flood relief",
    "students in Sylhet, 18-25",
    "fb, tiktok and whatsapp",
    "In our street we look after each other",
    "short video, images and voice notes",
    "next monday",
    "6 weeks",
    "3 a week",
    "reach and shares",
    "skip",
    "4h",
)


@pytest.fixture(scope="session")
def campaign_locales(tmp_path_factory: pytest.TempPathFactory) -> Locales:
    """meta.yml and campaign.yml of the four languages, loaded with the project's locale loader."""
    root = tmp_path_factory.mktemp("locales")
    for lang in LANGS:
        (root / lang).mkdir()
        for name in ("meta.yml", "campaign.yml"):
            shutil.copy(ROOT / "locales" / lang / name, root / lang / name)
    return load_locales(root)


@pytest.fixture(scope="session")
def vocabulary(campaign_locales: Locales) -> Vocabulary:
    return Vocabulary.of(campaign_locales)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def run_draft(campaign_locales: Locales) -> Callable[..., CampaignDraft]:
    """Answer questions in order through `handle`, asserting each reply is accepted."""

    def run(replies: Sequence[str] = ENGLISH_REPLIES, draft: CampaignDraft | None = None) -> CampaignDraft:
        draft = draft or CampaignDraft()
        for reply in replies:
            outcome = draft.handle(reply, TODAY, campaign_locales)
            assert not outcome.refused, (reply, outcome)
        return draft

    return run
