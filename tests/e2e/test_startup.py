"""Start-up failures a user can fix are one clear line, not a traceback."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot import runner
from bot.settings import Settings
from tests.e2e.bot_api_double import BotApiDouble
from tests.e2e.conftest import free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def run_bot(root: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run `python -m bot run` in a thread, so this loop keeps serving the Bot API double."""
    command = [sys.executable, "-m", "bot", "run"]
    options = {"cwd": root, "env": {**os.environ, **env}, "stdin": subprocess.DEVNULL, "capture_output": True, "text": True, "timeout": 240}
    run = functools.partial(subprocess.run, command, **options)
    result = await asyncio.to_thread(run)
    return result.returncode, result.stderr


async def test_a_rejected_token_is_one_clear_line(root: Path, tmp_path: Path) -> None:
    api = BotApiDouble(token="123:RIGHT")  # answers 401 to any other token, as Telegram does
    await api.start()
    try:
        code, stderr = await run_bot(
            root,
            {
                "TELEGRAM_BOT_TOKEN": "123:WRONG",
                "TELEGRAM_API_URL": api.url,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
                "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
                "ACTION_SERVER_PORT": str(free_port()),
                "LOG_LEVEL": "WARNING",
            },
        )
    finally:
        await api.stop()
    assert code == 1
    assert "Traceback" not in stderr
    assert "TELEGRAM_BOT_TOKEN" in stderr.strip().splitlines()[-1]


async def test_bad_configuration_is_one_clear_line(root: Path) -> None:
    code, stderr = await run_bot(root, {"WEBHOOK_URL": "http://insecure.example.org", "WEBHOOK_SECRET": "abc"})
    expected = "Configuration error: WEBHOOK_URL must start with https:// (Telegram only calls HTTPS webhooks)"
    assert code == 1 and stderr.strip().splitlines() == [expected]


async def test_the_action_server_takes_the_warm_up_call(action_settings: Settings) -> None:
    """The call that has the action server load the library at start (not on the first user's
    question) is one rasa_sdk accepts: it runs, changes no conversation and says nothing."""
    body = json.dumps(runner.WARM_UP_REQUEST).encode()
    request = urllib.request.Request(action_settings.action_server_url, body, {"Content-Type": "application/json"})
    response = await asyncio.to_thread(urllib.request.urlopen, request, timeout=600)
    assert response.status == 200
    assert json.loads(response.read()) == {"events": [], "responses": []}


async def test_a_taken_action_server_port_is_one_clear_line(root: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, stderr = await run_bot(root, {"ACTION_SERVER_PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"})
    assert code == 1 and "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == (
        f"Error: ACTION_SERVER_PORT {port} is already in use (another copy of the bot, or another program): "
        "stop it, or set ACTION_SERVER_PORT in .env to a free port"
    )
