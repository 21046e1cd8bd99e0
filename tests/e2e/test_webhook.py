"""Webhook mode: Telegram's secret token is required on every update."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from bot.telegram.app import webhook_options
from tests.e2e.conftest import RunningBot, free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_updates_without_the_secret_are_rejected(running_bot: RunningBot) -> None:
    settings = dataclasses.replace(
        running_bot.settings,
        webhook_url="https://bot.example.org",
        webhook_secret="s3cret-Token_1",
        webhook_listen="127.0.0.1",
        webhook_port=free_port(),
    )
    application, api = running_bot.application, running_bot.api
    await application.updater.stop()
    options = webhook_options(settings)
    options.pop("allowed_updates")
    await application.updater.start_webhook(**options)
    try:
        registered = api.sent("setWebhook")[-1].params
        assert registered["url"] == "https://bot.example.org/telegram" and registered["secret_token"] == "s3cret-Token_1"
        update = {
            "update_id": 900,
            "message": {
                "message_id": 5,
                "date": 0,
                "chat": {"id": 105, "type": "private"},
                "from": {"id": 105, "is_bot": False, "first_name": "W"},
                "text": "hello",
            },
        }
        url = f"http://127.0.0.1:{settings.webhook_port}/telegram"
        async with httpx.AsyncClient() as client:
            forged = await client.post(url, json=update)
            wrong = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
            before = len(api.sent())
            real = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"})
        assert forged.status_code == 403 and wrong.status_code == 403 and real.status_code == 200
        await api.wait_for("sendMessage", before + 1)
    finally:
        await application.updater.stop()
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
