"""Rasa behind the Brain interface: an in-process Agent with a SQL tracker store.

In-process rather than Rasa's REST channel: one fewer HTTP hop and process per message, and the
conversation layer keeps ownership of Telegram (see README, Architecture). The agent lives on an
event loop in its own thread: Rasa's NLU, policies and tracker store are synchronous CPU and
database work, and must not hold up the loops that talk to users.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.brain import Understanding
from bot.loop_thread import LoopThread

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")  # Rasa's tracker store predates SQLAlchemy 2.0

log = logging.getLogger(__name__)


class BrainUnavailable(Exception):
    """No trained model, or the model could not be loaded; the message says how to fix it."""


class RasaBrain:
    """Wraps rasa.core.agent.Agent; returns the `custom` payloads of bot messages as reply specs."""

    def __init__(self, agent: Any, engine: LoopThread, tracker_store_url: str | None = None) -> None:
        self._agent = agent
        self._engine = engine
        self._tracker_store_url = tracker_store_url

    @classmethod
    async def load(cls, model_path: Path, tracker_store_url: str, action_server_url: str, redis_url: str | None = None) -> RasaBrain:
        """With `redis_url`, Rasa's conversation locks live in Redis, so replicas never interleave one
        conversation's events in the shared tracker store."""
        from rasa.core.utils import AvailableEndpoints

        from bot.brain.rasa_tuning import RetryingEndpointConfig

        endpoints = AvailableEndpoints(
            action=RetryingEndpointConfig(url=action_server_url),
            tracker_store=_tracker_store_config(tracker_store_url),
            lock_store=_lock_store_config(redis_url) if redis_url else None,
        )
        brain = await cls._load(model_path, endpoints)
        brain._tracker_store_url = tracker_store_url
        await brain.understand("warm up")  # the first parse builds DIET's graph: seconds no user should wait
        return brain

    @classmethod
    async def load_for_parsing(cls, model_path: Path) -> RasaBrain:
        """The model alone, for evaluation: no tracker store, no action server."""
        return await cls._load(model_path, None)

    @classmethod
    async def _load(cls, model_path: Path, endpoints: Any) -> RasaBrain:
        from rasa.core.agent import load_agent

        from bot.brain.rasa_tuning import build_action_validation_once

        if not model_path.exists():
            raise BrainUnavailable(f"no trained model at {model_path}: run `make train` (or `make run`, which trains first)")
        _quiet_rasa()
        build_action_validation_once()
        engine = LoopThread("rasa")
        agent = await engine.run(load_agent(model_path=str(model_path), endpoints=endpoints))
        if not agent.is_ready():
            engine.stop()
            raise BrainUnavailable(f"the model at {model_path} could not be loaded: run `make train` to rebuild it")
        return cls(agent, engine)

    def close(self) -> None:
        """Stop the engine's thread (what it has in hand is finished first)."""
        self._engine.stop()

    async def respond(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        return await self._engine.run(self._respond(conversation_id, text, metadata))

    async def _respond(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

        channel = CollectingOutputChannel()
        message = UserMessage(text, channel, conversation_id, input_channel="resiliency", metadata=metadata)
        await self._agent.handle_message(message)
        return [_spec(message) for message in channel.messages]

    def payload(self, intent: str, entities: dict[str, Any] | None = None) -> str:
        return rasa_payload(intent, entities)

    async def forget(self, conversation_id: str) -> int:
        """Erase one conversation's history from the tracker store; returns how many records went."""
        return await asyncio.to_thread(self._tracker_sql, FORGET_CONVERSATION, {"sender": conversation_id})

    async def purge(self, older_than: datetime) -> int:
        """Erase conversation history older than `older_than` (retention); returns how many records went.

        A conversation idle since then goes whole. In a live one, only records before its latest session
        start go: Rasa never reads those again, and the live session keeps its state."""
        cutoff = {"cutoff": older_than.timestamp()}
        idle = await asyncio.to_thread(self._tracker_sql, PURGE_IDLE_CONVERSATIONS, cutoff)
        return idle + await asyncio.to_thread(self._tracker_sql, PURGE_OLD_SESSIONS, cutoff)

    def _tracker_sql(self, statement: str, params: dict[str, Any]) -> int:
        from sqlalchemy import create_engine, inspect, text

        if not self._tracker_store_url:
            return 0
        engine = create_engine(self._tracker_store_url, future=True)
        try:
            if not inspect(engine).has_table("events"):
                return 0
            with engine.begin() as connection:
                return connection.execute(text(statement), params).rowcount or 0
        finally:
            engine.dispose()

    async def understand(self, text: str) -> Understanding:
        parsed = await self._engine.run(self._agent.parse_message(text))
        intent = parsed.get("intent") or {}
        ranking = tuple((r["name"], float(r["confidence"])) for r in parsed.get("intent_ranking") or [])
        return Understanding(intent.get("name") or "", float(intent.get("confidence") or 0.0), ranking)


def rasa_payload(intent: str, entities: dict[str, Any] | None = None) -> str:
    """Rasa's own syntax: /intent or /intent{"entity": "value"}."""
    return f"/{intent}" + (json.dumps(entities, separators=(",", ":"), ensure_ascii=False) if entities else "")


# Rasa's SQL tracker store keeps one row per event in `events` (sender_id, type_name, timestamp).
FORGET_CONVERSATION = "DELETE FROM events WHERE sender_id = :sender"
PURGE_IDLE_CONVERSATIONS = (
    "DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff)"
)
PURGE_OLD_SESSIONS = (
    "DELETE FROM events WHERE timestamp < :cutoff AND id < "
    "(SELECT MAX(latest.id) FROM events latest WHERE latest.sender_id = events.sender_id AND latest.type_name = 'session_started')"
)


def _quiet_rasa() -> None:
    """Rasa logs every dialogue state through structlog; keep only warnings unless DEBUG is asked for."""
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(max(logging.WARNING, logging.getLogger().getEffectiveLevel()))


def _spec(message: dict[str, Any]) -> dict[str, Any]:
    """Bot messages carry their meaning in `custom`; plain text (Rasa defaults) is passed through."""
    if message.get("custom"):
        return dict(message["custom"])
    return {"text": message.get("text") or ""}


def _tracker_store_config(url: str) -> Any:
    from rasa.utils.endpoints import EndpointConfig
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    dialect = parsed.get_backend_name()
    if dialect == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return EndpointConfig(
        url=parsed.host,  # Rasa passes an endpoint's url as the database host
        type="SQL",
        dialect=dialect,
        port=parsed.port,
        db=parsed.database,
        username=parsed.username,
        password=parsed.password,
        query=dict(parsed.query) or None,
    )


def _lock_store_config(url: str) -> Any:
    from urllib.parse import urlparse

    from rasa.utils.endpoints import EndpointConfig

    parsed = urlparse(url)
    database = int(parsed.path.strip("/") or 0)
    return EndpointConfig(
        url=parsed.hostname or "localhost",
        type="redis",
        port=parsed.port or 6379,
        db=database,
        password=parsed.password,
        use_ssl=parsed.scheme == "rediss",
        key_prefix="resiliency",
    )
