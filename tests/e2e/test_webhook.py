"""Webhook mode: the receiver checks the secret, the size and the shape of every request."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from bot.telegram.app import register_webhook
from bot.telegram.webhook import MAX_BODY, SECRET_HEADER, WebhookReceiver
from tests.e2e.conftest import RunningBot, free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")

SECRET = "s3cret-Token_1"


def update(update_id: object, text: str = "hello") -> dict[str, object]:
    sender = {"id": 105, "is_bot": False, "first_name": "W", "language_code": "en"}
    message = {"message_id": 5, "date": 0, "chat": {"id": 105, "type": "private"}, "from": sender, "text": text}
    return {"update_id": update_id, "message": message}


async def test_webhook_refuses_what_is_not_a_real_update(running_bot: RunningBot) -> None:
    settings = dataclasses.replace(running_bot.settings, webhook_url="https://bot.example.org", webhook_secret=SECRET)
    application, api = running_bot.application, running_bot.api
    await register_webhook(application, settings)
    registered = api.sent("setWebhook")[-1].params
    assert registered["url"] == "https://bot.example.org/telegram" and registered["secret_token"] == SECRET

    receiver = WebhookReceiver(application, SECRET, "127.0.0.1", free_port())
    await receiver.start()
    url = f"http://127.0.0.1:{receiver.port}/telegram"
    headers = {SECRET_HEADER: SECRET}
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            forged = await client.post(url, json=update(900))
            wrong = await client.post(url, json=update(900), headers={SECRET_HEADER: "nope"})
            broken = await client.post(url, content=b'{"update_id": 1, "mess', headers=headers)
            not_utf8 = await client.post(url, content=b'{"update_id": 1, "x": "\xff\xfe"}', headers=headers)
            string_id = await client.post(url, json=update("901"), headers=headers)
            a_list = await client.post(url, json=[update(902)], headers=headers)
            huge = await client.post(url, content=b"x" * (MAX_BODY + 10), headers=headers)
            health = await client.get(f"http://127.0.0.1:{receiver.port}/healthcheck")
            before = len(api.sent())
            real = await client.post(url, json=update(903), headers=headers)
        assert (forged.status_code, wrong.status_code) == (403, 403)
        assert (broken.status_code, not_utf8.status_code, string_id.status_code, a_list.status_code) == (400, 400, 400, 400)
        assert huge.status_code == 413 and health.status_code == 200
        assert real.status_code == 200
        await api.wait_for("sendMessage", before + 1)
        assert all(call.params.get("chat_id") in (105, "105") for call in api.sent()[before:] if "chat_id" in call.params)
    finally:
        await receiver.stop()
