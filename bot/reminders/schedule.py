"""A finished plan's reminders as dated jobs, in the user's time zone.

Posting days come at a morning hour, the numbers check-in on the evening of each week's last day, the
review the morning after the campaign ends. Only what is still ahead is scheduled: a plan that started
last week gets reminders from today on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.campaign.calendar import calendar_for, campaign_end

POST_HOUR = 8  # local time of a posting-day reminder: before people start posting
NUMBERS_HOUR = 18  # local time of the weekly numbers check-in: the week's posts are out
REVIEW_HOUR = 10  # local time of the review, the morning after the last day
POST, NUMBERS, REVIEW = "post", "numbers", "review"
KINDS = (POST, NUMBERS, REVIEW)


@dataclass(frozen=True)
class JobSpec:
    """One reminder to store: what kind, for which local day, due when (UTC), with what to say."""

    kind: str
    day: date
    due_at: datetime
    details: dict[str, Any] = field(default_factory=dict)


def time_zone(name: str) -> ZoneInfo | None:
    """The zone called `name`, or None when this machine's zone database does not know it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def at_local(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """`hour`:00 on `day` in `zone`, as a UTC moment."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(timezone.utc)


def jobs_for(answers: Mapping[str, Any], zone: ZoneInfo, now: datetime) -> list[JobSpec]:
    """Every reminder of the plan still ahead of `now`: one per posting day (all that day's posts in
    one message), one numbers check-in per week when the user chose numbers to track, and the review."""
    jobs: list[JobSpec] = []
    metrics = list(answers.get("metrics") or [])
    for week in calendar_for(answers):
        days: dict[date, list[list[str]]] = {}
        for post in week.posts:
            days.setdefault(post.day, []).append([post.platform, post.format])
        for day, posts in days.items():
            jobs.append(JobSpec(POST, day, at_local(day, POST_HOUR, zone), {"week": week.number, "theme": week.theme, "posts": posts}))
        if metrics:
            jobs.append(JobSpec(NUMBERS, week.end, at_local(week.end, NUMBERS_HOUR, zone), {"week": week.number}))
    review_day = campaign_end(answers) + timedelta(days=1)
    jobs.append(JobSpec(REVIEW, review_day, at_local(review_day, REVIEW_HOUR, zone), {}))
    return [job for job in jobs if job.due_at > now]
