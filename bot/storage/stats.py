"""Anonymous daily counts, and the summary /stats shows: how many, per day and language, never who.

Counted as things happen: active users (once a day each, via users.last_active), questions typed,
how the library answered them (answer / did you mean / not covered, by section), and 👍/👎 per article.
Plans started and finished are read from the campaigns table. No user id or message text is stored here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

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

    def summary(self, *, since: date) -> Summary:
        result = Summary(since=since)
        with self._sessions() as session:
            rows = session.execute(select(DailyCount).where(DailyCount.day >= since)).scalars().all()
            start = datetime.combine(since, time.min, tzinfo=timezone.utc)
            result.plans_started = session.execute(select(func.count()).where(Campaign.created_at >= start)).scalar_one()
            finished = select(func.count()).where(Campaign.status == "complete", Campaign.updated_at >= start)
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
