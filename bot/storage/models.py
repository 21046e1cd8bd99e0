"""The app's own tables (Rasa keeps its conversation tracker elsewhere)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; every time stored here is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


class User(Base):
    """A Telegram user and the language the bot speaks with them."""

    __tablename__ = "users"

    id = Column(BigInteger, primary_key=True, autoincrement=False)  # Telegram user id
    language = Column(String(16), nullable=True)
    language_source = Column(String(8), nullable=False, default="auto")  # auto | manual
    romanized_offer_shown = Column(Boolean, nullable=False, default=False)
    last_active = Column(Date, nullable=True)  # the last day they wrote: counts distinct users a day, anonymously
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class QuestionLog(Base):
    """A question the library did not answer well. No user identity is kept, by design."""

    __tablename__ = "question_log"

    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False)  # unanswered | low_confidence | thumbs_down
    text = Column(Text, nullable=False)
    language = Column(String(16), nullable=False)
    section_guess = Column(String(32), nullable=True)
    best_guess = Column(String(64), nullable=True)  # article id
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Campaign(Base):
    """A campaign plan, saved answer by answer so nothing is lost on a crash."""

    __tablename__ = "campaigns"

    id = Column(Integer, primary_key=True)
    user_id = Column(BigInteger, nullable=False, index=True)
    name = Column(String(120), nullable=True)
    status = Column(String(16), nullable=False, default="in_progress")  # in_progress | complete | cancelled
    draft = Column(JSON, nullable=False, default=dict)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class Handoff(Base):
    """A user's conversation with staff in the staff group's forum topic (one topic per user, reused)."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    user_id = Column(BigInteger, nullable=False, index=True)
    topic_id = Column(BigInteger, nullable=True, index=True)  # message_thread_id in the staff group
    status = Column(String(16), nullable=False, default="waiting")  # waiting | answered | closed | blocked
    language = Column(String(16), nullable=False, default="en")
    return_to = Column(JSON, nullable=False, default=dict)  # where the user was: {"article": id} or {}
    waiting_since = Column(DateTime(timezone=True), nullable=True)  # the user's oldest unanswered message
    reminded = Column(Boolean, nullable=False, default=False)  # staff were reminded of this wait
    opened_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    closed_at = Column(DateTime(timezone=True), nullable=True)


class DailyCount(Base):
    """How many of something happened on a day in a language (questions, outcomes, votes...). No user ids."""

    __tablename__ = "daily_counts"
    __table_args__ = (UniqueConstraint("day", "language", "metric", "key", name="uq_daily_counts"),)

    id = Column(Integer, primary_key=True)
    day = Column(Date, nullable=False, index=True)
    language = Column(String(16), nullable=False)
    metric = Column(String(24), nullable=False)
    key = Column(String(64), nullable=False, default="")
    count = Column(Integer, nullable=False, default=0)


class ReminderPlan(Base):
    """Reminders a user switched on for one of their plans: when (time zone) and whether they run."""

    __tablename__ = "reminder_plans"

    id = Column(Integer, primary_key=True)
    campaign_id = Column(Integer, nullable=False, unique=True)
    user_id = Column(BigInteger, nullable=False, index=True)
    language = Column(String(16), nullable=False, default="en")
    time_zone = Column(String(40), nullable=False)
    status = Column(String(16), nullable=False, default="active")  # active | paused | stopped | finished | blocked
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class ReminderJob(Base):
    """One message due at one moment: a posting day, a weekly numbers check-in, or the final review.

    Stored, not held in memory, so a restart loses none; a job is claimed by one conditional update
    before it is sent, so no replica and no restart sends it twice."""

    __tablename__ = "reminder_jobs"
    __table_args__ = (UniqueConstraint("plan_id", "kind", "day", name="uq_reminder_jobs"),)

    id = Column(Integer, primary_key=True)
    plan_id = Column(Integer, nullable=False, index=True)
    kind = Column(String(8), nullable=False)  # post | numbers | review
    day = Column(Date, nullable=False)  # the local date it is for
    due_at = Column(DateTime(timezone=True), nullable=False, index=True)
    details = Column(JSON, nullable=False, default=dict)  # week, theme, posts [[platform, format], ...]
    state = Column(String(12), nullable=False, default="pending")  # pending | sent | missed | cancelled | failed
    answer = Column(String(8), nullable=True)  # done | skip (posting days), numbers | skip (check-ins)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    answered_at = Column(DateTime(timezone=True), nullable=True)


class ReminderNumber(Base):
    """A number the user reported at a weekly check-in (reach, shares...), for the review chart."""

    __tablename__ = "reminder_numbers"
    __table_args__ = (UniqueConstraint("plan_id", "week", "metric", name="uq_reminder_numbers"),)

    id = Column(Integer, primary_key=True)
    plan_id = Column(Integer, nullable=False, index=True)
    week = Column(Integer, nullable=False)
    metric = Column(String(24), nullable=False)
    value = Column(Float, nullable=False)
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
