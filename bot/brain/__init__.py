"""The narrow interface between the conversation layer and whatever understands messages.

Only `bot.brain.rasa_brain` imports rasa; replace it to swap the NLU/dialogue engine. The bot runs it
in a process of its own (`bot.brain.engine_process`), behind this same interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Understanding:
    """What the engine made of one message, for evaluation and fallbacks."""

    intent: str
    confidence: float
    ranking: tuple[tuple[str, float], ...] = ()


class BrainFailure(Exception):
    """The engine could not answer this message (it stopped, or failed on it). Already logged where it
    happened: the caller apologises to the user and logs one line, no traceback."""


class Brain(Protocol):
    async def respond(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Feed one user message (text or "/intent" payload); return language-neutral reply specs."""

    async def understand(self, text: str) -> Understanding:
        """Classify a message without touching any conversation."""

    async def forget(self, conversation_id: str) -> int:
        """Erase everything the engine keeps about one conversation; returns how many records went."""

    async def purge(self, older_than: datetime) -> int:
        """Erase conversation history older than `older_than`; returns how many records went."""

    def payload(self, intent: str, entities: dict[str, Any] | None = None) -> str:
        """The message that stands for `intent` (a button or command); typed text never becomes one."""

    def close(self) -> None:
        """Let go of the engine (its thread or process); blocking, so call it off the event loop."""
