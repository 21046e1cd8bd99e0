"""Two bot processes in webhook mode on one PostgreSQL and one Redis: one user's updates, sent
alternately to both, are answered once each and in order, and a plan begun on one continues on the other."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.language.locales import load_locales
from bot.storage.db import migrate
from tests.e2e.bot_api_double import BotApiDouble
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")
SECRET = "replica-Secret_1"
USER = 501


def buttons(call: Any) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, f"replica on {port} exited with {process.returncode}"
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthcheck")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.5)
    raise TimeoutError(f"replica on {port} never became healthy")


async def test_two_replicas_share_one_users_conversation(root: Path, postgres_url: str) -> None:
    api = BotApiDouble(token=f"{secrets.randbelow(10**9) + 1}:REPLICA")  # its own Redis keys, run after run
    await api.start()
    migrate(postgres_url)  # once, before both start
    ports = [free_port(), free_port()]
    base = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.url,
        "DATABASE_URL": postgres_url,
        "TRACKER_STORE_URL": postgres_url,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "WEBHOOK_URL": "https://bot.example.org",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    replicas = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=root,
            env={**base, "WEBHOOK_PORT": str(port), "ACTION_SERVER_PORT": str(free_port())},
            stdin=subprocess.DEVNULL,
        )
        for port in ports
    ]
    locales = load_locales(root / "locales")
    try:
        await asyncio.gather(*(wait_healthy(port, process) for port, process in zip(ports, replicas, strict=True)))
        async with httpx.AsyncClient(timeout=10) as client:

            async def post(replica: int, update: dict[str, Any]) -> None:
                url = f"http://127.0.0.1:{ports[replica]}/telegram"
                response = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
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
        for process in replicas:
            process.send_signal(signal.SIGTERM)
        for process in replicas:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        await api.stop()
