"""Bot processes in webhook mode on one PostgreSQL and one Redis, for the replica test and the
replica benchmark: a scratch schema, N `python -m bot run` processes, their health, their end."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import text

from bot.storage.db import make_engine
from tests.e2e.conftest import free_port

POSTGRES_ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


@contextlib.contextmanager
def scratch_postgres() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL `test` database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_ADMIN_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Replica:
    port: int
    process: subprocess.Popen[bytes]
    log: Path | None = None  # its stdout and stderr, when asked for

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log else ""

    @property
    def webhook(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"


def start_replicas(
    root: Path, count: int, token: str, api_url: str, database_url: str, secret: str, log_dir: Path | None = None
) -> list[Replica]:
    """`count` bot processes sharing the database, Redis and one webhook secret, each on its own port;
    with `log_dir`, each one's output goes to a file there."""
    shared = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": database_url,
        "TRACKER_STORE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "WEBHOOK_URL": "https://bot.example.org",
        "WEBHOOK_SECRET": secret,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    replicas = []
    for _ in range(count):
        port = free_port()
        environment = {**shared, "WEBHOOK_PORT": str(port), "ACTION_SERVER_PORT": str(free_port())}
        log = log_dir / f"replica-{port}.log" if log_dir else None
        with open(log, "wb") if log else contextlib.nullcontext() as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], cwd=root, env=environment, stdin=subprocess.DEVNULL, stdout=output, stderr=output
            )
        replicas.append(Replica(port, process, log))
    return replicas


async def wait_healthy(replicas: list[Replica], timeout: float = 240) -> None:
    """Until every replica answers its health check; a replica that exits fails at once."""

    async def one(replica: Replica, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert replica.process.poll() is None, f"replica on {replica.port} exited with {replica.process.returncode}"
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"http://127.0.0.1:{replica.port}/healthcheck")).status_code == 200:
                    return
            await asyncio.sleep(0.5)
        raise TimeoutError(f"replica on {replica.port} never became healthy")

    async with httpx.AsyncClient(timeout=2) as client:
        await asyncio.gather(*(one(replica, client) for replica in replicas))


def stop_replicas(replicas: list[Replica]) -> None:
    """SIGTERM, as systemd stops them; a replica that does not end in 30 s is killed."""
    for replica in replicas:
        replica.process.send_signal(signal.SIGTERM)
    for replica in replicas:
        try:
            replica.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            replica.process.kill()
