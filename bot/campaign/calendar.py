"""A week-by-week content calendar from the draft's answers.

Posts are spread evenly over each week, starting on the start date; platforms take turns, and each platform
rotates through the chosen formats that suit it (no voice notes on YouTube). Each week gets a theme. A platform
is an id or a name the user typed ("name:Mastodon"): posts are planned on either alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Formats that make sense on each platform; "other", a platform added in the locale files only and one the
# user named ("name:Mastodon") take any format.
SUITABLE_FORMATS: dict[str, frozenset[str]] = {
    "facebook": frozenset({"short_video", "image", "carousel", "text_post", "live", "other"}),
    "instagram": frozenset({"short_video", "image", "carousel", "live", "other"}),
    "whatsapp": frozenset({"short_video", "image", "text_post", "voice_note", "other"}),
    "messenger": frozenset({"short_video", "image", "text_post", "voice_note", "other"}),
    "tiktok": frozenset({"short_video", "carousel", "live", "other"}),
    "youtube": frozenset({"short_video", "live", "other"}),
    "x": frozenset({"short_video", "image", "text_post", "live", "other"}),
    "line": frozenset({"short_video", "image", "carousel", "text_post", "live", "voice_note", "other"}),
    "viber": frozenset({"short_video", "image", "text_post", "voice_note", "other"}),
    "imo": frozenset({"short_video", "image", "text_post", "live", "voice_note", "other"}),
    "telegram": frozenset({"short_video", "image", "text_post", "live", "voice_note", "other"}),
}

# Middle-week themes per problem, repeated in turn; week 1 introduces, the last week calls to action.
MIDDLE_THEMES: dict[str, tuple[str, ...]] = {
    "hate_speech": ("stories", "common_ground", "bystander"),
    "misinformation": ("myth_fact", "verify", "stories"),
    "tension": ("stories", "common_ground", "bystander"),
    "extremism": ("stories", "alternatives", "questions"),
    "other": ("stories", "questions", "common_ground"),
}
FIRST_THEME = "introduce"
LAST_THEME = "call_to_action"
CHECK_IN_EVERY = 4  # weeks between "check your numbers" reminders


@dataclass(frozen=True)
class Post:
    """One planned post."""

    day: date
    platform: str
    format: str


@dataclass(frozen=True)
class Week:
    """One campaign week: its dates, theme key (`campaign.theme.<theme>`) and posts."""

    number: int
    start: date
    end: date
    theme: str
    posts: tuple[Post, ...]
    check_in: bool  # a week to look at the numbers: every 4th week and the last one


def post_offsets(per_week: int) -> list[int]:
    """Day offsets (0-6) of a week's posts, evenly spread; above 7 a day gets several posts."""
    return [index * 7 // per_week for index in range(per_week)]


def week_themes(problem: str, weeks: int) -> list[str]:
    """Theme key of each week: introduce, then the problem's themes in turn, then call to action."""
    middle = MIDDLE_THEMES.get(problem, MIDDLE_THEMES["other"])
    themes = [middle[index % len(middle)] for index in range(max(weeks - 2, 0))]
    return [FIRST_THEME, *themes, LAST_THEME][:weeks] if weeks > 1 else [FIRST_THEME] * weeks


class _FormatRotation:
    """Per platform, the next suitable format in the user's order, so every platform varies its posts.

    Each platform starts at a different format, so the first week already shows the variety.
    """

    def __init__(self, formats: Sequence[str], platforms: Sequence[str]) -> None:
        self._formats = list(formats)
        self._cursor: dict[str, int] = {platform: index for index, platform in enumerate(platforms)}

    def next_for(self, platform: str) -> str:
        """The format of this platform's next post; any format when none suits it."""
        suits = SUITABLE_FORMATS.get(platform)
        start = self._cursor.get(platform, 0)
        for step in range(len(self._formats)):
            index = (start + step) % len(self._formats)
            if suits is None or self._formats[index] in suits:
                self._cursor[platform] = index + 1
                return self._formats[index]
        self._cursor[platform] = start + 1
        return self._formats[start % len(self._formats)]


def build_calendar(
    start: date,
    weeks: int,
    per_week: int,
    platforms: Sequence[str],
    formats: Sequence[str],
    problem: str,
) -> list[Week]:
    """The whole calendar: `weeks` weeks of `per_week` posts from `start`, all inside the campaign window."""
    if weeks < 1 or per_week < 1 or not platforms or not formats:
        raise ValueError("a calendar needs at least one week, one post a week, one platform and one format")
    rotation = _FormatRotation(formats, platforms)
    themes = week_themes(problem, weeks)
    calendar: list[Week] = []
    count = 0
    for number in range(1, weeks + 1):
        week_start = start + timedelta(weeks=number - 1)
        posts = []
        for offset in post_offsets(per_week):
            platform = platforms[count % len(platforms)]
            posts.append(Post(week_start + timedelta(days=offset), platform, rotation.next_for(platform)))
            count += 1
        check_in = number % CHECK_IN_EVERY == 0 or (number == weeks and weeks > 1)
        end = week_start + timedelta(days=6)
        calendar.append(Week(number, week_start, end, themes[number - 1], tuple(posts), check_in))
    return calendar


def calendar_for(answers: Mapping[str, Any]) -> list[Week]:
    """The calendar of a complete draft's answers."""
    return build_calendar(
        date.fromisoformat(str(answers["start_date"])),
        int(answers["duration_weeks"]),
        int(answers["posts_per_week"]),
        list(answers["platforms"]),
        list(answers["formats"]),
        str(answers.get("problem") or "other"),
    )


def campaign_end(answers: Mapping[str, Any]) -> date:
    """Last day of the campaign window."""
    return date.fromisoformat(str(answers["start_date"])) + timedelta(weeks=int(answers["duration_weeks"]), days=-1)
