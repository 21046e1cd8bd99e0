"""Anonymous daily counts, and the summary /stats shows: how many, per day and language, never who.

Counted as things happen: active users (once a day each, via users.last_active), questions typed,
how the library answered them (answer / did you mean / not covered, by section), and 👍/👎 per article.
Plans started and finished are read from the campaigns table. No user id or message text is stored here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.storage.models import Campaign, DailyCount, User

ACTIVE = "active_users"
QUESTIONS = "questions"
OUTCOMES = ("answered", "suggested", "not_covered")
VOTE_UP, VOTE_DOWN = "vote_up", "vote_down"


@dataclass
class Summary:
    """What /stats says about the days since `since`."""

    since: date
    questions_by_day: dict[date, Counter[str]] = field(default_factory=dict)  # day -> language -> questions
    users_by_day: dict[date, int] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)  # answered / suggested / not_covered
    sections: Counter[str] = field(default_factory=Counter)
    votes: dict[str, tuple[int, int]] = field(default_factory=dict)  # article -> (up, down)
    plans_started: int = 0
    plans_finished: int = 0

    @property
    def questions(self) -> int:
        return sum(sum(by_language.values()) for by_language in self.questions_by_day.values())

    def worst_articles(self, limit: int = 5) -> list[tuple[str, int, int]]:
        """Articles with more 👎 than 👍 first."""
        ranked = sorted(self.votes.items(), key=lambda item: (item[1][0] - item[1][1], -item[1][1]))
        return [(article, up, down) for article, (up, down) in ranked if down][:limit]


class StatsRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def increment(self, *, day: date, language: str, metric: str, key: str = "", by: int = 1) -> None:
        """Add to one counter; safe when two processes count the same thing at once."""
        match = (DailyCount.day == day, DailyCount.language == language, DailyCount.metric == metric, DailyCount.key == key[:64])
        for _ in range(2):
            with self._sessions.begin() as session:
                if session.execute(update(DailyCount).where(*match).values(count=DailyCount.count + by)).rowcount:
                    return
            try:
                with self._sessions.begin() as session:
                    session.add(DailyCount(day=day, language=language, metric=metric, key=key[:64], count=by))
                return
            except IntegrityError:  # another process created the row between the two steps
                continue

    def first_today(self, *, user_id: int, day: date) -> bool:
        """True once a day per user (and marks it): counts distinct active users without storing who."""
        with self._sessions.begin() as session:
            changed = session.execute(
                update(User).where(User.id == user_id, (User.last_active.is_(None)) | (User.last_active != day)).values(last_active=day)
            ).rowcount
        return bool(changed)

    def claim(self, *, day: date, metric: str, key: str = "") -> bool:
        """True for the first caller only, across processes (the row's unique key decides): e.g. one
        weekly digest, however many replicas run it. The row counts 1, with no language."""
        try:
            with self._sessions.begin() as session:
                session.add(DailyCount(day=day, language="", metric=metric, key=key[:64], count=1))
        except IntegrityError:
            return False
        return True

    def summary(self, *, since: date, until: date | None = None) -> Summary:
        """The days from `since` to `until` (both included; to today when `until` is None)."""
        result = Summary(since=since)
        days = [DailyCount.day >= since, *([DailyCount.day <= until] if until is not None else [])]
        with self._sessions() as session:
            rows = session.execute(select(DailyCount).where(*days)).scalars().all()
            started = select(func.count()).where(*_within(Campaign.created_at, since, until))
            result.plans_started = session.execute(started).scalar_one()
            finished = select(func.count()).where(Campaign.status == "complete", *_within(Campaign.updated_at, since, until))
            result.plans_finished = session.execute(finished).scalar_one()
        votes: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in rows:
            if row.metric == QUESTIONS:
                result.questions_by_day.setdefault(row.day, Counter())[row.language] += row.count
            elif row.metric == ACTIVE:
                result.users_by_day[row.day] = result.users_by_day.get(row.day, 0) + row.count
            elif row.metric in OUTCOMES:
                result.outcomes[row.metric] += row.count
                if row.key:
                    result.sections[row.key] += row.count
            elif row.metric in (VOTE_UP, VOTE_DOWN):
                votes[row.key][row.metric == VOTE_DOWN] += row.count
        result.votes = {article: (up, down) for article, (up, down) in votes.items()}
        return result


def _within(column: Any, since: date, until: date | None) -> list[Any]:
    """A timestamp column on the days from `since` to `until` (UTC, both days included)."""
    conditions = [column >= _midnight(since)]
    if until is not None:
        conditions.append(column < _midnight(until + timedelta(days=1)))
    return conditions


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)
