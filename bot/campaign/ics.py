"""The plan's posting days as an iCalendar (.ics, RFC 5545) file that phones add to their calendar.

One all-day event per planned post, and one "check your numbers" event on the last day of every campaign
week. Written by hand: CRLF line endings, lines folded at 75 octets without splitting a UTF-8 character,
TEXT values escaped. UIDs depend only on the plan's name, start date and the event's place in the calendar,
so importing a re-sent plan updates its events instead of doubling them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from bot.campaign.display import choice_label, format_answer, localize_digits, step_label

if TYPE_CHECKING:
    from bot.campaign.plan import Plan

PRODID = "-//Resiliency Guide//Campaign planner//EN"
UID_DOMAIN = "resiliency-guide"
LINE_OCTETS = 75  # RFC 5545 3.1: content lines are folded at 75 octets, excluding the line break
CRLF = "\r\n"


def plan_ics(plan: Plan, now: datetime | None = None) -> str:
    """The calendar file's text (encode as UTF-8); `now` is the DTSTAMP, the current time by default."""
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(plan.title)}",
    ]
    for uid, day, summary, description in _events(plan):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def _events(plan: Plan) -> Iterator[tuple[str, date, str, str]]:
    """(UID, day, summary, description) of every post, then of each week's check-in, in date order."""
    locales, lang = plan.locales, plan.lang

    def t(key: str, **params: str) -> str:
        return locales.text(lang, key, **params)

    seed = _uid_seed(plan)
    metrics = t(
        "campaign.value.with_detail",
        value=step_label("metrics", locales, lang),
        detail=format_answer("metrics", plan.answers, locales, lang),
    )
    index = 0
    for week in plan.weeks:
        week_name = localize_digits(t("campaign.plan.week", number=str(week.number)), locales, lang)
        about_week = " · ".join([week_name, t(f"campaign.theme.{week.theme}")])
        for post in week.posts:
            index += 1
            summary = t(
                "campaign.plan.platform_format",
                platform=choice_label("platforms", post.platform, locales, lang),
                format=choice_label("formats", post.format, locales, lang),
            )
            yield f"{seed}-{post.day:%Y%m%d}-post{index}@{UID_DOMAIN}", post.day, summary, f"{about_week}\n{plan.title}"
        check = t("campaign.plan.ics_check_in", week=week_name)
        yield f"{seed}-{week.end:%Y%m%d}-check{week.number}@{UID_DOMAIN}", week.end, check, f"{metrics}\n{plan.title}"


def _uid_seed(plan: Plan) -> str:
    """Stable for the same plan (name and start date), whatever the language it is sent in."""
    key = f"{plan.answers.get('name', '')}\n{plan.answers.get('start_date', '')}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped; other
    control characters, which TEXT may not hold, dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = "".join(char for char in value if char == "\n" or unicodedata.category(char) != "Cc")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into physical lines of at most 75 octets; a continuation line starts with a
    space, and a multi-byte UTF-8 character is never split."""
    parts: list[str] = []
    chunk, used = "", 0
    for char in line:
        size = len(char.encode("utf-8"))
        if used + size > LINE_OCTETS:
            parts.append(chunk)
            chunk, used = " ", 1
        chunk += char
        used += size
    parts.append(chunk)
    return CRLF.join(parts)
