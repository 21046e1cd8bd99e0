"""The week-by-week calendar: right number of weeks and posts, all inside the campaign window, varied."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from bot.campaign import calendar_for, campaign_end
from bot.campaign.calendar import SUITABLE_FORMATS, build_calendar, post_offsets, week_themes

START = date(2026, 11, 30)


@pytest.mark.parametrize(("weeks", "per_week"), [(1, 1), (6, 3), (4, 7), (52, 21), (3, 10)])
def test_weeks_posts_and_dates_stay_inside_the_window(weeks: int, per_week: int) -> None:
    calendar = build_calendar(START, weeks, per_week, ["facebook", "tiktok"], ["short_video", "image"], "hate_speech")
    last_day = START + timedelta(weeks=weeks, days=-1)
    assert [week.number for week in calendar] == list(range(1, weeks + 1))
    for week in calendar:
        assert week.start == START + timedelta(weeks=week.number - 1) and week.end == week.start + timedelta(days=6)
        assert len(week.posts) == per_week
        assert all(week.start <= post.day <= week.end for post in week.posts)
        assert all(START <= post.day <= last_day for post in week.posts)
        assert [post.day for post in week.posts] == sorted(post.day for post in week.posts)
    assert calendar[0].posts[0].day == START


def test_posts_are_spread_evenly_over_the_week() -> None:
    assert post_offsets(1) == [0]
    assert post_offsets(2) == [0, 3]
    assert post_offsets(3) == [0, 2, 4]
    assert post_offsets(7) == [0, 1, 2, 3, 4, 5, 6]
    assert Counter(post_offsets(21)) == Counter({day: 3 for day in range(7)})


def test_every_platform_and_format_gets_used_and_formats_suit_platforms() -> None:
    platforms = ["facebook", "whatsapp", "youtube"]
    formats = ["short_video", "voice_note", "text_post", "image"]
    calendar = build_calendar(START, 6, 4, platforms, formats, "misinformation")
    posts = [post for week in calendar for post in week.posts]
    assert {post.platform for post in posts} == set(platforms)
    assert {post.format for post in posts} == set(formats)
    assert all(post.format in SUITABLE_FORMATS[post.platform] for post in posts)
    assert Counter(post.platform for post in posts) == Counter({"facebook": 8, "whatsapp": 8, "youtube": 8})


def test_a_platform_with_no_suitable_format_still_gets_posts() -> None:
    calendar = build_calendar(START, 2, 2, ["youtube"], ["voice_note"], "other")
    assert [post.format for week in calendar for post in week.posts] == ["voice_note"] * 4


@pytest.mark.parametrize(
    ("problem", "weeks", "themes"),
    [
        ("misinformation", 5, ["introduce", "myth_fact", "verify", "stories", "call_to_action"]),
        ("hate_speech", 4, ["introduce", "stories", "common_ground", "call_to_action"]),
        ("extremism", 3, ["introduce", "stories", "call_to_action"]),
        ("tension", 2, ["introduce", "call_to_action"]),
        ("other", 1, ["introduce"]),
    ],
)
def test_weekly_themes_follow_the_problem(problem: str, weeks: int, themes: list[str]) -> None:
    assert week_themes(problem, weeks) == themes


def test_check_in_every_fourth_week_and_at_the_end() -> None:
    calendar = build_calendar(START, 9, 1, ["facebook"], ["image"], "tension")
    assert [week.number for week in calendar if week.check_in] == [4, 8, 9]


def test_calendar_from_stored_answers() -> None:
    answers = {
        "start_date": "2026-12-01",
        "duration_weeks": 6,
        "posts_per_week": 3,
        "platforms": ["facebook"],
        "formats": ["image"],
        "problem": "misinformation",
    }
    calendar = calendar_for(answers)
    assert len(calendar) == 6 and sum(len(week.posts) for week in calendar) == 18
    assert campaign_end(answers) == date(2027, 1, 11) == calendar[-1].end


def test_an_impossible_calendar_is_refused() -> None:
    with pytest.raises(ValueError):
        build_calendar(START, 0, 3, ["facebook"], ["image"], "other")
    with pytest.raises(ValueError):
        build_calendar(START, 4, 3, [], ["image"], "other")
