"""Rasa behind the Brain interface: an in-process Agent with a SQL tracker store.

In-process rather than Rasa's REST channel: one fewer HTTP hop and process per message, and the
conversation layer keeps ownership of Telegram (see README, Architecture).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from bot.brain import Understanding

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")  # Rasa's tracker store predates SQLAlchemy 2.0

log = logging.getLogger(__name__)


class BrainUnavailable(Exception):
    """No trained model, or the model could not be loaded; the message says how to fix it."""


class RasaBrain:
    """Wraps rasa.core.agent.Agent; returns the `custom` payloads of bot messages as reply specs."""

    def __init__(self, agent: Any) -> None:
        self._agent = agent

    @classmethod
    async def load(cls, model_path: Path, tracker_store_url: str, action_server_url: str) -> RasaBrain:
        from rasa.core.agent import load_agent
        from rasa.core.utils import AvailableEndpoints
        from rasa.utils.endpoints import EndpointConfig

        if not model_path.exists():
            raise BrainUnavailable(f"no trained model at {model_path}: run `make train` (or `make run`, which trains first)")
        _quiet_rasa()
        endpoints = AvailableEndpoints(
            action=EndpointConfig(url=action_server_url),
            tracker_store=_tracker_store_config(tracker_store_url),
        )
        agent = await load_agent(model_path=str(model_path), endpoints=endpoints)
        if not agent.is_ready():
            raise BrainUnavailable(f"the model at {model_path} could not be loaded: run `make train` to rebuild it")
        return cls(agent)

    @classmethod
    async def load_for_parsing(cls, model_path: Path) -> RasaBrain:
        """The model alone, for evaluation: no tracker store, no action server."""
        from rasa.core.agent import load_agent

        if not model_path.exists():
            raise BrainUnavailable(f"no trained model at {model_path}: run `make train`")
        _quiet_rasa()
        return cls(await load_agent(model_path=str(model_path)))

    async def respond(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

        channel = CollectingOutputChannel()
        message = UserMessage(text, channel, conversation_id, input_channel="resiliency", metadata=metadata)
        await self._agent.handle_message(message)
        return [_spec(message) for message in channel.messages]

    async def understand(self, text: str) -> Understanding:
        parsed = await self._agent.parse_message(text)
        intent = parsed.get("intent") or {}
        ranking = tuple((r["name"], float(r["confidence"])) for r in parsed.get("intent_ranking") or [])
        return Understanding(intent.get("name") or "", float(intent.get("confidence") or 0.0), ranking)


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
