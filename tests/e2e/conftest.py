"""Start the real bot: trained Rasa model, action server process, PTB Application, Bot API double."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot import runner
from bot.conversation import Conversation
from bot.settings import Settings, load_settings
from bot.storage.db import migrate
from bot.telegram.app import build_application
from tests.e2e.bot_api_double import BotApiDouble

STAFF_CHAT_ID = -1001234567890  # the staff supergroup on the Bot API double


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningBot:
    settings: Settings
    application: Application
    api: BotApiDouble
    conversation: Conversation


def e2e_settings(tmp: Path, api_url: str, token: str, **extra: str) -> Settings:
    return load_settings(
        environ={
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_URL": api_url,
            "DATABASE_URL": f"sqlite:///{tmp / 'app.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{tmp / 'tracker.db'}",
            "ACTION_SERVER_PORT": str(free_port()),
            "ADMIN_TELEGRAM_IDS": "4242",
            "STAFF_CHAT_ID": str(STAFF_CHAT_ID),
            "STAFF_HOURS": "Mon–Fri 9–17 Dhaka time",
            "LOG_LEVEL": "WARNING",
            **extra,
        },
        dotenv=tmp / "no.env",
    )


def process_environment(api: BotApiDouble, folder: Path) -> dict[str, str]:
    """The environment of a `python -m bot run` process that polls `api`, with its databases in `folder`
    and none of a developer's `.env` settings that would change how it runs (webhook, Redis, staff)."""
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.url,
        "DATABASE_URL": f"sqlite:///{folder / 'app.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "ACTION_SERVER_PORT": str(free_port()),
        **{name: "" for name in ("WEBHOOK_URL", "WEBHOOK_SECRET", "REDIS_URL", "STAFF_CHAT_ID")},
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
def e2e_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def action_settings(e2e_dir: Path) -> Iterator[Settings]:
    """One action server for the session, on the session's database."""
    settings = e2e_settings(e2e_dir, "http://127.0.0.1:1", "123:TEST")
    migrate(settings.database_url)
    with runner.action_server(settings):
        yield settings


@contextlib.asynccontextmanager
async def start_bot(action_settings: Settings, **overrides: Any) -> AsyncIterator[RunningBot]:
    """The real Application on a fresh Bot API double, sharing the session's action server."""
    api = BotApiDouble(token="123:TEST")
    await api.start()
    settings = dataclasses.replace(action_settings, telegram_bot_token=api.token, telegram_api_url=api.url, **overrides)
    conversation = await runner.build_conversation(settings)
    application = build_application(settings, conversation)
    try:
        async with application:
            await application.post_init(application)
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                yield RunningBot(settings, application, api, conversation)
            finally:
                if application.updater.running:
                    await application.updater.stop()
                await application.stop()
    finally:
        await asyncio.to_thread(conversation.s.brain.close)
        await api.stop()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def running_bot(action_settings: Settings) -> AsyncIterator[RunningBot]:
    """One bot for every end-to-end test that needs no restart: loading the model is the slow part.
    Tests keep apart by using their own user ids."""
    async with start_bot(action_settings) as bot:
        yield bot
