"""The rules of a conversation with staff, as plain functions over its state (no storage, no Telegram).

    waiting ──staff replies──► answered ──user writes──► waiting
       │                          │
       └──────── /done ───────────┴──► closed      (user blocked the bot ──► blocked)

"Waiting since" is the user's oldest message staff have not answered: staff get one reminder when it
is older than the reply-time promise, and /queue lists the open conversations oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

WAITING, ANSWERED, CLOSED, BLOCKED = "waiting", "answered", "closed", "blocked"
OPEN = (WAITING, ANSWERED)


@dataclass(frozen=True)
class HandoffState:
    status: str = WAITING
    waiting_since: datetime | None = None
    reminded: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def opened(now: datetime) -> HandoffState:
    return HandoffState(WAITING, now, False)


def user_wrote(state: HandoffState, now: datetime) -> HandoffState:
    """A message from the user: the wait starts now, unless an earlier message is still unanswered."""
    if not state.is_open:
        return state
    if state.status == WAITING and state.waiting_since is not None:
        return state
    return HandoffState(WAITING, now, False)


def staff_replied(state: HandoffState) -> HandoffState:
    if not state.is_open:
        return state
    return HandoffState(ANSWERED, None, False)


def closed(state: HandoffState) -> HandoffState:
    return replace(state, status=CLOSED, waiting_since=None)


def blocked(state: HandoffState) -> HandoffState:
    return replace(state, status=BLOCKED, waiting_since=None)


def reminded(state: HandoffState) -> HandoffState:
    return replace(state, reminded=True)


def needs_reminder(state: HandoffState, now: datetime, promise: timedelta) -> bool:
    """Once per wait: the user has waited longer than staff promised."""
    return state.status == WAITING and not state.reminded and state.waiting_since is not None and now - state.waiting_since > promise


def waited(state: HandoffState, now: datetime) -> timedelta:
    return now - state.waiting_since if state.waiting_since is not None else timedelta(0)
