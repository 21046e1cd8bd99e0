"""Two bot processes in webhook mode on one PostgreSQL and one Redis: one user's updates, sent
alternately to both, are answered once each and in order, and a plan begun on one continues on the other."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.language.locales import load_locales
from bot.storage.db import migrate
from tests.e2e.bot_api_double import BotApiDouble
from tests.replicas import start_replicas, stop_replicas, wait_healthy

pytestmark = pytest.mark.asyncio(loop_scope="session")
SECRET = "replica-Secret_1"
USER = 501


def buttons(call: Any) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_two_replicas_share_one_users_conversation(root: Path, postgres_url: str, tmp_path: Path) -> None:
    api = BotApiDouble(token=f"{secrets.randbelow(10**9) + 1}:REPLICA")  # its own Redis keys, run after run
    await api.start()
    migrate(postgres_url)  # once, before both start
    replicas = start_replicas(root, 2, api.token, api.url, postgres_url, SECRET, log_dir=tmp_path)
    locales = load_locales(root / "locales")
    try:
        await wait_healthy(replicas)
        async with httpx.AsyncClient(timeout=10) as client:

            async def post(replica: int, update: dict[str, Any]) -> None:
                response = await client.post(replicas[replica].webhook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
                assert response.status_code == 200

            async def turn(replica: int, update: dict[str, Any], count: int = 1) -> list[Any]:
                before = len(api.replies_to(USER))
                await post(replica, update)
                return (await api.wait_for_replies(USER, before + count, timeout=90))[before:]

            [welcome] = await turn(0, api.text_update("/start", USER))
            assert welcome.params["text"] == locales.text("en", "welcome")

            # A button to one replica and, as soon as it is acknowledged (as Telegram does), a typed
            # question to the other: answered in that order.
            before = len(api.replies_to(USER))
            await post(1, api.press_update("s:misinformation:0", USER))
            await post(0, api.text_update("how can we check if a viral photo is fake?", USER))
            section, answer = (await api.wait_for_replies(USER, before + 2, timeout=90))[before:]
            assert "a:mi-verify" in buttons(section) and "f:mi-verify:d" in buttons(answer)

            # Telegram re-sends the same update to the other replica: answered once.
            repeated = api.text_update("/topics", USER)
            before = len(api.replies_to(USER))
            await post(0, repeated)
            await post(1, repeated)
            await api.wait_for_replies(USER, before + 1, timeout=60)
            await asyncio.sleep(2)
            assert len(api.replies_to(USER)) == before + 1, "a re-delivered update is answered once"

            # A plan begun on one replica continues on the other (shared tracker store and app tables).
            [ask_name] = await turn(1, api.text_update("/campaign", USER))
            assert locales.text("en", "campaign.ask.name") in ask_name.params["text"]
            [ask_problem] = await turn(0, api.text_update("Neighbours Together", USER))
            assert "c:v:problem:misinformation" in buttons(ask_problem)
            [ask_audience] = await turn(1, api.press_update("c:v:problem:misinformation", USER))
            assert locales.text("en", "campaign.ask.audience") in ask_audience.params["text"]
    finally:
        stop_replicas(replicas)
        await api.stop()
    for replica in replicas:  # SIGTERM, as systemd stops them: a clean end, nothing left pending
        assert replica.process.returncode == 0, replica.log_text()[-2000:]
        assert "Traceback" not in replica.log_text() and "Task was destroyed" not in replica.log_text(), replica.log_text()[-2000:]
