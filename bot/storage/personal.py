"""Everything the app's tables hold about one person, found and erased in one transaction (/forget)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Campaign, Handoff, ReminderPlan, User
from bot.storage.reminders import erase_user_reminders

# Every table with a column that identifies a person, and that column. The question log has none,
# by design; a new table that stores a user id must be added here (a test checks the schema).
# Reminder jobs and numbers hang off reminder_plans and go with it.
PERSONAL_COLUMNS = {
    "users": User.id,
    "campaigns": Campaign.user_id,
    "handoffs": Handoff.user_id,
    "reminder_plans": ReminderPlan.user_id,
}


@dataclass(frozen=True)
class Erased:
    settings: int  # user rows (0 or 1)
    plans: int


class PersonalData:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def plans(self, *, user_id: int) -> int:
        """How many plans (of any status) the user has: said before they confirm erasing."""
        with self._sessions() as session:
            return session.execute(select(func.count()).where(Campaign.user_id == user_id)).scalar_one()

    def erase(self, *, user_id: int) -> Erased:
        with self._sessions.begin() as session:
            plans = session.execute(delete(Campaign).where(Campaign.user_id == user_id)).rowcount
            session.execute(delete(Handoff).where(Handoff.user_id == user_id))
            erase_user_reminders(session, user_id)
            settings = session.execute(delete(User).where(User.id == user_id)).rowcount
        return Erased(settings=settings, plans=plans)

    def rows_about(self, *, user_id: int) -> dict[str, int]:
        """Rows per table that still name the user (for the erasure receipt's test, and for audits)."""
        with self._sessions() as session:
            return {
                table: session.execute(select(func.count()).where(column == user_id)).scalar_one()
                for table, column in PERSONAL_COLUMNS.items()
            }
