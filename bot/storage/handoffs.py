"""Data access for handoffs to staff; the rules themselves are in bot.handoff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.handoff import OPEN, HandoffState
from bot.storage.models import Handoff, as_utc


@dataclass(frozen=True)
class HandoffRecord:
    id: int
    user_id: int
    topic_id: int | None
    language: str
    return_to: dict[str, Any]
    state: HandoffState
    opened_at: datetime


class HandoffRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def open(self, *, user_id: int, language: str, return_to: dict[str, Any], state: HandoffState) -> tuple[HandoffRecord, bool]:
        """The user's open handoff, or a new one in their old topic if they had one. True when new."""
        with self._sessions.begin() as session:
            current = self._latest(session, user_id, open_only=True)
            if current is not None:
                return _record(current), False
            previous = self._latest(session, user_id, open_only=False)
            row = Handoff(
                user_id=user_id,
                topic_id=previous.topic_id if previous is not None else None,
                status=state.status,
                language=language,
                return_to=return_to,
                waiting_since=state.waiting_since,
                reminded=state.reminded,
                opened_at=datetime.now(timezone.utc),
            )
            session.add(row)
            session.flush()
            return _record(row), True

    def active(self, *, user_id: int) -> HandoffRecord | None:
        with self._sessions() as session:
            row = self._latest(session, user_id, open_only=True)
            return _record(row) if row is not None else None

    def in_topic(self, *, topic_id: int) -> HandoffRecord | None:
        """The newest handoff in a staff topic (open or not)."""
        with self._sessions() as session:
            query = select(Handoff).where(Handoff.topic_id == topic_id).order_by(Handoff.id.desc()).limit(1)
            row = session.execute(query).scalars().first()
            return _record(row) if row is not None else None

    def topics_of(self, *, user_id: int) -> list[int]:
        with self._sessions() as session:
            query = select(Handoff.topic_id).where(Handoff.user_id == user_id, Handoff.topic_id.is_not(None)).distinct()
            return [int(topic) for topic in session.execute(query).scalars()]

    def set_topic(self, *, handoff_id: int, topic_id: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(Handoff, handoff_id)
            if row is not None:
                row.topic_id = topic_id

    def update_return_to(self, *, handoff_id: int, return_to: dict[str, Any]) -> None:
        with self._sessions.begin() as session:
            row = session.get(Handoff, handoff_id)
            if row is not None:
                row.return_to = return_to

    def save_state(self, *, handoff_id: int, state: HandoffState) -> None:
        with self._sessions.begin() as session:
            row = session.get(Handoff, handoff_id)
            if row is None:
                return
            row.status, row.waiting_since, row.reminded = state.status, state.waiting_since, state.reminded
            if not state.is_open and row.closed_at is None:
                row.closed_at = datetime.now(timezone.utc)

    def queue(self) -> list[HandoffRecord]:
        """Open handoffs, the longest-waiting first (answered ones after, oldest first)."""
        with self._sessions() as session:
            rows = session.execute(select(Handoff).where(Handoff.status.in_(OPEN))).scalars().all()
            records = [_record(row) for row in rows]
        far_future = datetime.max.replace(tzinfo=timezone.utc)
        return sorted(records, key=lambda r: (r.state.waiting_since or far_future, r.opened_at))

    @staticmethod
    def _latest(session: Session, user_id: int, open_only: bool) -> Handoff | None:
        query = select(Handoff).where(Handoff.user_id == user_id)
        if open_only:
            query = query.where(Handoff.status.in_(OPEN))
        return session.execute(query.order_by(Handoff.id.desc()).limit(1)).scalars().first()


def _record(row: Handoff) -> HandoffRecord:
    state = HandoffState(row.status, as_utc(row.waiting_since), bool(row.reminded))
    return HandoffRecord(row.id, row.user_id, row.topic_id, row.language, dict(row.return_to or {}), state, as_utc(row.opened_at))
