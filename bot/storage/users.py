"""Data access for users and their language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import User


@dataclass(frozen=True)
class UserRecord:
    """A plain copy of a user row, safe to pass around after the session closes."""

    id: int
    language: str | None
    language_source: str
    romanized_offer_shown: bool


class UserRepository:
    """Reads and writes users; every method opens and commits its own short transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get_or_create(self, *, user_id: int) -> UserRecord:
        with self._sessions.begin() as session:
            user = session.get(User, user_id)
            if user is None:
                user = User(id=user_id, language=None, language_source="auto", romanized_offer_shown=False)
                session.add(user)
                session.flush()
            return _record(user)

    def language_of(self, *, user_id: int) -> str | None:
        """The user's language, without creating a row for someone who never wrote to the bot."""
        with self._sessions() as session:
            user = session.get(User, user_id)
            return user.language if user is not None else None

    def set_language(self, *, user_id: int, language: str, manual: bool) -> UserRecord:
        with self._sessions.begin() as session:
            user = session.get(User, user_id) or User(id=user_id, romanized_offer_shown=False)
            user.language = language
            user.language_source = "manual" if manual else "auto"
            session.add(user)
            session.flush()
            return _record(user)

    def mark_romanized_offer_shown(self, *, user_id: int) -> None:
        with self._sessions.begin() as session:
            user = session.get(User, user_id)
            if user is not None:
                user.romanized_offer_shown = True


def _record(user: User) -> UserRecord:
    return UserRecord(
        id=user.id,
        language=user.language,
        language_source=user.language_source or "auto",
        romanized_offer_shown=bool(user.romanized_offer_shown),
    )
