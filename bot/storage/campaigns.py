"""Data access for campaign plans: each answer is saved as it is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Campaign


@dataclass(frozen=True)
class CampaignRecord:
    id: int
    user_id: int
    name: str
    status: str
    draft: dict[str, Any]
    updated_at: datetime


class CampaignRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(self, *, user_id: int, draft: dict[str, Any]) -> CampaignRecord:
        with self._sessions.begin() as session:
            row = Campaign(user_id=user_id, name=draft.get("name") or None, status=draft.get("status", "in_progress"), draft=draft)
            session.add(row)
            session.flush()
            row.draft = {**draft, "id": row.id}
            session.flush()
            return _record(row)

    def save(self, *, campaign_id: int, user_id: int, draft: dict[str, Any]) -> CampaignRecord:
        """Store the whole draft; only its owner may change it."""
        with self._sessions.begin() as session:
            row = self._owned(session, campaign_id, user_id)
            row.draft = {**draft, "id": campaign_id}
            row.name = (draft.get("name") or "")[:120] or None
            row.status = draft.get("status", row.status)
            session.flush()
            return _record(row)

    def get(self, *, campaign_id: int, user_id: int) -> CampaignRecord | None:
        with self._sessions() as session:
            row = session.get(Campaign, campaign_id)
            return _record(row) if row is not None and row.user_id == user_id else None

    def latest_in_progress(self, *, user_id: int) -> CampaignRecord | None:
        with self._sessions() as session:
            query = (
                select(Campaign)
                .where(Campaign.user_id == user_id, Campaign.status == "in_progress")
                .order_by(Campaign.updated_at.desc(), Campaign.id.desc())
            )
            row = session.execute(query).scalars().first()
            return _record(row) if row is not None else None

    def list_for_user(self, *, user_id: int, include_cancelled: bool = False) -> list[CampaignRecord]:
        with self._sessions() as session:
            query = select(Campaign).where(Campaign.user_id == user_id)
            if not include_cancelled:
                query = query.where(Campaign.status != "cancelled")
            rows = session.execute(query.order_by(Campaign.updated_at.desc(), Campaign.id.desc())).scalars()
            return [_record(row) for row in rows]

    def delete(self, *, campaign_id: int, user_id: int) -> bool:
        with self._sessions.begin() as session:
            row = session.get(Campaign, campaign_id)
            if row is None or row.user_id != user_id:
                return False
            session.delete(row)
            return True

    @staticmethod
    def _owned(session: Session, campaign_id: int, user_id: int) -> Campaign:
        row = session.get(Campaign, campaign_id)
        if row is None or row.user_id != user_id:
            raise LookupError(f"campaign {campaign_id} does not belong to user {user_id}")
        return row


def _record(row: Campaign) -> CampaignRecord:
    return CampaignRecord(row.id, row.user_id, row.name or "", row.status, dict(row.draft or {}), row.updated_at)
