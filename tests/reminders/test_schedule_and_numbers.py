"""When reminders fall due, and reading the numbers people type (plain Python, no Telegram)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.reminders.numbers import has_digits, read_numbers
from bot.reminders.schedule import NUMBERS, POST, REVIEW, jobs_for, time_zone
from tests.reminders.conftest import plan_answers

MONDAY = date(2026, 12, 7)


def test_a_two_week_plan_gets_posting_days_weekly_check_ins_and_a_review() -> None:
    jobs = jobs_for(plan_answers(MONDAY), time_zone("Asia/Dhaka"), datetime(2026, 12, 1, tzinfo=timezone.utc))
    kinds = [job.kind for job in jobs]
    assert kinds.count(POST) == 6 and kinds.count(NUMBERS) == 2 and kinds.count(REVIEW) == 1
    first = jobs[0]
    assert first.day == MONDAY and first.due_at == datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)  # 08:00 in Dhaka
    assert first.details == {"week": 1, "theme": "introduce", "posts": [["facebook", "short_video"]]}
    check_in = next(job for job in jobs if job.kind == NUMBERS)
    assert check_in.day == date(2026, 12, 13) and check_in.due_at.hour == 12  # 18:00 in Dhaka, the week's last day
    review = next(job for job in jobs if job.kind == REVIEW)
    assert review.day == date(2026, 12, 21)


def test_several_posts_on_one_day_come_in_one_reminder() -> None:
    jobs = jobs_for(plan_answers(MONDAY, weeks=1, per_week=10), time_zone("Asia/Bangkok"), datetime(2026, 12, 1, tzinfo=timezone.utc))
    posts = [job for job in jobs if job.kind == POST]
    assert len(posts) == 7 and sum(len(job.details["posts"]) for job in posts) == 10


def test_a_plan_already_under_way_is_reminded_from_now_on() -> None:
    now = datetime(2026, 12, 10, 0, 0, tzinfo=timezone.utc)  # Thursday of week 1
    jobs = jobs_for(plan_answers(MONDAY), time_zone("Asia/Karachi"), now)
    assert all(job.due_at > now for job in jobs)
    assert min(job.day for job in jobs) == date(2026, 12, 11)  # posts Mon, Wed, Fri: Friday is next


def test_no_metrics_means_no_weekly_check_in() -> None:
    answers = {**plan_answers(MONDAY), "metrics": []}
    assert NUMBERS not in {job.kind for job in jobs_for(answers, time_zone("Asia/Dhaka"), datetime(2026, 12, 1, tzinfo=timezone.utc))}


def test_an_unknown_time_zone_is_none() -> None:
    assert time_zone("Asia/Atlantis") is None and time_zone("../etc/passwd") is None


@pytest.mark.parametrize(
    ("typed", "numbers"),
    [
        ("1200 45", [1200, 45]),
        ("১২০০, ৪৫", [1200, 45]),  # Bengali digits
        ("๑๒๐๐ ๔๕", [1200, 45]),  # Thai digits
        ("۱۲۰۰ ۴۵", [1200, 45]),  # Urdu digits
        ("reach 1,200 shares 45", [1200, 45]),
        ("1.5k -", [1500, None]),
        ("week2 300", [300]),
    ],
)
def test_numbers_are_read_in_every_script(typed: str, numbers: list[float | None]) -> None:
    assert read_numbers(typed) == numbers


def test_words_without_digits_are_not_numbers() -> None:
    assert not has_digits("how do I measure reach?") and has_digits("reach ৫০০")
