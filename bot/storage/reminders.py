"""Data access for reminders: who gets them and in which time zone, the jobs, the numbers reported.

Sending is at most once: a job is claimed by a conditional update (pending -> sent) before the
message goes out, so two replicas, or a restart in the middle of a round, never send it twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.reminders.schedule import JobSpec
from bot.storage.models import ReminderJob, ReminderNumber, ReminderPlan, as_utc

ACTIVE, PAUSED, STOPPED, FINISHED, BLOCKED = "active", "paused", "stopped", "finished", "blocked"
PENDING, SENT, MISSED, CANCELLED, FAILED = "pending", "sent", "missed", "cancelled", "failed"


@dataclass(frozen=True)
class ReminderPlanRecord:
    id: int
    campaign_id: int
    user_id: int
    language: str
    time_zone: str
    status: str


@dataclass(frozen=True)
class JobRecord:
    id: int
    plan_id: int
    kind: str
    day: date
    due_at: datetime
    details: dict[str, Any]
    state: str
    answer: str | None
    sent_at: datetime | None


class ReminderRepository:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # --- plans ----------------------------------------------------------------------------------

    def start(
        self, *, campaign_id: int, user_id: int, language: str, time_zone: str, jobs: Iterable[JobSpec], status: str = ACTIVE
    ) -> ReminderPlanRecord:
        """Reminders for a plan, with these jobs (a plan already on gets its future jobs replaced, in one
        transaction, keeping the `status` it is given: a paused plan is never active in between)."""
        with self._sessions.begin() as session:
            row = session.execute(select(ReminderPlan).where(ReminderPlan.campaign_id == campaign_id)).scalars().first()
            if row is None:
                row = ReminderPlan(campaign_id=campaign_id, user_id=user_id)
                session.add(row)
            row.language, row.time_zone, row.status = language, time_zone, status
            session.flush()
            session.execute(delete(ReminderJob).where(ReminderJob.plan_id == row.id, ReminderJob.state == PENDING))
            taken = set(session.execute(select(ReminderJob.kind, ReminderJob.day).where(ReminderJob.plan_id == row.id)).all())
            for job in jobs:
                if (job.kind, job.day) not in taken:
                    session.add(ReminderJob(plan_id=row.id, kind=job.kind, day=job.day, due_at=job.due_at, details=job.details))
            return _plan(row)

    def plan_for_campaign(self, *, campaign_id: int, user_id: int) -> ReminderPlanRecord | None:
        with self._sessions() as session:
            row = session.execute(select(ReminderPlan).where(ReminderPlan.campaign_id == campaign_id)).scalars().first()
            return _plan(row) if row is not None and row.user_id == user_id else None

    def plan(self, *, plan_id: int, user_id: int) -> ReminderPlanRecord | None:
        with self._sessions() as session:
            row = session.get(ReminderPlan, plan_id)
            return _plan(row) if row is not None and row.user_id == user_id else None

    def plans_of(self, *, user_id: int) -> list[ReminderPlanRecord]:
        with self._sessions() as session:
            rows = session.execute(select(ReminderPlan).where(ReminderPlan.user_id == user_id).order_by(ReminderPlan.id.desc())).scalars()
            return [_plan(row) for row in rows]

    def last_time_zone(self, *, user_id: int) -> str | None:
        """The zone the user chose last time: asked once, not for every plan."""
        with self._sessions() as session:
            query = select(ReminderPlan.time_zone).where(ReminderPlan.user_id == user_id).order_by(ReminderPlan.updated_at.desc())
            return session.execute(query.limit(1)).scalars().first()

    def set_status(self, *, plan_id: int, user_id: int, status: str) -> ReminderPlanRecord | None:
        """Pause, resume or stop (or blocked: the user blocked the bot); stopping cancels what was still to come."""
        with self._sessions.begin() as session:
            row = session.get(ReminderPlan, plan_id)
            if row is None or row.user_id != user_id:
                return None
            row.status = status
            if status in (STOPPED, BLOCKED):
                _cancel_pending(session, row.id)
            return _plan(row)

    def finish(self, *, plan_id: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(ReminderPlan, plan_id)
            if row is not None and row.status == ACTIVE:
                row.status = FINISHED

    def delete_for_campaign(self, *, campaign_id: int) -> None:
        """The plan was deleted: its reminders, jobs and numbers go with it."""
        with self._sessions.begin() as session:
            ids = list(session.execute(select(ReminderPlan.id).where(ReminderPlan.campaign_id == campaign_id)).scalars())
            _delete_plans(session, ids)

    # --- jobs -----------------------------------------------------------------------------------

    def counts(self, *, plan_id: int) -> dict[str, int]:
        """Jobs per kind still pending (said when reminders are switched on)."""
        with self._sessions() as session:
            rows = session.execute(select(ReminderJob.kind).where(ReminderJob.plan_id == plan_id, ReminderJob.state == PENDING)).scalars()
            return dict(Counter(rows))

    def miss_overdue(self, *, before: datetime) -> int:
        """Jobs that fell due while the bot was down (or the plan paused) longer ago than `before`:
        yesterday's "today, post this" would only confuse, so they are marked missed, not sent."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(ReminderJob).where(ReminderJob.state == PENDING, ReminderJob.due_at < before).values(state=MISSED)
            )
            return result.rowcount or 0

    def due(self, *, now: datetime, limit: int = 200) -> list[tuple[JobRecord, ReminderPlanRecord]]:
        """Pending jobs of active plans that are due, oldest first (not claimed yet)."""
        with self._sessions() as session:
            query = (
                select(ReminderJob, ReminderPlan)
                .join(ReminderPlan, ReminderPlan.id == ReminderJob.plan_id)
                .where(ReminderJob.state == PENDING, ReminderJob.due_at <= now, ReminderPlan.status == ACTIVE)
                .order_by(ReminderJob.due_at, ReminderJob.id)
                .limit(limit)
            )
            return [(_job(job), _plan(plan)) for job, plan in session.execute(query).all()]

    def claim(self, *, job_id: int, now: datetime) -> bool:
        """Take a due job for sending; False when another process (or an earlier round) already did."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(ReminderJob).where(ReminderJob.id == job_id, ReminderJob.state == PENDING).values(state=SENT, sent_at=now)
            )
            return result.rowcount == 1

    def mark_failed(self, *, job_id: int) -> None:
        with self._sessions.begin() as session:
            session.execute(update(ReminderJob).where(ReminderJob.id == job_id).values(state=FAILED))

    def job(self, *, job_id: int, user_id: int) -> tuple[JobRecord, ReminderPlanRecord] | None:
        """A job and its plan, only if they belong to the user (a forged button finds nothing)."""
        with self._sessions() as session:
            row = session.get(ReminderJob, job_id)
            plan = session.get(ReminderPlan, row.plan_id) if row is not None else None
            if row is None or plan is None or plan.user_id != user_id:
                return None
            return _job(row), _plan(plan)

    def answer(self, *, job_id: int, answer: str, now: datetime) -> None:
        """Done or Skip on a posting day, numbers or skip on a check-in; the last press counts."""
        with self._sessions.begin() as session:
            session.execute(update(ReminderJob).where(ReminderJob.id == job_id).values(answer=answer, answered_at=now))

    def open_check_in(self, *, user_id: int, since: datetime) -> tuple[JobRecord, ReminderPlanRecord] | None:
        """The latest numbers check-in sent to the user after `since` and not answered yet."""
        with self._sessions() as session:
            query = (
                select(ReminderJob, ReminderPlan)
                .join(ReminderPlan, ReminderPlan.id == ReminderJob.plan_id)
                .where(
                    ReminderPlan.user_id == user_id,
                    ReminderJob.kind == "numbers",
                    ReminderJob.state == SENT,
                    ReminderJob.answer.is_(None),
                    ReminderJob.sent_at >= since,
                )
                .order_by(ReminderJob.sent_at.desc())
                .limit(1)
            )
            found = session.execute(query).first()
            return (_job(found[0]), _plan(found[1])) if found is not None else None

    def jobs_of(self, *, plan_id: int) -> list[JobRecord]:
        with self._sessions() as session:
            rows = session.execute(select(ReminderJob).where(ReminderJob.plan_id == plan_id).order_by(ReminderJob.due_at)).scalars()
            return [_job(row) for row in rows]

    # --- numbers --------------------------------------------------------------------------------

    def record_numbers(self, *, plan_id: int, week: int, values: dict[str, float]) -> None:
        """The week's numbers; sending them again replaces the week's earlier ones."""
        with self._sessions.begin() as session:
            session.execute(delete(ReminderNumber).where(ReminderNumber.plan_id == plan_id, ReminderNumber.week == week))
            for metric, value in values.items():
                session.add(ReminderNumber(plan_id=plan_id, week=week, metric=metric, value=value))

    def numbers(self, *, plan_id: int) -> dict[str, dict[int, float]]:
        """metric -> {week: value}."""
        with self._sessions() as session:
            rows = session.execute(select(ReminderNumber).where(ReminderNumber.plan_id == plan_id).order_by(ReminderNumber.week)).scalars()
            found: dict[str, dict[int, float]] = {}
            for row in rows:
                found.setdefault(row.metric, {})[row.week] = row.value
            return found


def erase_user_reminders(session: Session, user_id: int) -> int:
    """Inside the caller's transaction (/forget): every reminder row about the user."""
    ids = list(session.execute(select(ReminderPlan.id).where(ReminderPlan.user_id == user_id)).scalars())
    _delete_plans(session, ids)
    return len(ids)


def _cancel_pending(session: Session, plan_id: int) -> None:
    session.execute(update(ReminderJob).where(ReminderJob.plan_id == plan_id, ReminderJob.state == PENDING).values(state=CANCELLED))


def _delete_plans(session: Session, ids: list[int]) -> None:
    if not ids:
        return
    session.execute(delete(ReminderNumber).where(ReminderNumber.plan_id.in_(ids)))
    session.execute(delete(ReminderJob).where(ReminderJob.plan_id.in_(ids)))
    session.execute(delete(ReminderPlan).where(ReminderPlan.id.in_(ids)))


def _plan(row: ReminderPlan) -> ReminderPlanRecord:
    return ReminderPlanRecord(row.id, row.campaign_id, row.user_id, row.language, row.time_zone, row.status)


def _job(row: ReminderJob) -> JobRecord:
    due = as_utc(row.due_at)
    assert due is not None  # the column is NOT NULL
    return JobRecord(row.id, row.plan_id, row.kind, row.day, due, dict(row.details or {}), row.state, row.answer, as_utc(row.sent_at))


__all__ = ["JobRecord", "ReminderPlanRecord", "ReminderRepository", "erase_user_reminders"]
